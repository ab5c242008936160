// `npm run bench [-- name ...]`: runs the benchmarks one after another (they share 2 cores; never in parallel),
// relays their machine-readable JSON lines and writes bench/results/summary.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const BENCHES = [
  { name: 'index', entry: 'bench/index/bench.ts', args: ['1000', '10000'] },
  { name: 'catalog', entry: 'bench/catalog/bench.ts', args: [] },
  { name: 'joins', entry: 'bench/joins/bench.ts', args: [] },
  { name: 'query', entry: 'bench/query/bench.ts', args: [] },
  { name: 'search', entry: 'bench/search/bench.ts', args: [] },
  { name: 'webview', entry: 'bench/webview/bench.mjs', args: [] },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
mkdirSync('bench/results', { recursive: true });
const summary = { startedAt: new Date().toISOString(), loadavg: readLoad(), results: {} };
let failed = 0;
for (const b of BENCHES.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
  if (!existsSync(b.entry)) { console.error(`[bench] ${b.name}: ${b.entry} is missing`); failed++; continue; }
  console.error(`[bench] ${b.name} …`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', b.entry, ...b.args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.trim().startsWith('{'));
  for (const l of lines) console.log(l);
  summary.results[b.name] = { exitCode: r.status, lines: lines.map((l) => { try { return JSON.parse(l); } catch { return l; } }) };
  if (r.status !== 0) failed++;
}
summary.finishedAt = new Date().toISOString();
writeFileSync('bench/results/summary.json', JSON.stringify(summary, null, 2));
process.exit(failed ? 1 : 0);

function readLoad() {
  try { return spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim(); } catch { return undefined; }
}
