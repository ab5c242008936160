/**
 * Messages between the results panel host and the results grid webview.
 * The host owns the data; the webview asks for windows of rows ({offset, limit}) as the user scrolls.
 */
import type { CellValue, ResultColumn } from '../../core/ports';
import { isArrayOf, isNonNegativeInt, isOneOf, isRecord, isString } from './validate';

export const RESULTS_VIEW_TYPE = 'quarry.results';

export interface ResultsMeta {
  /** Engine label shown in the footer, e.g. "Redshift: prod" or "Embedded engine (local)". */
  engineLabel: string;
  /** true when the rows come from the in-process engine: the footer says so clearly. */
  isLocal: boolean;
  durationMs?: number;
  bytesScanned?: number;
  /** Opaque key the webview keeps in its state so a reloaded panel can ask the host for the same results. */
  restoreKey?: string;
}

export interface ResultSetInfo {
  label: string;
  columns: ResultColumn[];
  /** Rows in the current view (after the host-side sort/filter). */
  rowCount: number;
  /** Rows loaded from the engine so far. */
  loadedCount: number;
  complete: boolean;
  /** Bumped whenever sort/filter changes the row order; rows of an older version are dropped. */
  viewVersion: number;
  /** The sort/filter the host applies now (kept while the webview is hidden and reloaded). */
  view: ViewSpec;
}

export type SortDirection = 'asc' | 'desc';
export interface SortSpec { column: number; direction: SortDirection }
export interface ViewSpec { sort: SortSpec[]; filter: string }

export type ExportFormat = 'csv' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

// ---------------------------------------------------------------- host → webview

export type ResultsHostMessage =
  | { type: 'init'; sets: ResultSetInfo[]; meta: ResultsMeta; active: number }
  | { type: 'rows'; set: number; requestId: number; viewVersion: number; offset: number; rows: CellValue[][] }
  /** More rows loaded, or the load finished. */
  | { type: 'progress'; set: number; rowCount: number; loadedCount: number; complete: boolean }
  /** Sort/filter applied in the host: the webview drops its cached rows and asks again. */
  | { type: 'viewChanged'; set: number; viewVersion: number; rowCount: number; view: ViewSpec }
  | { type: 'chartData'; set: number; requestId: number; columns: number[]; rows: CellValue[][]; sampled: boolean; total: number }
  | { type: 'unavailable'; message: string }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

// ---------------------------------------------------------------- webview → host

export type ResultsWebviewMessage =
  | { type: 'ready' }
  | { type: 'getRows'; set: number; requestId: number; viewVersion: number; offset: number; limit: number }
  | { type: 'setView'; set: number; view: ViewSpec }
  | { type: 'export'; set: number; format: ExportFormat }
  | { type: 'copy'; text: string }
  | { type: 'getChartData'; set: number; requestId: number; columns: number[]; maxPoints: number }
  /** The rows in view, for tests and for the host to know what the user sees. */
  | { type: 'viewport'; set: number; first: number; count: number };

/** Largest window the host serves in one message. */
export const MAX_ROWS_PER_REQUEST = 5_000;
export const MAX_CHART_POINTS = 20_000;
const MAX_COPY_CHARS = 50_000_000;

function isSortSpec(x: unknown): x is SortSpec {
  return isRecord(x) && isNonNegativeInt(x.column, 100_000) && isOneOf(x.direction, ['asc', 'desc'] as const);
}

function isViewSpec(x: unknown): x is ViewSpec {
  return isRecord(x) && isArrayOf(x.sort, isSortSpec, 64) && isString(x.filter, 10_000);
}

const isColumnIndex = (v: unknown): v is number => isNonNegativeInt(v, 100_000);

/** Validates a message from the (untrusted) webview before the host acts on it. */
export function isResultsWebviewMessage(x: unknown): x is ResultsWebviewMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'getRows':
      return isNonNegativeInt(x.set, 1000) && isNonNegativeInt(x.requestId) && isNonNegativeInt(x.viewVersion)
        && isNonNegativeInt(x.offset) && isNonNegativeInt(x.limit, MAX_ROWS_PER_REQUEST) && x.limit > 0;
    case 'setView':
      return isNonNegativeInt(x.set, 1000) && isViewSpec(x.view);
    case 'export':
      return isNonNegativeInt(x.set, 1000) && isOneOf(x.format, EXPORT_FORMATS);
    case 'copy':
      return isString(x.text, MAX_COPY_CHARS);
    case 'getChartData':
      return isNonNegativeInt(x.set, 1000) && isNonNegativeInt(x.requestId) && isArrayOf(x.columns, isColumnIndex, 16)
        && x.columns.length > 0 && isNonNegativeInt(x.maxPoints, MAX_CHART_POINTS) && x.maxPoints > 0;
    case 'viewport':
      return isNonNegativeInt(x.set, 1000) && isNonNegativeInt(x.first) && isNonNegativeInt(x.count);
    default:
      return false;
  }
}

const isCell = (v: unknown): v is CellValue =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number');

/** Validates a message from the host; the webview ignores anything else. */
export function isResultsHostMessage(x: unknown): x is ResultsHostMessage {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'init':
      return Array.isArray(x.sets) && isRecord(x.meta) && isNonNegativeInt(x.active);
    case 'rows':
      return isNonNegativeInt(x.set) && isNonNegativeInt(x.requestId) && isNonNegativeInt(x.viewVersion)
        && isNonNegativeInt(x.offset) && Array.isArray(x.rows) && x.rows.every((r) => Array.isArray(r));
    case 'progress':
      return isNonNegativeInt(x.set) && isNonNegativeInt(x.rowCount) && isNonNegativeInt(x.loadedCount) && typeof x.complete === 'boolean';
    case 'viewChanged':
      return isNonNegativeInt(x.set) && isNonNegativeInt(x.viewVersion) && isNonNegativeInt(x.rowCount) && isViewSpec(x.view);
    case 'chartData':
      return isNonNegativeInt(x.set) && isNonNegativeInt(x.requestId) && Array.isArray(x.columns) && Array.isArray(x.rows)
        && x.rows.every((r) => Array.isArray(r) && r.every(isCell));
    case 'unavailable':
      return isString(x.message);
    case 'notice':
      return isOneOf(x.level, ['info', 'error'] as const) && isString(x.message);
    default:
      return false;
  }
}

/** What the results webview keeps in vscode.setState (survives hide/reload). */
export interface ResultsWebviewState {
  restoreKey?: string;
  active: number;
  perSet: Array<{ scrollTop: number; scrollLeft: number; widths: number[]; view: ViewSpec }>;
}
