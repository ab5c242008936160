/**
 * The asynchronous statement lifecycle of the stand-in: SUBMITTED → PICKED → STARTED → FINISHED | FAILED | ABORTED,
 * executed on real PostgreSQL connections. One connection per statement (or batch), like the real service.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { translateNamedParameters } from './namedParameters';
import { CursorResult, MemoryResult, SharedConnection, type ResultStore } from './resultStore';
import type { PgField, RawRow } from './wireTypes';

export type Status = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface SqlParameter {
  name: string;
  value: string;
}

export interface StatementRecord {
  id: string;
  queryString: string;
  parameters?: SqlParameter[];
  status: Status;
  error?: string;
  createdAt: number;
  updatedAt: number;
  startNs?: bigint;
  durationNs: number;
  hasResultSet: boolean;
  resultRows: number;
  redshiftPid?: number;
  redshiftQueryId: number;
  database: string;
  clusterIdentifier?: string;
  workgroupName?: string;
  dbUser?: string;
  secretArn?: string;
  statementName?: string;
  resultFormat: 'JSON' | 'CSV';
  sessionId?: string;
  /** Who submitted it: the access key of the request's signature (ListStatements RoleLevel false lists only these). */
  caller?: string;
  executionMode?: 'TRANSACTION' | 'AUTO_COMMIT';
  subStatements?: StatementRecord[];
  result?: ResultStore;
  resultEvicted?: boolean;
  cancelRequested: boolean;
}

export interface Session {
  id: string;
  client: pg.Client;
  database: string;
  /** The warehouse and identity it was opened with; its statements are recorded (and listed) under them. */
  clusterIdentifier?: string;
  workgroupName?: string;
  dbUser?: string;
  secretArn?: string;
  busy: boolean;
  keepAliveSeconds: number;
  timer?: NodeJS.Timeout;
}

/** Services the runner needs from the server. */
export interface RunnerContext {
  connect(database: string): Promise<pg.Client>;
  /** Keeps a finished result; the context may evict (release) older ones. */
  holdResult(st: StatementRecord): void;
  cancelBackend(pid: number): Promise<void>;
}

class Cancelled extends Error {}

let queryIdSeq = 1000;

export function newRecord(init: Partial<StatementRecord> & { queryString: string; database: string }): StatementRecord {
  const now = Date.now();
  return {
    id: randomUUID(),
    status: 'SUBMITTED',
    createdAt: now,
    updatedAt: now,
    durationNs: -1,
    hasResultSet: false,
    resultRows: -1,
    redshiftQueryId: ++queryIdSeq,
    resultFormat: 'JSON',
    cancelRequested: false,
    ...init,
  };
}

export function isTerminal(s: Status): boolean {
  return s === 'FINISHED' || s === 'FAILED' || s === 'ABORTED';
}

function setStatus(st: StatementRecord, status: Status): void {
  st.status = status;
  st.updatedAt = Date.now();
  if (status === 'STARTED') st.startNs = process.hrtime.bigint();
  if (isTerminal(status)) st.durationNs = st.startNs === undefined ? 0 : Number(process.hrtime.bigint() - st.startNs);
}

/** `ERROR: …` as Redshift words it. */
function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('ERROR:') ? msg : `ERROR: ${msg}`;
}

function bindValues(sql: string, params: SqlParameter[] | undefined): { text: string; values?: string[] } {
  if (!params || params.length === 0) return { text: sql };
  const t = translateNamedParameters(sql);
  const byName = new Map(params.map((p) => [p.name, p.value]));
  const values = t.occurrences.map((name) => {
    const v = byName.get(name);
    if (v === undefined) throw new Error(`ERROR: parameter ":${name}" has no value in Parameters`);
    return v;
  });
  return { text: t.text, values: values.length ? values : undefined };
}

/** Statements DECLARE … CURSOR accepts (SELECT / WITH / VALUES / TABLE), after leading comments and parens. */
function cursorable(sql: string): boolean {
  const s = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/g, '');
  return /^(select|with|values|table)\b/i.test(s);
}

const FALLBACK_CODES = new Set(['42601', '0A000']);

type StepResult =
  | { kind: 'cursor'; cursor: string; count: number }
  | { kind: 'rows'; fields: PgField[]; rows: RawRow[] }
  | { kind: 'none'; rowCount: number };

async function runDirect(client: pg.Client, text: string, values: string[] | undefined): Promise<StepResult> {
  const res = (await client.query({ text, values, rowMode: 'array' })) as pg.QueryResult | pg.QueryResult[];
  const last = Array.isArray(res) ? res[res.length - 1] : res;
  if (last && last.fields && last.fields.length > 0) {
    return { kind: 'rows', fields: last.fields as unknown as PgField[], rows: last.rows as RawRow[] };
  }
  return { kind: 'none', rowCount: last?.rowCount ?? 0 };
}

/**
 * Runs one statement. `inTransaction` false: own BEGIN/DECLARE/COMMIT, so COMMIT materialises the held cursor and
 * the count is read afterwards from the stored result. true (batch): SAVEPOINT-guarded DECLARE + MOVE ALL.
 */
async function runStep(
  client: pg.Client,
  text: string,
  values: string[] | undefined,
  inTransaction: boolean,
  useCursor: boolean,
): Promise<StepResult> {
  if (!useCursor || !cursorable(text)) return runDirect(client, text, values);
  const cursor = `q_${randomBytes(6).toString('hex')}`;
  const declare = `DECLARE ${cursor} SCROLL CURSOR WITH HOLD FOR ${text}`;
  if (!inTransaction) {
    await client.query('BEGIN');
    try {
      await client.query({ text: declare, values });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (FALLBACK_CODES.has((err as { code?: string }).code ?? '')) return runDirect(client, text, values);
      throw err;
    }
    try {
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } else {
    await client.query('SAVEPOINT quarry_declare');
    try {
      await client.query({ text: declare, values });
      await client.query('RELEASE SAVEPOINT quarry_declare');
    } catch (err) {
      if (!FALLBACK_CODES.has((err as { code?: string }).code ?? '')) throw err;
      await client.query('ROLLBACK TO SAVEPOINT quarry_declare');
      return runDirect(client, text, values);
    }
  }
  const moved = await client.query(`MOVE FORWARD ALL IN ${cursor}`);
  await client.query(`MOVE ABSOLUTE 0 IN ${cursor}`);
  return { kind: 'cursor', cursor, count: moved.rowCount ?? 0 };
}

function applyStep(st: StatementRecord, step: StepResult, conn: SharedConnection | undefined): void {
  if (step.kind === 'cursor' && conn) {
    conn.retain();
    st.result = new CursorResult(conn, step.cursor, step.count);
    st.hasResultSet = true;
    st.resultRows = step.count;
  } else if (step.kind === 'rows') {
    st.result = new MemoryResult(step.fields, step.rows);
    st.hasResultSet = true;
    st.resultRows = step.rows.length;
  } else if (step.kind === 'none') {
    st.hasResultSet = false;
    st.resultRows = step.rowCount;
  }
}

function isCancelError(err: unknown): boolean {
  return err instanceof Cancelled || (err as { code?: string }).code === '57014';
}

/** Re-sends pg_cancel_backend until the statement ends (a cancel that lands between two queries is otherwise lost). */
export function startCancelling(st: StatementRecord, ctx: RunnerContext): void {
  st.cancelRequested = true;
  let tries = 0;
  const tick = async (): Promise<void> => {
    if (isTerminal(st.status) || tries++ > 100) return;
    if (st.redshiftPid !== undefined && st.status === 'STARTED') await ctx.cancelBackend(st.redshiftPid).catch(() => undefined);
    setTimeout(() => void tick(), 100).unref();
  };
  void tick();
}

export async function runStatement(st: StatementRecord, ctx: RunnerContext, session?: Session): Promise<void> {
  const check = (): void => {
    if (st.cancelRequested) throw new Cancelled();
  };
  let client: pg.Client | undefined;
  let conn: SharedConnection | undefined;
  try {
    check();
    setStatus(st, 'PICKED');
    client = session ? session.client : await ctx.connect(st.database);
    st.redshiftPid = (client as unknown as { processID?: number }).processID;
    check();
    setStatus(st, 'STARTED');
    const { text, values } = bindValues(st.queryString, st.parameters);
    check();
    if (!session) conn = new SharedConnection(client);
    // Session statements keep their rows in memory: the session's own transaction state must stay untouched.
    const step = await runStep(client, text, values, false, !session);
    check();
    applyStep(st, step, conn);
    setStatus(st, 'FINISHED');
    if (st.hasResultSet) ctx.holdResult(st);
  } catch (err) {
    if (isCancelError(err) && st.cancelRequested) {
      setStatus(st, 'ABORTED');
    } else {
      st.error = errorText(err);
      setStatus(st, 'FAILED');
    }
  } finally {
    if (conn) await conn.release();
    if (session) session.busy = false;
  }
}

export async function runBatch(batch: StatementRecord, sqls: string[], ctx: RunnerContext, session?: Session): Promise<void> {
  const subs = batch.subStatements ?? [];
  const transaction = batch.executionMode !== 'AUTO_COMMIT';
  let client: pg.Client | undefined;
  let conn: SharedConnection | undefined;
  let current: StatementRecord | undefined;
  try {
    if (batch.cancelRequested) throw new Cancelled();
    setStatus(batch, 'PICKED');
    client = session ? session.client : await ctx.connect(batch.database);
    batch.redshiftPid = (client as unknown as { processID?: number }).processID;
    setStatus(batch, 'STARTED');
    if (!session) conn = new SharedConnection(client);
    if (transaction) await client.query('BEGIN');
    for (let i = 0; i < sqls.length; i++) {
      current = subs[i];
      current.redshiftPid = batch.redshiftPid;
      if (batch.cancelRequested) throw new Cancelled();
      setStatus(current, 'STARTED');
      const { text, values } = bindValues(sqls[i], batch.parameters);
      const step = await runStep(client, text, values, transaction, !!conn && transaction);
      applyStep(current, step, conn);
      setStatus(current, 'FINISHED');
    }
    current = undefined;
    if (transaction) await client.query('COMMIT');
    for (const s of subs) if (s.hasResultSet) ctx.holdResult(s);
    batch.resultRows = subs.reduce((n, s) => n + Math.max(0, s.resultRows), 0);
    batch.hasResultSet = subs.some((s) => s.hasResultSet);
    setStatus(batch, 'FINISHED');
  } catch (err) {
    if (client && transaction) await client.query('ROLLBACK').catch(() => undefined);
    const cancelled = isCancelError(err) && batch.cancelRequested;
    if (current) {
      if (!cancelled) current.error = errorText(err);
      setStatus(current, cancelled ? 'ABORTED' : 'FAILED');
    }
    for (const s of subs) {
      if (!isTerminal(s.status)) setStatus(s, 'ABORTED');
      // A rolled-back batch keeps no results.
      if (transaction && s.result) {
        void s.result.release();
        s.result = undefined;
        s.hasResultSet = false;
      }
    }
    if (cancelled) {
      setStatus(batch, 'ABORTED');
    } else {
      batch.error = errorText(err);
      setStatus(batch, 'FAILED');
    }
  } finally {
    if (conn) await conn.release();
    if (session) session.busy = false;
  }
}
