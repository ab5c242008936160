import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { WorkspaceIndexer, type IndexSnapshot } from '../../core/workspace/indexer';

export interface CommandIo {
  out(s: string): void;
  err(s: string): void;
}

const USAGE = 'usage: quarry index <dir> [--format json|text] [--cache DIR] [--worker SCRIPT] [--diagnostics N]';

/** `quarry index <dir>`: indexes a folder and prints the catalog summary and stats. Returns the exit code. */
export async function runIndexCommand(args: string[], io: CommandIo): Promise<number> {
  let dir: string | undefined;
  let format: 'json' | 'text' = 'text';
  let cacheDir: string | undefined;
  let workerScript: string | undefined;
  let maxDiagnostics = 20;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => args[++i];
    if (a === '--format') {
      const f = value();
      if (f !== 'json' && f !== 'text') return usage(io, `unknown format: ${f ?? '(missing)'}`);
      format = f;
    } else if (a === '--cache') cacheDir = value();
    else if (a === '--worker') workerScript = value();
    else if (a === '--diagnostics') maxDiagnostics = Number(value() ?? 20);
    else if (a === '-h' || a === '--help') {
      io.out(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) return usage(io, `unknown option: ${a}`);
    else if (!dir) dir = a;
    else return usage(io, `unexpected argument: ${a}`);
  }
  if (!dir) return usage(io, 'missing <dir>');
  const root = path.resolve(dir);
  if (!existsSync(root)) {
    io.err(`quarry index: no such directory: ${root}\n`);
    return 2;
  }
  // the bundled CLI ships dist/indexWorker.js beside itself
  workerScript ??= defaultWorkerScript();
  const indexer = new WorkspaceIndexer({ root, cacheDir: cacheDir ? path.resolve(cacheDir) : undefined, workerScript });
  const started = Date.now();
  try {
    const snap = await indexer.indexAll();
    const ms = Date.now() - started;
    const summary = summarize(snap, ms, maxDiagnostics);
    io.out(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : renderText(summary));
    return 0;
  } catch (err) {
    io.err(`quarry index: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await indexer.dispose();
  }
}

function defaultWorkerScript(): string | undefined {
  const candidate = typeof __dirname === 'string' ? path.join(__dirname, 'indexWorker.js') : undefined;
  return candidate && existsSync(candidate) ? candidate : undefined;
}

function usage(io: CommandIo, message: string): number {
  io.err(`quarry index: ${message}\n${USAGE}\n`);
  return 2;
}

export interface IndexSummary {
  root?: string;
  milliseconds: number;
  files: number;
  filesByKind: Record<string, number>;
  parsed: number;
  fromCache: number;
  skipped: Record<string, number>;
  tables: number;
  columns: number;
  joinPairs: number;
  constantMaps: number;
  conflicts: Array<{ table: string; message: string }>;
  diagnostics: { count: number; first: Array<{ file?: string; line: number; column: number; severity: string; message: string }> };
  schemas: Record<string, number>;
}

export function summarize(snap: IndexSnapshot, ms: number, maxDiagnostics: number): IndexSummary {
  const schemas: Record<string, number> = {};
  for (const t of snap.catalog.tables) schemas[t.schema] = (schemas[t.schema] ?? 0) + 1;
  const s = snap.stats;
  return {
    milliseconds: ms,
    files: s.files,
    filesByKind: s.filesByKind as Record<string, number>,
    parsed: s.parsed,
    fromCache: s.fromCache,
    skipped: s.skipped.counts as Record<string, number>,
    tables: s.tables,
    columns: s.columns,
    joinPairs: s.joinPairs,
    constantMaps: s.constantMaps,
    conflicts: snap.catalog.conflicts.map((c) => ({ table: c.table, message: c.message })),
    diagnostics: {
      count: snap.diagnostics.length,
      first: snap.diagnostics.slice(0, maxDiagnostics).map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, message: d.message })),
    },
    schemas,
  };
}

function renderText(s: IndexSummary): string {
  const lines: string[] = [];
  const kinds = Object.entries(s.filesByKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(`Indexed ${s.files} files in ${s.milliseconds} ms (${s.parsed} parsed, ${s.fromCache} from cache)`);
  lines.push(`  by kind: ${kinds || 'none'}`);
  const skipped = Object.entries(s.skipped).map(([k, n]) => `${k} ${n}`).join(', ');
  if (skipped) lines.push(`  skipped: ${skipped}`);
  lines.push(`Catalog: ${s.tables} tables, ${s.columns} columns in ${Object.keys(s.schemas).length} schemas (${Object.entries(s.schemas).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  lines.push(`Join pairs: ${s.joinPairs}   Constant maps: ${s.constantMaps}   Conflicts: ${s.conflicts.length}`);
  for (const c of s.conflicts.slice(0, 10)) lines.push(`  conflict: ${c.message}`);
  lines.push(`Diagnostics: ${s.diagnostics.count}`);
  for (const d of s.diagnostics.first) lines.push(`  ${d.file ?? '?'}:${d.line}:${d.column} ${d.severity}: ${d.message}`);
  return lines.join('\n') + '\n';
}
