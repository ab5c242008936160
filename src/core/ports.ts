/**
 * The interfaces core needs from outside. Adapters (src/adapters) implement them without importing vscode,
 * so the CLI and the extension share one implementation each.
 */

export interface CancellationSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  debug(message: string): void;
}

// ---------------------------------------------------------------- queries

export type ColumnTypeName = string;

export interface ResultColumn {
  name: string;
  /** Engine type name, e.g. int8, varchar, numeric, timestamp. */
  typeName: ColumnTypeName;
  /** Rendering hint for grids and exports. */
  kind: 'integer' | 'decimal' | 'float' | 'boolean' | 'text' | 'date' | 'timestamp' | 'other';
}

/**
 * A cell value. Integers beyond 2^53 and NUMERIC arrive as strings so they stay exact;
 * null is SQL NULL (distinct from the empty string).
 */
export type CellValue = string | number | boolean | null;

export interface ResultPage {
  columns: ResultColumn[];
  rows: CellValue[][];
  /** Opaque token for the next page, absent on the last page. */
  nextToken?: string;
}

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface StatementProgress {
  status: StatementStatus;
  elapsedMs: number;
}

export interface StatementOutcome {
  id: string;
  status: 'FINISHED' | 'FAILED' | 'ABORTED';
  error?: string;
  /** Rows affected (DML) or rows returned when known. */
  resultRows?: number;
  hasResultSet: boolean;
  durationMs: number;
  /** Sub-statement ids for batches. */
  subStatements?: StatementOutcome[];
  /** Where the error points in the submitted SQL text (0-based offset, 1-based line/column), when the engine says. */
  errorPosition?: { offset: number; line: number; column: number };
}

export interface QueryParameter {
  name: string;
  value: string;
}

export interface ExecuteOptions {
  parameters?: QueryParameter[];
  signal?: CancellationSignal;
  onProgress?: (p: StatementProgress) => void;
}

export interface EngineCatalogTable {
  schema: string;
  name: string;
  type: 'TABLE' | 'VIEW' | 'EXTERNAL TABLE' | 'OTHER';
}

export interface QueryEngine {
  /** Human label, e.g. "Embedded (local)" or "Redshift: prod-cluster". */
  readonly label: string;
  /** true when results come from the in-process engine rather than a warehouse. */
  readonly isLocal: boolean;
  /** Runs one statement (or several as a batch) to completion; cancels on the server when the signal aborts. */
  execute(sql: string | string[], options?: ExecuteOptions): Promise<StatementOutcome>;
  /** Fetches one page of a finished statement's result. */
  fetchPage(statementId: string, nextToken?: string, signal?: CancellationSignal): Promise<ResultPage>;
  listSchemas(signal?: CancellationSignal): Promise<string[]>;
  listTables(schema: string, signal?: CancellationSignal): Promise<EngineCatalogTable[]>;
  describeTable(schema: string, table: string, signal?: CancellationSignal): Promise<ResultColumn[]>;
  dispose(): Promise<void>;
}

// ---------------------------------------------------------------- models (Bedrock, VS Code LM) — later issue

export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ModelProvider {
  readonly id: string;
  complete(system: string, messages: ModelMessage[], signal?: CancellationSignal): Promise<string>;
  /** Structured output validated against a JSON schema, with one repair retry. */
  structured<T>(system: string, messages: ModelMessage[], jsonSchema: object, signal?: CancellationSignal): Promise<T>;
  embed?(texts: string[], signal?: CancellationSignal): Promise<number[][]>;
}

// ---------------------------------------------------------------- documents — later issue

export interface DocumentParser {
  readonly id: string;
  /** Parses a PDF into the shared page/line/table layout model (see core/documents). */
  parse(bytes: Uint8Array, signal?: CancellationSignal): Promise<unknown>;
}
