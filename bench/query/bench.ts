/**
 * Query-path bench against the Data API stand-in (run in a child process with its own PostgreSQL, so RSS here is
 * the client's): a generated BENCH_ROWS (default 1,000,000) × 10-column result.
 *   node --import tsx bench/query/bench.ts
 * Env: BENCH_ROWS, BENCH_PAGE_ROWS (default 1000). Prints one JSON line and writes bench/results/query.json.
 */
import { enginePages, PagedResultSource } from '../../src/vscode/webviews/resultSource';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { AwsClientFactory } from '../../src/adapters/aws/clientFactory';
import { RedshiftDataEngine } from '../../src/adapters/aws/redshiftDataEngine';
import { exportResult } from '../../src/cli/commands/query';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PAGE_ROWS = Number(process.env.BENCH_PAGE_ROWS ?? 1000);
const root = resolve(__dirname, '..', '..');
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const SQL = `select g as id, (g % 1000)::int4 as bucket, (g * 1.25)::numeric(14,2) as amount, g / 7.0::float8 as ratio,
  'customer-' || g as name, (g % 2 = 0) as even, timestamp '2024-01-01' + g * interval '1 second' as at,
  date '2024-01-01' + (g % 365) as day, md5(g::text) as hash, 9007199254740993::int8 + g as big
  from generate_series(1, ${ROWS}) g`;

async function startStandIn(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulators/redshift-data/main.ts', '--start-postgres', '--page-rows', String(PAGE_ROWS)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /REDSHIFT_DATA_URL=(\S+)/.exec(buf);
      if (m) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`stand-in exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

function rssMonitor(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { peak: () => peak, stop: () => clearInterval(t) };
}

const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const standIn = await startStandIn();
  const factory = new AwsClientFactory({ credentials });
  const engine = new RedshiftDataEngine(
    { name: 'bench', region: 'us-east-1', clusterIdentifier: 'bench', database: 'dev', endpoint: standIn.url },
    { clientFactory: factory },
  );
  const tmp = mkdtempSync(join(tmpdir(), 'quarry-bench-'));
  try {
    global.gc?.();
    const rssBase = process.memoryUsage().rss;
    const mon = rssMonitor();

    const t0 = Date.now();
    const outcome = await engine.execute(SQL);
    const executeMs = Date.now() - t0;
    if (outcome.status !== 'FINISHED') throw new Error(`bench query ${outcome.status}: ${outcome.error}`);
    const tFirst = Date.now();
    await engine.fetchPage(outcome.id);
    const firstPageMs = Date.now() - tFirst;

    // Raw Data API paging through the SDK client (exact-long middleware included, as the engine uses it).
    const raw = factory.redshiftData({ region: 'us-east-1', endpoint: standIn.url }) as RedshiftDataClient;
    let t = Date.now();
    let rawRows = 0;
    let token: string | undefined;
    do {
      const r = await raw.send(new GetStatementResultCommand({ Id: outcome.id, NextToken: token }));
      rawRows += r.Records?.length ?? 0;
      token = r.NextToken;
    } while (token);
    const rawMs = Date.now() - t;

    t = Date.now();
    let engineRows = 0;
    token = undefined;
    do {
      const page = await engine.fetchPage(outcome.id, token);
      engineRows += page.rows.length;
      token = page.nextToken;
    } while (token);
    const engineMs = Date.now() - t;

    const file = join(tmp, 'export.csv');
    const stream = createWriteStream(file);
    t = Date.now();
    const csvRowsOut = await exportResult(engine, outcome.id, 'csv', {
      write: (chunk) => new Promise((res) => (stream.write(chunk) ? res() : stream.once('drain', () => res()))),
    });
    await new Promise<void>((res) => stream.end(() => res()));
    const csvMs = Date.now() - t;

    // What the results panel keeps in the extension host: every row of the result, streamed in page by page.
    global.gc?.();
    const hostBase = process.memoryUsage().rss;
    t = Date.now();
    const source = await PagedResultSource.fromResultPages(enginePages(engine, outcome.id), { eager: true });
    await new Promise<void>((res) => { if (source.complete) res(); else source.onDidAppend(() => { if (source.complete) res(); }); });
    const hostLoadMs = Date.now() - t;
    global.gc?.();
    const hostGrowthMb = mb(process.memoryUsage().rss - hostBase);
    const hostRows = source.rowCount();
    source.dispose();
    mon.stop();

    const result = {
      bench: 'query',
      rows: ROWS,
      columns: 10,
      pageRows: PAGE_ROWS,
      executeToFinishedMs: executeMs,
      firstPageAfterFinishedMs: firstPageMs,
      rawDataApiRowsPerSec: Math.round((rawRows / rawMs) * 1000),
      engineFetchRowsPerSec: Math.round((engineRows / engineMs) * 1000),
      csvExportRowsPerSec: Math.round((csvRowsOut / csvMs) * 1000),
      csvBytes: statSync(file).size,
      rssBaseMb: mb(rssBase),
      rssPeakMb: mb(mon.peak()),
      rssGrowthMb: mb(mon.peak() - rssBase),
      hostGridRows: hostRows,
      hostGridLoadMs: hostLoadMs,
      hostGridRssGrowthMb: hostGrowthMb,
      csvExportVsRawPaging: Number(((csvRowsOut / csvMs) / (rawRows / rawMs)).toFixed(2)),
      targets: { csvExportRowsPerSec: 50_000, firstPageAfterFinishedMs: 1000, hostGridRssGrowthMb: 300 },
      pass: csvRowsOut / csvMs * 1000 >= 50_000 && firstPageMs <= 1000 && rawRows === ROWS && engineRows === ROWS && csvRowsOut === ROWS
        && hostRows === ROWS && hostGrowthMb <= 300,
    };
    const line = JSON.stringify(result);
    console.log(line);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'query.json'), JSON.stringify(result, null, 2) + '\n');
  } finally {
    await engine.dispose();
    factory.dispose();
    rmSync(tmp, { recursive: true, force: true });
    await standIn.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
