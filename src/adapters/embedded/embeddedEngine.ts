import { randomUUID } from 'node:crypto';
import type { PGlite, Results } from '@electric-sql/pglite';
import { renderCreateTable } from '../../core/catalog/ddlWriter';
import { relationKey, type CatalogSnapshot, type TableDef } from '../../core/catalog/model';
import type {
  CancellationSignal,
  EngineCatalogTable,
  ExecuteOptions,
  Logger,
  QueryEngine,
  ResultColumn,
  ResultPage,
  StatementOutcome,
  StatementProgress,
} from '../../core/ports';
import {
  splitSqlStatements,
  translateRedshiftToPostgres,
  UnsupportedRedshiftSyntaxError,
  type SqlStatementSlice,
} from '../../core/sql/redshiftToPostgres';
import { loadEmbeddedDatabase } from './embeddedLoader';
import type { EmbeddedLoadReport, EmbeddedRelationReport } from './loadReport';
import { startPglite } from './pgliteStartup';
import { kindForTypname, redshiftTypeName, resultColumn, toCell } from './resultConversion';
import { StoredResults, type StoredResult } from './storedResults';

export interface EmbeddedEngineOptions {
  /** Tables and views to create (postgres dialect of the catalog DDL). */
  catalog?: CatalogSnapshot | TableDef[];
  /** Folders scanned (4 levels deep) for `schema.table.csv`, `schema/table.csv` or `table.csv`. */
  dataDirs?: string[];
  /** dbt seed folders: `<name>.csv` → `<seedSchema>.<name>` (or the schema the catalog gives that seed). */
  seedDirs?: string[];
  /** Default `public`. */
  seedSchema?: string;
  /** Rows per fetchPage, default 1000. */
  pageSize?: number;
  /** Finished results kept for paging, oldest dropped first; default 50. */
  maxStoredResults?: number;
  label?: string;
  logger?: Logger;
  /**
   * Folder for a cached, initialised database (tarball, ~5 MB gzip). Restoring it skips initdb and makes
   * startup about 3x faster. Workspace data is never cached: tables and CSVs load fresh each time.
   */
  cacheDir?: string;
  /**
   * Folder that catalog origins (`origin.file`) are relative to; dbt model files are read from there.
   * When absent, each of `dataDirs` is tried.
   */
  workspaceRoot?: string;
}

type Db = PGlite;
interface Started {
  db: Db;
  report: EmbeddedLoadReport;
  typnames: Map<number, string>;
}

const DISPOSED_ERROR = 'Embedded engine has been disposed.';

/**
 * The in-process query engine: PostgreSQL 18 in WASM (PGlite) with Redshift compatibility functions,
 * the workspace catalog as tables/views and CSV files as data. Everything is created on first use.
 *
 * Cancellation is best effort: PGlite executes a statement synchronously inside WASM, so a running
 * statement cannot be interrupted. An abort is honoured before each statement and after it completes
 * (the result is discarded, a batch is rolled back, the outcome is ABORTED).
 */
export class EmbeddedEngine implements QueryEngine {
  readonly label: string;
  readonly isLocal = true;
  private readonly pageSize: number;
  private readonly tables: TableDef[];
  private readonly results: StoredResults;
  private startup?: Promise<Started>;
  private disposed = false;

  constructor(private readonly options: EmbeddedEngineOptions = {}) {
    this.label = options.label ?? 'Embedded (local PGlite)';
    this.pageSize = Math.max(1, options.pageSize ?? 1000);
    const catalog = options.catalog;
    this.tables = Array.isArray(catalog) ? catalog : (catalog?.tables ?? []);
    this.results = new StoredResults(options.maxStoredResults ?? 50);
  }

  /** Starts the database and loads the workspace; later calls return the same report. */
  async loadReport(): Promise<EmbeddedLoadReport> {
    return (await this.ready()).report;
  }

  private ready(): Promise<Started> {
    if (this.disposed) return Promise.reject(new Error(DISPOSED_ERROR));
    this.startup ??= this.start();
    return this.startup;
  }

  private async start(): Promise<Started> {
    const startedAt = Date.now();
    const { db, fromSnapshot } = await startPglite(this.options.cacheDir);
    const startup = { durationMs: Date.now() - startedAt, fromSnapshot };
    const report = await loadEmbeddedDatabase(db, {
      tables: this.tables,
      dataDirs: this.options.dataDirs ?? [],
      seedDirs: this.options.seedDirs ?? [],
      seedSchema: this.options.seedSchema ?? 'public',
      defaultSchema: 'public',
      workspaceRoot: this.options.workspaceRoot,
    });
    report.startup = startup;
    const types = await db.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type');
    const typnames = new Map(types.rows.map((r) => [r.oid, r.typname]));
    const failed = report.files.filter((f) => f.status === 'failed').length + report.relations.filter((r) => r.status === 'failed').length;
    const notBuilt = report.relations.filter((r) => r.status !== 'created');
    this.options.logger?.info(
      `${this.label}: ${report.relations.filter((r) => r.status === 'created').length} relations, ` +
        `${report.files.filter((f) => f.status === 'loaded').length} CSV files loaded, ${failed} failures, ` +
        `${notBuilt.length - report.relations.filter((r) => r.status === 'failed').length} relations not built, ${report.durationMs} ms`,
    );
    for (const r of notBuilt) this.options.logger?.warn(`${this.label}: ${r.schema}.${r.name} not built (${r.status}): ${r.message ?? 'no reason given'}`);
    return { db, report, typnames };
  }

  async execute(sql: string | string[], options: ExecuteOptions = {}): Promise<StatementOutcome> {
    const id = randomUUID();
    const started = Date.now();
    const progress = (status: StatementProgress['status']) => options.onProgress?.({ status, elapsedMs: Date.now() - started });
    progress('SUBMITTED');
    let engine: Started;
    try {
      engine = await this.ready();
    } catch (err) {
      progress('FAILED');
      return { id, status: 'FAILED', error: `Embedded engine could not start: ${err instanceof Error ? err.message : String(err)}`, hasResultSet: false, durationMs: Date.now() - started };
    }
    const { db, typnames } = engine;
    const sources = Array.isArray(sql) ? sql : [sql];
    const slices = sources.flatMap((text, item) => splitSqlStatements(text).map((s) => ({ ...s, item, source: text })));
    const finish = (o: Omit<StatementOutcome, 'id' | 'durationMs'>): StatementOutcome => {
      const outcome = { id, durationMs: Date.now() - started, ...o, ...(o.error ? { error: whyMissing(o.error, engine.report.relations) } : {}) };
      progress(outcome.status);
      return outcome;
    };
    if (slices.length === 0) return finish({ status: 'FAILED', error: 'No SQL statement to run.', hasResultSet: false });
    if (options.signal?.aborted) return finish({ status: 'ABORTED', hasResultSet: false });
    progress('STARTED');

    if (slices.length === 1) {
      const one = await this.runOne(db, typnames, slices[0], options);
      if (options.signal?.aborted) return finish({ status: 'ABORTED', hasResultSet: false });
      if (one.status === 'FINISHED' && one.result) this.results.put(id, one.result);
      return finish({ status: one.status, error: one.error, errorPosition: one.errorPosition, resultRows: one.resultRows, hasResultSet: !!one.result });
    }
    return this.runBatch(db, typnames, slices, options, id, finish);
  }

  private async runBatch(
    db: Db,
    typnames: Map<number, string>,
    slices: Array<SqlStatementSlice & { item: number; source: string }>,
    options: ExecuteOptions,
    id: string,
    finish: (o: Omit<StatementOutcome, 'id' | 'durationMs'>) => StatementOutcome,
  ): Promise<StatementOutcome> {
    // A batch runs as one transaction, as the Data API's BatchExecuteStatement does, unless it manages transactions itself.
    const managesTransactions = slices.some((s) => /^\s*(begin|start\s+transaction|commit|end|rollback|abort)\b/i.test(s.text));
    const subs: StatementOutcome[] = [];
    const stored: Array<[string, StoredResult]> = [];
    let failure: { error?: string; errorPosition?: StatementOutcome['errorPosition'] } | undefined;
    let aborted = false;
    const body = async (conn: Db | Parameters<Parameters<Db['transaction']>[0]>[0]) => {
      for (let n = 0; n < slices.length; n++) {
        const subId = `${id}:${n + 1}`;
        if (failure || aborted || options.signal?.aborted) {
          aborted ||= !failure && !!options.signal?.aborted;
          subs.push({ id: subId, status: 'ABORTED', hasResultSet: false, durationMs: 0 });
          continue;
        }
        const t0 = Date.now();
        const one = await this.runOne(conn, typnames, slices[n], options);
        subs.push({ id: subId, status: one.status, error: one.error, errorPosition: one.errorPosition, resultRows: one.resultRows, hasResultSet: !!one.result, durationMs: Date.now() - t0 });
        if (one.status === 'FAILED') failure = { error: `Statement ${n + 1}: ${one.error}`, errorPosition: one.errorPosition };
        else if (one.result) stored.push([subId, one.result]);
      }
      if ((failure || aborted || options.signal?.aborted) && 'rollback' in conn) await conn.rollback();
    };
    try {
      if (managesTransactions) await body(db);
      else await db.transaction(async (tx) => body(tx));
    } catch (err) {
      failure ??= { error: err instanceof Error ? err.message : String(err) };
    }
    if (options.signal?.aborted && !failure) return finish({ status: 'ABORTED', hasResultSet: false, subStatements: subs });
    if (failure) return finish({ status: 'FAILED', ...failure, hasResultSet: false, subStatements: subs });
    for (const [subId, result] of stored) this.results.put(subId, result);
    const last = stored[stored.length - 1];
    if (last) this.results.alias(id, last[0]);
    return finish({ status: 'FINISHED', hasResultSet: !!last, resultRows: last?.[1].rows.length, subStatements: subs });
  }

  private async runOne(
    conn: Pick<Db, 'query'>,
    typnames: Map<number, string>,
    slice: SqlStatementSlice & { source: string },
    options: ExecuteOptions,
  ): Promise<{ status: 'FINISHED' | 'FAILED'; error?: string; errorPosition?: StatementOutcome['errorPosition']; result?: StoredResult; resultRows?: number }> {
    const position = (offsetInSlice: number) => sourcePosition(slice.source, slice.offset + offsetInSlice);
    const showTable = this.showTable(slice.text);
    if (showTable) return showTable;
    let translated;
    try {
      translated = translateRedshiftToPostgres(slice.text);
    } catch (err) {
      if (err instanceof UnsupportedRedshiftSyntaxError) {
        const pos = position(err.offset);
        return { status: 'FAILED', error: `${err.message} (line ${pos.line}, column ${pos.column})`, errorPosition: pos };
      }
      return { status: 'FAILED', error: err instanceof Error ? err.message : String(err) };
    }
    const values: string[] = [];
    for (const name of translated.parameterNames) {
      const p = options.parameters?.find((x) => x.name === name);
      if (!p) return { status: 'FAILED', error: `No value given for parameter :${name}.` };
      values.push(p.value);
    }
    try {
      const res: Results<unknown[]> = await conn.query<unknown[]>(translated.sql, values, { rowMode: 'array' });
      if (res.fields.length === 0) return { status: 'FINISHED', resultRows: res.affectedRows ?? res.rowCount };
      const columns = res.fields.map((f) => resultColumn(f.name, f.dataTypeID, typnames));
      const oids = res.fields.map((f) => f.dataTypeID);
      const rows = res.rows.map((r) => r.map((v, i) => toCell(v, oids[i])));
      return { status: 'FINISHED', result: { columns, rows }, resultRows: rows.length };
    } catch (err) {
      return { status: 'FAILED', ...describePgError(err, (pgPos) => position(translated.mapOffset(pgPos - 1))) };
    }
  }

  /** SHOW TABLE s.t: Redshift's DDL for a table the catalog knows, rebuilt locally. */
  private showTable(text: string): { status: 'FINISHED'; result: StoredResult; resultRows: number } | undefined {
    const m = /^\s*show\s+(table|view)\s+(?:"?([\w$]+)"?\.)?"?([\w$]+)"?\s*;?\s*$/i.exec(text);
    if (!m) return undefined;
    const key = relationKey(m[2], m[3]);
    const def = this.tables.find((t) => relationKey(t.schema, t.name) === key);
    if (!def) return undefined;
    const ddl = renderCreateTable(def, 'redshift');
    return { status: 'FINISHED', result: { columns: [{ name: 'Show Table DDL statement', typeName: 'varchar', kind: 'text' }], rows: [[ddl]] }, resultRows: 1 };
  }

  async fetchPage(statementId: string, nextToken?: string, signal?: CancellationSignal): Promise<ResultPage> {
    void signal;
    const result = this.results.get(statementId);
    if (!result) throw new Error(`No result set for statement ${statementId} (unknown id, no rows returned, or evicted).`);
    const offset = nextToken ? Number.parseInt(nextToken, 10) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`Invalid page token: ${nextToken}`);
    const rows = result.rows.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < result.rows.length ? String(offset + this.pageSize) : undefined;
    return { columns: result.columns, rows, ...(next ? { nextToken: next } : {}) };
  }

  async listSchemas(): Promise<string[]> {
    const { db } = await this.ready();
    const res = await db.query<{ schema_name: string }>(
      `SELECT schema_name FROM information_schema.schemata
       WHERE schema_name NOT IN ('information_schema', 'pg_catalog', 'pg_toast') AND schema_name NOT LIKE 'pg\\_%'
       ORDER BY schema_name`,
    );
    return res.rows.map((r) => r.schema_name);
  }

  async listTables(schema: string): Promise<EngineCatalogTable[]> {
    const { db } = await this.ready();
    const res = await db.query<{ table_name: string; table_type: string }>(
      `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = $1
       UNION ALL SELECT matviewname, 'VIEW' FROM pg_matviews WHERE schemaname = $1
       ORDER BY 1`,
      [schema],
    );
    return res.rows.map((r) => ({
      schema,
      name: r.table_name,
      type: r.table_type === 'BASE TABLE' ? 'TABLE' : r.table_type === 'VIEW' ? 'VIEW' : r.table_type === 'FOREIGN' ? 'EXTERNAL TABLE' : 'OTHER',
    }));
  }

  async describeTable(schema: string, table: string): Promise<ResultColumn[]> {
    const { db } = await this.ready();
    const res = await db.query<{ column_name: string; udt_name: string; domain_name: string | null }>(
      `SELECT column_name, udt_name, domain_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    );
    return res.rows.map((r) => {
      const typname = r.domain_name === 'super' ? 'jsonb' : r.udt_name;
      return { name: r.column_name, typeName: redshiftTypeName(typname), kind: kindForTypname(typname) };
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.results.clear();
    const startup = this.startup;
    this.startup = undefined;
    if (startup) {
      const { db } = await startup.catch(() => ({ db: undefined }));
      if (db && !db.closed) await db.close();
    }
  }
}

/** 1-based line/column of an offset in a text. */
function sourcePosition(text: string, offset: number): { offset: number; line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const before = text.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: clamped, line, column };
}

function describePgError(
  err: unknown,
  locate: (pgPosition: number) => { offset: number; line: number; column: number },
): { error: string; errorPosition?: StatementOutcome['errorPosition'] } {
  if (!(err instanceof Error)) return { error: String(err) };
  const e = err as Error & { position?: string; detail?: string; hint?: string; code?: string };
  let error = `ERROR: ${e.message}`;
  if (e.detail) error += `\nDETAIL: ${e.detail}`;
  if (e.hint) error += `\nHINT: ${e.hint}`;
  if (e.code === '42P01' && /missing FROM-clause entry/.test(e.message)) {
    error += '\nNOTE: if this is Redshift SUPER navigation (a.b.c or a[0]), it is not supported by the embedded engine.';
  }
  const pgPosition = e.position ? Number.parseInt(e.position, 10) : NaN;
  if (!Number.isFinite(pgPosition) || pgPosition < 1) return { error };
  const pos = locate(pgPosition);
  return { error: `${error} (line ${pos.line}, column ${pos.column})`, errorPosition: pos };
}

/**
 * A missing relation's error, with why the embedded engine did not build it when it is one it skipped (a dbt model
 * whose Jinja cannot be compiled here): "relation does not exist" alone sends the user looking in the wrong place.
 */
export function whyMissing(error: string, relations: readonly EmbeddedRelationReport[]): string {
  const missing = /relation "([^"]+)" does not exist/.exec(error)?.[1]?.toLowerCase();
  if (!missing) return error;
  const r = relations.find((x) => x.status !== 'created' && (`${x.schema}.${x.name}`.toLowerCase() === missing || x.name.toLowerCase() === missing));
  return r ? `${error} — ${r.schema}.${r.name} was not built here: ${r.message ?? r.status}` : error;
}
