/**
 * Index benchmark. Usage: node --import tsx bench/index/bench.ts [sizes...]   (default: 1000 10000)
 * Prints one JSON line per size and writes bench/results/index-<size>.json.
 * Each editor session of each size runs in its own child process (first index, later start with edits, start after
 * changes), so each peak RSS is that session's alone; RATIO_ROUNDS - 1 more children measure only the raw read and the
 * cold index, and those two figures are reported as medians over all the rounds.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, promises as fsp, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
type Worker = { script: string; kind: string };

function workerScript(): Worker {
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

/** The generated workspace of `size` files (made once, reused by later runs) and its cache folder. */
function workspaceOf(size: number): { ws: string; cache: string } {
  const ws = path.join(tmpdir(), `quarry-bench-${size}`);
  const marker = path.join(ws, `.complete-v${GENERATOR_VERSION}`);
  if (!existsSync(marker)) {
    rmSync(ws, { recursive: true, force: true });
    execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'generate.ts'), String(size), ws], { stdio: 'ignore' });
    writeFileSync(marker, '');
  }
  return { ws, cache: path.join(tmpdir(), `quarry-bench-${size}-cache`) };
}

/**
 * CPU time of this process's threads over a span, grouped by thread name where the runtime names its threads (Node 24:
 * MainThread, WorkerThread for the index workers, V8Worker for V8's background compilers and GC, libuv-worker;
 * Node 20 names them all "node"). Read from /proc (undefined elsewhere). Threads are sampled every 20 ms, since the
 * index workers exit right after the result.
 */
class ThreadCpu {
  private readonly start = ThreadCpu.read();
  private readonly last = new Map(this.start);
  private readonly timer = setInterval(() => this.sample(), 20);

  stop(): Record<string, number> | undefined {
    clearInterval(this.timer);
    this.sample();
    if (!this.start.size) return undefined;
    const byName: Record<string, number> = {};
    for (const [tid, now] of this.last) {
      const ms = now.ms - (this.start.get(tid)?.ms ?? 0);
      if (ms > 0) byName[now.name] = (byName[now.name] ?? 0) + ms;
    }
    return byName;
  }

  private sample(): void {
    for (const [tid, t] of ThreadCpu.read()) this.last.set(tid, t);
  }

  private static read(): Map<string, { name: string; ms: number }> {
    const out = new Map<string, { name: string; ms: number }>();
    let tids: string[];
    try {
      tids = readdirSync('/proc/self/task');
    } catch {
      return out;
    }
    const tick = 10; // ms per clock tick (USER_HZ 100 on Linux)
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const fields = stat.slice(close + 2).split(' ');
        const name = tid === String(process.pid) ? 'MainThread' : stat.slice(stat.indexOf('(') + 1, close);
        out.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * tick });
      } catch {
        // the thread exited between the listing and the read
      }
    }
    return out;
  }
}

const peakRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Session 1, the first index of a workspace: raw read of the same files, then the cold index and the cache written.
 * `ratioOnly`: just the two times.
 */
async function coldSession(size: number, worker: Worker, ratioOnly: boolean): Promise<Record<string, unknown>> {
  const { ws, cache } = workspaceOf(size);
  rmSync(cache, { recursive: true, force: true });
  const peakRssAfter: Record<string, number> = { start: peakRssMB() };

  // raw read of the same files
  const listed = await discoverFiles(ws);
  let rawBytes = 0;
  const rawStart = performance.now();
  await forEachLimited(listed.files, 32, async (f) => {
    const bytes = await fsp.readFile(path.join(ws, f.path));
    rawBytes += bytes.byteLength;
  });
  const rawMs = performance.now() - rawStart;
  // the same files read blocking, one after another on one thread: the floor of reading them at all (from the page
  // cache that is several times faster than the asynchronous reads above, which an extension host makes so as not to
  // block; reported beside the ratio, which is against those)
  const syncStart = performance.now();
  for (const f of listed.files) readFileSync(path.join(ws, f.path));
  const rawSyncMs = performance.now() - syncStart;

  // cold = until the catalog is ready; the cache is written right after, in the background (persistMs: until written)
  const threads = new ThreadCpu();
  const cpuStart = process.cpuUsage();
  const coldStart = performance.now();
  const cold = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
  const s = (await cold.indexAll()).stats;
  const coldMs = performance.now() - coldStart;
  const cpu = process.cpuUsage(cpuStart);
  const coldCpu = { processMs: Math.round((cpu.user + cpu.system) / 1000), byThread: threads.stop() };
  peakRssAfter.cold = peakRssMB();
  await cold.dispose();
  const persistMs = performance.now() - coldStart - coldMs;
  peakRssAfter.persist = peakRssMB();
  if (ratioOnly) return { rawReadMs: rawMs, rawReadSyncMs: rawSyncMs, coldMs, coldCpu };

  let cacheBytes = 0;
  for (const name of await fsp.readdir(cache)) cacheBytes += (await fsp.stat(path.join(cache, name))).size;
  return {
    size,
    files: s.files,
    megabytes: +(rawBytes / 1e6).toFixed(1),
    rawReadMs: Math.round(rawMs),
    rawReadSyncMs: Math.round(rawSyncMs),
    coldMs: Math.round(coldMs),
    coldOverRaw: +(coldMs / rawMs).toFixed(1),
    persistMs: Math.round(persistMs),
    coldPhases: { discoverMs: s.discoverMs, extractMs: s.extractMs, catalogMs: s.catalogMs, workers: s.usedWorkers, worker: worker.kind },
    coldCpu,
    cacheMB: +(cacheBytes / 1e6).toFixed(1),
    tables: s.tables,
    columns: s.columns,
    joinPairs: s.joinPairs,
    constantMaps: s.constantMaps,
    diagnostics: s.diagnostics,
    peakRssAfter,
  };
}

/** Session 2, a later start: the index from the cache, then single files edited and re-indexed one at a time. */
async function warmSession(size: number, worker: Worker): Promise<Record<string, unknown>> {
  const { ws, cache } = workspaceOf(size);
  const peakRssAfter: Record<string, number> = { start: peakRssMB() };
  const warmStart = performance.now();
  const warm = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
  const warmParsed = (await warm.indexAll()).stats.parsed;
  const warmMs = performance.now() - warmStart;
  peakRssAfter.warm = peakRssMB();

  // single-file re-index: edit a file, update it, read the new snapshot (catalog rebuilt)
  const candidates = (await discoverFiles(ws)).files.filter((f) => /\.(sql|php|py)$/.test(f.path));
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
  // the generated workspace is reused by later runs: put the edited files back as they were (the next session then
  // finds them changed behind its back, as after a git pull)
  for (const [abs, bytes] of originals) await fsp.writeFile(abs, bytes);
  await warm.dispose();
  peakRssAfter.reindex = peakRssMB();
  return {
    warmMs: Math.round(warmMs),
    warmParsed,
    filesEdited: originals.size,
    reindexP50Ms: +percentile(latencies, 50).toFixed(1),
    reindexP95Ms: +percentile(latencies, 95).toFixed(1),
    reindexUpdateP50Ms: +percentile(updateOnly, 50).toFixed(1),
    reindexUpdateP95Ms: +percentile(updateOnly, 95).toFixed(1),
    snapshotRebuildP95Ms: +percentile(catalogOnly, 95).toFixed(1),
    peakRssAfter,
  };
}

/** Session 3, a start after files changed behind the indexer's back: the persisted catalog is brought up to date. */
async function afterEditsSession(size: number, worker: Worker): Promise<Record<string, unknown>> {
  const { ws, cache } = workspaceOf(size);
  const start = performance.now();
  const again = new WorkspaceIndexer({ root: ws, cacheDir: cache, workerScript: worker.script });
  const stats = (await again.indexAll()).stats;
  const ms = performance.now() - start;
  await again.dispose();
  return { ms: Math.round(ms), parsed: stats.parsed, catalogFromCache: stats.catalogFromCache, peakRssMB: peakRssMB() };
}

/** Runs one session in this (child) process, with the index worker bundled for it. */
async function runChild(mode: string, size: number): Promise<Record<string, unknown>> {
  const worker = workerScript();
  try {
    switch (mode) {
      case '--cold-child':
        return await coldSession(size, worker, false);
      case '--ratio-child':
        return await coldSession(size, worker, true);
      case '--warm-child':
        return await warmSession(size, worker);
      case '--after-edits-child':
        return await afterEditsSession(size, worker);
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    if (worker.kind === 'bundled') rmSync(path.dirname(worker.script), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0]?.endsWith('-child')) {
    const result = await runChild(args[0], Number(args[1]));
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
    // Each editor session is its own process, as it is in VS Code (a reload starts a new extension host): a first index,
    // a later start with edits, a start after files changed. Peak RSS is the largest of the sessions'. Measuring them in
    // one process made each session's peak include what the runtime kept of the one before (Node 22+ keeps a grown
    // young generation committed after a full GC).
    const cold = child('--cold-child');
    const warm = child('--warm-child');
    const afterEdits = child('--after-edits-child');
    // RATIO_ROUNDS - 1 more runs of just (raw read, cold index): the ratio is the median cold over the median raw read,
    // since one run of either can be off by half here
    const rounds = [cold, ...Array.from({ length: RATIO_ROUNDS - 1 }, () => child('--ratio-child'))];
    const raws = rounds.map((r) => r.rawReadMs as number);
    const syncRaws = rounds.map((r) => r.rawReadSyncMs as number);
    const colds = rounds.map((r) => r.coldMs as number);
    const sessionPeaks = { cold: peakOf(cold), warm: peakOf(warm), afterEdits: afterEdits.peakRssMB as number };
    const { peakRssAfter: coldPeaks, ...coldFigures } = cold;
    const { peakRssAfter: warmPeaks, ...warmFigures } = warm;
    const { peakRssMB: afterEditsPeak, ...afterEditsFigures } = afterEdits;
    const result = {
      ...coldFigures,
      rawReadMs: Math.round(median(raws)),
      coldMs: Math.round(median(colds)),
      coldOverRaw: +(median(colds) / median(raws)).toFixed(1),
      rawReadSyncMs: Math.round(median(syncRaws)),
      // CPU of the median cold round: the index is CPU-bound when processMs nears coldMs × cores
      coldCpu: medianRound(rounds).coldCpu,
      coldOverRawSync: +(median(colds) / median(syncRaws)).toFixed(1),
      // each round's own ratio too: how far a single measurement strays
      rounds: { rawReadMs: raws.map(Math.round), coldMs: colds.map(Math.round), coldOverRaw: colds.map((c, i) => +(c / raws[i]!).toFixed(1)) },
      ...warmFigures,
      warmAfterEdits: { ...afterEditsFigures, filesChanged: warm.filesEdited },
      peakRssMB: Math.max(...Object.values(sessionPeaks)),
      peakRssBySession: sessionPeaks,
      peakRssAfter: { cold: coldPeaks, warm: warmPeaks, afterEdits: afterEditsPeak },
      loadAverage: loadavg().map((x) => +x.toFixed(1)),
      node: process.version,
    };
    const line = JSON.stringify(result);
    process.stdout.write(line + '\n');
    writeFileSync(path.join(outDir, `index-${size}.json`), JSON.stringify(JSON.parse(line), null, 2) + '\n');
    appendFileSync(path.join(outDir, 'index-history.jsonl'), line + '\n');
  }
}

/** The round whose cold time is the median. */
function medianRound(rounds: Array<Record<string, unknown>>): Record<string, unknown> {
  return [...rounds].sort((a, b) => (a.coldMs as number) - (b.coldMs as number))[Math.floor(rounds.length / 2)]!;
}

function peakOf(session: Record<string, unknown>): number {
  return Math.max(...Object.values(session.peakRssAfter as Record<string, number>));
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
