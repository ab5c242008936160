/**
 * Index benchmark. Usage: node --import tsx bench/index/bench.ts [sizes...]   (default: 1000 10000)
 * Prints one JSON line per size and writes bench/results/index-<size>.json.
 * Each size runs in its own child process so peak RSS is that size's alone; RATIO_ROUNDS - 1 more children measure only
 * the raw read and the cold index, and those two figures are reported as medians over all the rounds.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, promises as fsp, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverFiles } from '../../src/core/workspace/discovery';
import { forEachLimited, WorkspaceIndexer } from '../../src/core/workspace/indexer';
import { GENERATOR_VERSION } from './generate';

const repo = path.resolve(__dirname, '../..');

/**
 * The worker the extension ships is the esbuild bundle (dist/indexWorker.js); under tsx each worker would first
 * transpile the whole extractor source (~1 s per worker), which no user pays. So the bench bundles the current
 * source the same way the build does. QUARRY_INDEX_WORKER=tsx runs src/core/workspace/worker.ts under tsx instead;
 * any other value is a worker script path.
 */
function workerScript(): { script: string; kind: string } {
  const env = process.env.QUARRY_INDEX_WORKER;
  if (env === 'tsx') return { script: path.join(repo, 'src/core/workspace/worker.ts'), kind: 'tsx' };
  if (env) return { script: env, kind: 'custom' };
  const outfile = path.join(tmpdir(), `quarry-bench-worker-${process.pid}`, 'indexWorker.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [path.join(repo, 'src/core/workspace/worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  return { script: outfile, kind: 'bundled' };
}

/** Processes measuring (raw read, cold index); the reported figures are their medians. */
const RATIO_ROUNDS = 7;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runOne(size: number, ratioOnly = false): Promise<Record<string, unknown>> {
  const worker = workerScript();
  const ws = path.join(tmpdir(), `quarry-bench-${size}`);
  const cache = path.join(tmpdir(), `quarry-bench-${size}-cache`);
  const marker = path.join(ws, `.complete-v${GENERATOR_VERSION}`);
  if (!existsSync(marker)) {
    rmSync(ws, { recursive: true, force: true });
    execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts'), String(size), ws], { stdio: 'ignore' });
    writeFileSync(marker, '');
  }
  rmSync(cache, { recursive: true, force: true });

  // the process's peak RSS so far, after each phase (maxRSS only grows: the first phase that raises it set the peak)
  const peakRssAfter: Record<string, number> = {};
  const markPeak = (phase: string): void => {
    peakRssAfter[phase] = Math.round(process.resourceUsage().maxRSS / 1024);
  };
  markPeak('start');

  // raw read of the same files
  const listed = await discoverFiles(ws);
  let rawBytes = 0;
  const rawStart = performance.now();
  await forEachLimited(listed.files, 32, async (f) => {
    const bytes = await fsp.readFile(path.join(ws, f.path));
    rawBytes += bytes.byteLength;
  });
  const rawMs = performance.now() - rawStart;

  // the cold indexer lives only in this block: the warm start must not share the process with a second full index
  // (an editor holds one indexer per folder), or peak RSS would count both
  // cold = until the catalog is ready; the cache is written right after, in the background (persistMs: until written)
  const { coldMs, persistMs, s } = await (async () => {
    const coldStart = performance.now();
    const cold = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
    const stats = (await cold.indexAll()).stats;
    const ms = performance.now() - coldStart;
    markPeak('cold');
    await cold.dispose();
    markPeak('persist');
    return { coldMs: ms, persistMs: performance.now() - coldStart - ms, s: stats };
  })();

  if (ratioOnly) {
    if (worker.kind === 'bundled') rmSync(path.dirname(worker.script), { recursive: true, force: true });
    return { rawReadMs: rawMs, coldMs };
  }

  // each phase's indexer is garbage once disposed; collect it so peak RSS is that of one indexer at a time (an editor
  // holds one per folder) rather than of leftovers the collector had not reached yet
  const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
  collect();
  const warmStart = performance.now();
  const warm = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
  const warmParsed = (await warm.indexAll()).stats.parsed;
  const warmMs = performance.now() - warmStart;
  markPeak('warm');

  // single-file re-index: edit a file, update it, read the new snapshot (catalog rebuilt)
  const candidates = listed.files.filter((f) => /\.(sql|php|py)$/.test(f.path));
  const latencies: number[] = [];
  const originals = new Map<string, Buffer>();
  const updateOnly: number[] = [];
  const catalogOnly: number[] = [];
  for (let k = 0; k < 40; k++) {
    const f = candidates[(k * 7919) % candidates.length]!;
    const abs = path.join(ws, f.path);
    if (!originals.has(abs)) originals.set(abs, await fsp.readFile(abs));
    await fsp.appendFile(abs, f.path.endsWith('.php') || f.path.endsWith('.py') ? `\n# edit ${k}\n` : `\n-- edit ${k}\n`);
    const t0 = performance.now();
    await warm.update([f.path]); // re-read, re-extract, replace the file's facts
    const t1 = performance.now();
    warm.snapshot(); // catalog + aggregates rebuilt from all facts
    const t2 = performance.now();
    updateOnly.push(t1 - t0);
    catalogOnly.push(t2 - t1);
    latencies.push(t2 - t0);
  }
  for (const a of [latencies, updateOnly, catalogOnly]) a.sort((x, y) => x - y);
  // the generated workspace is reused by later runs: put the edited files back as they were
  for (const [abs, bytes] of originals) await fsp.writeFile(abs, bytes);
  await warm.dispose();
  markPeak('reindex');

  // a start after those files changed behind the indexer's back (as after a git pull): the persisted catalog is
  // brought up to date with them rather than rebuilt
  collect();
  const againStart = performance.now();
  const again = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
  const againStats = (await again.indexAll()).stats;
  const warmAfterEditsMs = performance.now() - againStart;
  await again.dispose();
  markPeak('warmAfterEdits');
  if (worker.kind === 'bundled') rmSync(path.dirname(worker.script), { recursive: true, force: true });

  let cacheBytes = 0;
  for (const name of await fsp.readdir(cache)) cacheBytes += (await fsp.stat(path.join(cache, name))).size;
  return {
    size,
    files: s.files,
    megabytes: +(rawBytes / 1e6).toFixed(1),
    rawReadMs: Math.round(rawMs),
    coldMs: Math.round(coldMs),
    coldOverRaw: +(coldMs / rawMs).toFixed(1),
    persistMs: Math.round(persistMs),
    coldPhases: { discoverMs: s.discoverMs, extractMs: s.extractMs, catalogMs: s.catalogMs, workers: s.usedWorkers, worker: worker.kind },
    warmMs: Math.round(warmMs),
    warmParsed,
    warmAfterEdits: { ms: Math.round(warmAfterEditsMs), filesChanged: originals.size, parsed: againStats.parsed, catalogFromCache: againStats.catalogFromCache },
    reindexP50Ms: +percentile(latencies, 50).toFixed(1),
    reindexP95Ms: +percentile(latencies, 95).toFixed(1),
    reindexUpdateP50Ms: +percentile(updateOnly, 50).toFixed(1),
    reindexUpdateP95Ms: +percentile(updateOnly, 95).toFixed(1),
    snapshotRebuildP95Ms: +percentile(catalogOnly, 95).toFixed(1),
    loadAverage: loadavg().map((x) => +x.toFixed(1)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakRssAfter,
    cacheMB: +(cacheBytes / 1e6).toFixed(1),
    tables: s.tables,
    columns: s.columns,
    joinPairs: s.joinPairs,
    constantMaps: s.constantMaps,
    diagnostics: s.diagnostics,
    node: process.version,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child' || args[0] === '--ratio-child') {
    const result = await runOne(Number(args[1]), args[0] === '--ratio-child');
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const sizes = args.length ? args.map(Number) : [1000, 10000];
  const outDir = path.join(repo, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  for (const size of sizes) {
    const child = (mode: string): Record<string, unknown> => {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, mode, String(size)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    };
    // One full run (all figures, peak RSS of one index) and RATIO_ROUNDS - 1 runs of just (raw read, cold index):
    // the ratio is the median cold over the median raw read, since one run of either can be off by half here.
    const full = child('--child');
    const rounds = [full, ...Array.from({ length: RATIO_ROUNDS - 1 }, () => child('--ratio-child'))];
    const raws = rounds.map((r) => r.rawReadMs as number);
    const colds = rounds.map((r) => r.coldMs as number);
    const result = {
      ...full,
      rawReadMs: Math.round(median(raws)),
      coldMs: Math.round(median(colds)),
      coldOverRaw: +(median(colds) / median(raws)).toFixed(1),
      // each round's own ratio too: how far a single measurement strays
      rounds: { rawReadMs: raws.map(Math.round), coldMs: colds.map(Math.round), coldOverRaw: colds.map((c, i) => +(c / raws[i]!).toFixed(1)) },
    };
    const line = JSON.stringify(result);
    process.stdout.write(line + '\n');
    writeFileSync(path.join(outDir, `index-${size}.json`), JSON.stringify(JSON.parse(line), null, 2) + '\n');
    appendFileSync(path.join(outDir, 'index-history.jsonl'), line + '\n');
  }
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
