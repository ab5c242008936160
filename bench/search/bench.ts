/**
 * Workspace search (BM25 passage index) benchmark, on the index bench's generated workspace (10,000 files by default).
 * Baseline in the same run: reading the same files' bytes the way the index build does (async, 32 at a time).
 * Measures the build (read + index, as WorkspaceIndexer.searchIndex() does on the extension host's thread), the memory
 * the index keeps (JS heap + typed-array buffers, after a GC), query time, replacing one 1.8 MB / 50,000-line SQL file
 * (a save), and the first search after every file was replaced (which compacts the postings).
 * Prints one JSON line and writes bench/results/search.json.
 *   node --expose-gc --import tsx bench/search/bench.ts [files]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { classifyFile, type ExtractContext } from '../../src/core/workspace/classify';
import { extractDbtProject } from '../../src/core/workspace/dbtYamlExtractor';
import { discoverFiles } from '../../src/core/workspace/discovery';
import { looksBinary } from '../../src/core/workspace/extractFile';
import { forEachLimited } from '../../src/core/workspace/indexer';
import { SearchIndex } from '../../src/core/workspace/search';
import { GENERATOR_VERSION } from '../index/generate';

const SIZE = Number(process.argv[2] ?? 10000);
const QUERIES = ['customer id', 'customer order vendor payment note reconciled', 'which shipments were delivered late', 'invoice_amount', 'ticket 4242'];
const BUDGET = { buildMs: 3000, retainedMb: 100, updateMs: 50 };

function workspace(size: number): string {
  const ws = path.join(tmpdir(), `quarry-bench-${size}`);
  const marker = path.join(ws, `.complete-v${GENERATOR_VERSION}`);
  if (!existsSync(marker)) {
    rmSync(ws, { recursive: true, force: true });
    execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'index', 'generate.ts'), String(size), ws], { stdio: 'ignore' });
    writeFileSync(marker, '');
  }
  return ws;
}

/** A 50,000-line SQL file of 5,000 report queries over 200 tables (a query library or migration dump), ~1.8 MB. */
function bigSql(): Uint8Array {
  const out: string[] = [];
  const t = (i: number): string => `t${i % 200}`;
  for (let q = 0; out.length < 50000; q++) {
    out.push(`-- report ${q}`, `select o.order_id, o.customer_id, c.name, sum(o.amount) as total_${q}`, `from sales.${t(q)} o`,
      `join sales.${t(q + 1)} c on c.customer_id = o.customer_id`, `left join sales.${t(q + 2)} p on p.product_id = o.product_id`,
      `where o.created_at >= '2024-01-01'`, `  and c.region_id in (select region_id from sales.${t(q + 3)} where active)`,
      'group by 1, 2, 3', `order by total_${q} desc`, 'limit 100;');
  }
  return new TextEncoder().encode(out.join('\n') + '\n');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const memory = (): { heap: number; buffers: number } => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};
const mb = (bytes: number): number => Math.round(bytes / 1048576);
const round1 = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc');
  const root = workspace(SIZE);
  const listed = await discoverFiles(root);
  // the text files the indexer would search (its TEXT_KINDS_FOR_SEARCH), dbt YAML told apart by the projects' layouts
  const context: ExtractContext = { dbtProjects: [] };
  for (const f of listed.files.filter((x) => x.path === 'dbt_project.yml' || x.path.endsWith('/dbt_project.yml'))) {
    const info = extractDbtProject(f.path, await fsp.readFile(path.join(root, f.path), 'utf8')).dbtProject!;
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    context.dbtProjects.push({ root: dir, name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, snapshotPaths: info.snapshotPaths });
  }
  const files = listed.files.map((f) => f.path).filter((p) => !['pdf', 'other', 'dbt-artifact'].includes(classifyFile(p, context)));
  const read = (f: string): Promise<Buffer> => fsp.readFile(path.join(root, f));

  // baseline: the same files read as the build reads them (best of 3, the page cache warm)
  let bytes = 0;
  const reads: number[] = [];
  for (let r = 0; r < 3; r++) {
    bytes = 0;
    const t0 = performance.now();
    await forEachLimited(files, 32, async (f) => {
      const b = await read(f);
      bytes += b.byteLength;
    });
    reads.push(performance.now() - t0);
  }
  const readMs = Math.min(...reads);

  // the build, as WorkspaceIndexer.searchIndex() does it
  const before = memory();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const index = new SearchIndex();
  let indexMs = 0;
  await forEachLimited(files, 32, async (f) => {
    const b = await read(f);
    if (looksBinary(b)) return;
    const s = performance.now();
    index.addDocument(f, b);
    indexMs += performance.now() - s;
  });
  const buildMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const after = memory();
  const stats = index.stats;

  // queries: median of 5 runs each, then the median over the queries
  const perQuery = QUERIES.map((q) => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const s = performance.now();
      index.search(q, 30);
      runs.push(performance.now() - s);
    }
    return median(runs);
  });

  // a save of a 1.8 MB file: the first add, then replacing it (median of 7)
  const big = bigSql();
  let s = performance.now();
  index.addDocument('reports/big.sql', big);
  const bigAddMs = performance.now() - s;
  const updates: number[] = [];
  const updateCpu: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c = process.cpuUsage();
    s = performance.now();
    index.addDocument('reports/big.sql', big);
    updates.push(performance.now() - s);
    const u = process.cpuUsage(c);
    updateCpu.push((u.user + u.system) / 1000);
  }
  const updateMs = median(updates);

  // every file replaced (a branch switch), then the first search, which drops the dead postings
  const texts = new Map<string, Buffer>();
  await forEachLimited(files, 32, async (f) => void texts.set(f, await read(f)));
  s = performance.now();
  for (const [f, b] of texts) index.addDocument(f, b);
  const replaceAllMs = performance.now() - s;
  texts.clear();
  const dead = index.stats.deadPostings;
  s = performance.now();
  index.search(QUERIES[0]!, 30);
  const searchCompactingMs = performance.now() - s;

  const retainedMb = mb(after.heap - before.heap + after.buffers - before.buffers);
  const result = {
    bench: 'search',
    files: stats.documents,
    mb: mb(bytes),
    passages: stats.passages,
    terms: stats.terms,
    postings: stats.postings,
    baselineReadMs: Math.round(readMs),
    buildMs: Math.round(buildMs),
    buildCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    indexMs: Math.round(indexMs),
    ratioToBaseline: Number((buildMs / readMs).toFixed(2)),
    retainedMb,
    retainedHeapMb: mb(after.heap - before.heap),
    retainedBuffersMb: mb(after.buffers - before.buffers),
    poolMb: round1(stats.poolBytes / 1048576),
    queryMs: round1(median(perQuery)),
    queryMaxMs: round1(Math.max(...perQuery)),
    bigFileAddMs: Math.round(bigAddMs),
    updateMs: round1(updateMs),
    updateCpuMs: round1(median(updateCpu)),
    replaceAllMs: Math.round(replaceAllMs),
    deadPostingsCompacted: dead,
    searchCompactingMs: Math.round(searchCompactingMs),
    budget: BUDGET,
    withinBudget: buildMs <= BUDGET.buildMs && retainedMb <= BUDGET.retainedMb && updateMs <= BUDGET.updateMs,
    loadavg: (await fsp.readFile('/proc/loadavg', 'utf8').catch(() => '')).trim() || undefined,
    node: process.version,
  };
  const out = path.resolve(__dirname, '..', 'results', 'search.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
