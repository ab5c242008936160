import type {
  EngineCatalogTable,
  QueryParameter,
  ResultColumn,
  ResultPage,
  StatementOutcome,
  StatementProgress,
} from '../../core/ports';
import type { EmbeddedEngineOptions } from './embeddedEngine';
import type { EmbeddedLoadReport } from './loadReport';

/** The engine options as they cross into the worker (workerData): plain data only, so no logger. */
export type EmbeddedWorkerOptions = Omit<EmbeddedEngineOptions, 'logger'>;

/** Main thread → worker. Every request carries an id; the worker answers each with exactly one response. */
export type EmbeddedWorkerRequest =
  | { id: number; op: 'execute'; sql: string | string[]; parameters?: QueryParameter[] }
  | { id: number; op: 'fetchPage'; statementId: string; nextToken?: string }
  | { id: number; op: 'listSchemas' }
  | { id: number; op: 'listTables'; schema: string }
  | { id: number; op: 'describeTable'; schema: string; table: string }
  | { id: number; op: 'loadReport' }
  | { id: number; op: 'dispose' };

export type EmbeddedWorkerOp = EmbeddedWorkerRequest['op'];

/** The value each request resolves to. */
export interface EmbeddedWorkerResults {
  execute: StatementOutcome;
  fetchPage: ResultPage;
  listSchemas: string[];
  listTables: EngineCatalogTable[];
  describeTable: ResultColumn[];
  loadReport: EmbeddedLoadReport;
  dispose: null;
}

/** Worker → main thread: a response to one request, or an event (progress of a running execute, a log line). */
export type EmbeddedWorkerMessage =
  | { kind: 'result'; id: number; ok: true; value: EmbeddedWorkerResults[EmbeddedWorkerOp] }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'progress'; id: number; progress: StatementProgress }
  | { kind: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; message: string };
