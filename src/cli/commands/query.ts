/**
 * `quarry query "<sql>" --connection NAME [--format csv|json] [--out FILE] [--config FILE] [--param name=value]...`
 *
 * Connections (RedshiftConnectionProfile objects, same shape as the VS Code setting `quarry.connections`) are read
 * from the first source that exists:
 *   1. `--config FILE`: JSON (comments allowed): an array, or an object with "quarry.connections" or "connections";
 *   2. env `QUARRY_CONNECTIONS`: a JSON array;
 *   3. `.vscode/settings.json` of the current directory: its "quarry.connections".
 * `--connection` may be omitted when exactly one connection is configured. Credentials come from the AWS profile.
 *
 * Pages are streamed as they arrive: CSV (RFC 4180, CRLF, header row; NULL = empty field, empty string = "") or
 * JSON Lines (one object per row). Several statements (split with core/sql/splitter) run as one batch and the last
 * result set is written.
 *
 * `--embedded DIR` runs on the in-process engine, which another module provides: pass it through
 * `deps.engineFactory` (see EngineFactory); this command does not build it.
 */
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { CancellationSignal, CellValue, QueryEngine, QueryParameter, ResultColumn, ResultPage, StatementOutcome } from '../../core/ports';
import { splitStatements } from '../../core/sql/splitter';
import { NextTokenGuard } from '../../core/paging';
import { AuthExpiredError } from '../../adapters/aws/authErrors';
import { connectionProfileProblems, type RedshiftConnectionProfile } from '../../adapters/aws/redshiftData/connectionProfile';
import { RedshiftDataEngine } from '../../adapters/aws/redshiftDataEngine';
import type { CliCommand } from './registry';

export interface QueryIo {
  out(s: string): void;
  err(s: string): void;
}

/** What to run on. `embedded` is served only by an injected factory (the embedded engine lives elsewhere). */
export type EngineSpec = { kind: 'redshift'; connection: RedshiftConnectionProfile } | { kind: 'embedded'; dir: string };

/** HOOK: the composition root passes a factory that also knows `embedded` (and tests pass one with test credentials). */
export type EngineFactory = (spec: EngineSpec) => QueryEngine | Promise<QueryEngine>;

export interface QueryCommandDeps {
  engineFactory?: EngineFactory;
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal?: CancellationSignal;
}

export const defaultEngineFactory: EngineFactory = (spec) => {
  if (spec.kind === 'redshift') return new RedshiftDataEngine({ ...spec.connection, sessionKeepAliveSeconds: 0 });
  throw new UsageError('--embedded needs the embedded engine, which this build does not provide');
};

class UsageError extends Error {}

interface ParsedArgs {
  sql?: string;
  connection?: string;
  format: 'csv' | 'json';
  out?: string;
  config?: string;
  embedded?: string;
  params: QueryParameter[];
}

function parseArgs(args: string[]): ParsedArgs {
  const parsed: ParsedArgs = { format: 'csv', params: [] };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--connection':
      case '-c':
        parsed.connection = take();
        break;
      case '--format': {
        const f = take();
        if (f !== 'csv' && f !== 'json') throw new UsageError(`--format must be csv or json, not ${f}`);
        parsed.format = f;
        break;
      }
      case '--out':
      case '-o':
        parsed.out = take();
        break;
      case '--config':
        parsed.config = take();
        break;
      case '--embedded':
        parsed.embedded = take();
        break;
      case '--param': {
        const p = take();
        const eq = p.indexOf('=');
        if (eq <= 0) throw new UsageError(`--param wants name=value, got ${p}`);
        parsed.params.push({ name: p.slice(0, eq), value: p.slice(eq + 1) });
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        if (parsed.sql !== undefined) throw new UsageError('give the SQL as one quoted argument');
        parsed.sql = a;
    }
  }
  return parsed;
}

/** JSON with // and /* comments and trailing commas (VS Code settings files). */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

function connectionsFrom(value: unknown, source: string): RedshiftConnectionProfile[] {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object'
      ? ((value as Record<string, unknown>)['quarry.connections'] ?? (value as Record<string, unknown>).connections)
      : undefined;
  if (!Array.isArray(list)) throw new UsageError(`${source} has no connection list ("quarry.connections")`);
  const problems = list.flatMap((c) => connectionProfileProblems(c));
  if (problems.length) throw new UsageError(`${source}: ${problems.join('; ')}`);
  return list as RedshiftConnectionProfile[];
}

export function loadConnections(configPath: string | undefined, cwd: string, env: Record<string, string | undefined>): RedshiftConnectionProfile[] {
  if (configPath) {
    if (!existsSync(configPath)) throw new UsageError(`config file not found: ${configPath}`);
    return connectionsFrom(parseJsonc(readFileSync(configPath, 'utf8')), configPath);
  }
  if (env.QUARRY_CONNECTIONS) return connectionsFrom(JSON.parse(env.QUARRY_CONNECTIONS), 'QUARRY_CONNECTIONS');
  const settings = join(cwd, '.vscode', 'settings.json');
  if (existsSync(settings)) return connectionsFrom(parseJsonc(readFileSync(settings, 'utf8')), settings);
  throw new UsageError('no connections configured: use --config FILE, QUARRY_CONNECTIONS, or .vscode/settings.json "quarry.connections"');
}

// ---------------------------------------------------------------- output formats

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v === '' || NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvHeader(columns: ResultColumn[]): string {
  return columns.map((c) => csvField(c.name)).join(',') + '\r\n';
}

export function csvRows(rows: CellValue[][]): string {
  let s = '';
  for (const row of rows) s += row.map(csvField).join(',') + '\r\n';
  return s;
}

/** Keys for JSON Lines objects; duplicate column names get _2, _3 … */
export function jsonKeys(columns: ResultColumn[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c.name : `${c.name}_${n}`;
  });
}

export function jsonLines(keys: string[], rows: CellValue[][]): string {
  let s = '';
  for (const row of rows) {
    const obj: Record<string, CellValue> = {};
    for (let i = 0; i < keys.length; i++) obj[keys[i]] = row[i];
    s += JSON.stringify(obj) + '\n';
  }
  return s;
}

interface Sink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

function fileSink(path: string): Sink {
  const stream: WriteStream = createWriteStream(path);
  let failure: Error | undefined;
  stream.on('error', (e) => (failure = e));
  return {
    write: (chunk) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (stream.write(chunk)) resolve();
        else stream.once('drain', () => resolve());
      }),
    close: () => new Promise((resolve, reject) => stream.end((err?: Error | null) => (err || failure ? reject(err ?? failure) : resolve()))),
  };
}

function ioSink(io: QueryIo): Sink {
  return { write: async (chunk) => io.out(chunk), close: async () => undefined };
}

/** The statement whose rows to print: the statement itself, or a batch's last sub-statement with a result set. */
function resultStatement(outcome: StatementOutcome): StatementOutcome | undefined {
  if (outcome.subStatements?.length) return [...outcome.subStatements].reverse().find((s) => s.hasResultSet);
  return outcome.hasResultSet ? outcome : undefined;
}

/** Streams every page of `statementId` into `sink`; returns the row count. The next page is requested while the
 * current one is formatted and written, so the network and the sink overlap. */
export async function exportResult(
  engine: QueryEngine,
  statementId: string,
  format: 'csv' | 'json',
  sink: { write(chunk: string): Promise<void> },
  signal?: CancellationSignal,
): Promise<number> {
  let keys: string[] = [];
  let rows = 0;
  let pending: Promise<ResultPage> | undefined = engine.fetchPage(statementId, undefined, signal);
  let first = true;
  const pages = new NextTokenGuard('GetStatementResult');
  while (pending) {
    const page: ResultPage = await pending;
    pending = nextPage(engine, statementId, pages, page.nextToken, signal);
    // Keep a failed prefetch from becoming an unhandled rejection while this page is written.
    pending?.catch(() => undefined);
    if (first) {
      first = false;
      if (format === 'csv') await sink.write(csvHeader(page.columns));
      keys = jsonKeys(page.columns);
    }
    if (page.rows.length) await sink.write(format === 'csv' ? csvRows(page.rows) : jsonLines(keys, page.rows));
    rows += page.rows.length;
  }
  return rows;
}

/** The next page's fetch, undefined after the last page. A repeated NextToken becomes a failed fetch, so the page in
 * hand is still written before the export stops with RepeatedNextTokenError. */
function nextPage(
  engine: QueryEngine,
  statementId: string,
  pages: NextTokenGuard,
  token: string | undefined,
  signal?: CancellationSignal,
): Promise<ResultPage> | undefined {
  let next: string | undefined;
  try {
    next = pages.next(token);
  } catch (err) {
    return Promise.reject(err);
  }
  return next && !signal?.aborted ? engine.fetchPage(statementId, next, signal) : undefined;
}

export async function runQueryCommand(args: string[], io: QueryIo, deps: QueryCommandDeps = {}): Promise<number> {
  let engine: QueryEngine | undefined;
  try {
    const a = parseArgs(args);
    if (!a.sql || !a.sql.trim()) throw new UsageError('usage: quarry query "<sql>" --connection NAME [--format csv|json] [--out FILE]');
    const factory = deps.engineFactory ?? defaultEngineFactory;
    if (a.embedded) {
      engine = await factory({ kind: 'embedded', dir: a.embedded });
    } else {
      const connections = loadConnections(a.config, deps.cwd ?? process.cwd(), deps.env ?? process.env);
      const connection = a.connection
        ? connections.find((c) => c.name === a.connection)
        : connections.length === 1
          ? connections[0]
          : undefined;
      if (!connection) {
        throw new UsageError(
          a.connection
            ? `no connection named "${a.connection}" (have: ${connections.map((c) => c.name).join(', ')})`
            : `several connections configured; pick one with --connection (${connections.map((c) => c.name).join(', ')})`,
        );
      }
      engine = await factory({ kind: 'redshift', connection });
    }
    const statements = splitStatements(a.sql).map((s) => s.text);
    if (statements.length === 0) throw new UsageError('the SQL holds no statement');
    const started = Date.now();
    const outcome = await engine.execute(statements.length === 1 ? statements[0] : statements, {
      parameters: a.params,
      signal: deps.signal,
    });
    if (outcome.status !== 'FINISHED') {
      const failed = outcome.subStatements?.find((s) => s.status === 'FAILED');
      io.err(`quarry query: statement ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}${failed?.error && failed.error !== outcome.error ? ` (${failed.error})` : ''}`);
      return 1;
    }
    const target = resultStatement(outcome);
    if (!target) {
      io.err(`quarry query: done in ${Date.now() - started} ms${outcome.resultRows !== undefined ? `, ${outcome.resultRows} rows affected` : ''}`);
      return 0;
    }
    const sink = a.out ? fileSink(a.out) : ioSink(io);
    let rows: number;
    try {
      rows = await exportResult(engine, target.id, a.format, sink, deps.signal);
    } finally {
      await sink.close();
    }
    io.err(`quarry query: ${rows} rows in ${Date.now() - started} ms${a.out ? ` → ${a.out}` : ''}`);
    return deps.signal?.aborted ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`quarry query: ${err.message}`);
      return 2;
    }
    if (err instanceof AuthExpiredError) {
      io.err(`quarry query: ${err.message}`);
      return 3;
    }
    throw err;
  } finally {
    await engine?.dispose();
  }
}

/** Registry entry (add to COMMANDS in ./registry). */
export const queryCommand: CliCommand = {
  name: 'query',
  usage: 'query "<sql>" --connection NAME [--format csv|json] [--out FILE]',
  summary: 'Run SQL on a Redshift connection and stream the result as CSV or JSON Lines',
  help: `
Options:
  --connection, -c NAME   connection from --config, QUARRY_CONNECTIONS or .vscode/settings.json "quarry.connections"
  --format csv|json       CSV (RFC 4180, default) or JSON Lines
  --out, -o FILE          write to FILE instead of stdout
  --config FILE           JSON/JSONC file: an array of connections or { "quarry.connections": [...] }
  --param name=value      value for a :name placeholder (repeatable)
  --embedded DIR          run on the embedded engine over a workspace folder
Exit codes: 0 ok, 1 statement failed or cancelled, 2 usage/config error, 3 AWS credentials expired.`,
  run: (args, io) => runQueryCommand(args, io),
};
