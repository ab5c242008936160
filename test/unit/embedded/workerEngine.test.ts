import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../../../src/adapters/embedded/embeddedEngine';
import type { EmbeddedLoadReport } from '../../../src/adapters/embedded/loadReport';
import { WorkerEmbeddedEngine } from '../../../src/adapters/embedded/workerEngine';
import type { CellValue, QueryEngine, ResultColumn, StatementOutcome } from '../../../src/core/ports';
import { fixtureTables } from './fixtureCatalog';

const FIXTURE = path.resolve(__dirname, '../../fixtures/embedded/warehouse');
const WORKER = path.resolve(__dirname, '../../../src/adapters/embedded/embeddedWorker.ts');
const CRASHING_WORKER = path.resolve(__dirname, 'crashingEmbeddedWorker.ts');
/** The statement that makes crashingEmbeddedWorker.ts exit. */
const CRASH_SQL = 'select quarry_test_crash()';
/** About 1–3 s of PGlite CPU on the 2-core CI box: long enough that a blocked event loop is obvious. */
const BUSY_SQL = 'select count(*) from generate_series(1, 3000000)';
/** Minutes of CPU: only ever run to be cancelled. */
const ENDLESS_SQL = 'select count(*) from generate_series(1, 20000) a, generate_series(1, 20000) b';

interface Fetched {
  outcome: StatementOutcome;
  pages: Array<{ columns: ResultColumn[]; rows: CellValue[][]; nextToken?: string }>;
}

async function runAll(engine: QueryEngine, sql: string | string[], parameters?: Array<{ name: string; value: string }>): Promise<Fetched> {
  const outcome = await engine.execute(sql, { parameters });
  const pages: Fetched['pages'] = [];
  if (outcome.status === 'FINISHED' && outcome.hasResultSet) {
    let token: string | undefined;
    do {
      const page = await engine.fetchPage(outcome.id, token);
      pages.push(page);
      token = page.nextToken;
    } while (token);
  }
  return { outcome, pages };
}

/** The outcome without what differs run to run (ids, timings). */
function comparable(o: StatementOutcome): unknown {
  return { status: o.status, error: o.error, errorPosition: o.errorPosition, resultRows: o.resultRows, hasResultSet: o.hasResultSet, subs: o.subStatements?.map((s) => [s.status, s.resultRows, s.hasResultSet, s.error]) };
}

function comparableReport(r: EmbeddedLoadReport): unknown {
  return { relations: r.relations, files: r.files.map(({ durationMs: _d, ...f }) => f), warnings: r.warnings };
}

/** Largest gap between 10 ms timer ticks while `work` runs: how long this thread's event loop was blocked. */
async function maxEventLoopLag<T>(work: () => Promise<T>): Promise<{ lagMs: number; tookMs: number; value: T }> {
  let last = performance.now();
  let lagMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  try {
    const value = await work();
    const tookMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 30)); // let the probe see the end of a blocking call
    return { lagMs, tookMs, value };
  } finally {
    clearInterval(probe);
  }
}

describe('WorkerEmbeddedEngine (PGlite in a worker thread)', function () {
  this.timeout(120_000);
  let cacheDir: string;
  let options: EmbeddedEngineOptions;
  let inProcess: EmbeddedEngine;
  let worker: WorkerEmbeddedEngine;
  const logs: string[] = [];

  before(async () => {
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quarry-worker-engine-'));
    options = {
      catalog: { tables: fixtureTables(), conflicts: [] },
      dataDirs: [FIXTURE],
      seedDirs: [path.join(FIXTURE, 'seeds')],
      seedSchema: 'seeds',
      pageSize: 2,
      cacheDir,
    };
    inProcess = new EmbeddedEngine(options);
    await inProcess.loadReport(); // cold start: writes the snapshot the workers restore
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m), debug: (m: string) => logs.push(m) };
    worker = new WorkerEmbeddedEngine({ ...options, workerScript: WORKER, logger });
  });
  after(async () => {
    await Promise.all([inProcess?.dispose(), worker?.dispose()]);
    if (cacheDir) await fs.rm(cacheDir, { recursive: true, force: true });
  });

  it('loads the workspace in the worker exactly as in process, from the snapshot, and forwards its log', async () => {
    const [a, b] = await Promise.all([inProcess.loadReport(), worker.loadReport()]);
    assert.deepEqual(comparableReport(b), comparableReport(a));
    assert.ok(b.relations.some((r) => r.name === 'orders' && r.status === 'created'));
    assert.equal(b.startup?.fromSnapshot, true);
    assert.equal(worker.workersStarted, 1);
    assert.ok(logs.some((l) => /CSV files loaded/.test(l)), logs.join('\n'));
  });

  it('gives the same outcomes and pages as the in-process engine', async () => {
    const cases: Array<[string | string[], Array<{ name: string; value: string }>?]> = [
      ['select customer_id, name, city, signup_date, profile from sales.customers order by customer_id'],
      ['select * from sales.orders order by order_id'],
      ['select code, population, is_eu from seeds.country_codes order by code'],
      ['select name from sales.customers where customer_id = :id or city = :city order by 1', [{ name: 'id', value: '3' }, { name: 'city', value: 'Paris' }]],
      ['select * from sales.big_orders order by 1'],
      ['show table sales.customers'],
      [['create temp table t_parity (v int)', 'insert into t_parity values (1), (2), (3)', 'select sum(v) from t_parity']],
      ['select nope from sales.customers'],
      ['select 1 where false'],
    ];
    for (const [sql, parameters] of cases) {
      const [a, b] = await Promise.all([runAll(inProcess, sql, parameters), runAll(worker, sql, parameters)]);
      assert.deepEqual(comparable(b.outcome), comparable(a.outcome), String(sql));
      assert.deepEqual(b.pages, a.pages, String(sql));
    }
  });

  it('keeps BIGINT beyond 2^53 and NUMERIC(38,10) exact across the thread boundary', async () => {
    const { pages } = await runAll(worker, 'select order_id, amount, 9007199254740993::bigint + 2 as sum from sales.orders where order_id > 9007199254740000');
    assert.deepEqual(pages[0].rows, [['9007199254740993', '12345678901234567890.1234567890', '9007199254740995']]);
    assert.deepEqual(pages[0].columns.map((c) => c.typeName), ['int8', 'numeric', 'int8']);
  });

  it('reports errors with their position in the submitted SQL, and forwards progress', async () => {
    const progress: string[] = [];
    const outcome = await worker.execute('select top 1 nvl(city, name),\n       nope from sales.customers', { onProgress: (p) => progress.push(p.status) });
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.error ?? '', /column "nope" does not exist/);
    assert.deepEqual(outcome.errorPosition && [outcome.errorPosition.line, outcome.errorPosition.column], [2, 8]);
    assert.deepEqual(progress, ['SUBMITTED', 'STARTED', 'FAILED']);
    await assert.rejects(worker.fetchPage('no-such-id'), /No result set/);
  });

  it('lists schemas, tables and columns like the in-process engine', async () => {
    assert.deepEqual(await worker.listSchemas(), await inProcess.listSchemas());
    assert.deepEqual(await worker.listTables('sales'), await inProcess.listTables('sales'));
    assert.deepEqual(await worker.describeTable('sales', 'orders'), await inProcess.describeTable('sales', 'orders'));
  });

  it('keeps the main thread responsive during a long query, where the in-process engine blocks it', async () => {
    const here = await maxEventLoopLag(() => inProcess.execute(BUSY_SQL));
    const there = await maxEventLoopLag(() => worker.execute(BUSY_SQL));
    assert.equal(here.value.status, 'FINISHED');
    assert.equal(there.value.status, 'FINISHED');
    const count = async (e: QueryEngine, id: string) => (await e.fetchPage(id)).rows[0][0];
    assert.equal(await count(worker, there.value.id), await count(inProcess, here.value.id));
    console.log(`      in process: query ${here.tookMs.toFixed(0)} ms, max event-loop lag ${here.lagMs.toFixed(0)} ms; ` +
      `worker: query ${there.tookMs.toFixed(0)} ms, max lag ${there.lagMs.toFixed(0)} ms`);
    // The probe must be able to see a block: in process, the loop stalls for most of the query.
    assert.ok(here.tookMs > 400 && here.lagMs > here.tookMs / 2, `in-process lag ${here.lagMs} ms over a ${here.tookMs} ms query`);
    assert.ok(there.tookMs > 400, `worker query took only ${there.tookMs} ms: too short to prove anything`);
    assert.ok(there.lagMs < 200, `worker lag ${there.lagMs} ms`);
  });

  it('cancels a running query within 2 s, loses only the stopped worker\'s results, and works again', async () => {
    const earlier = await worker.execute('select count(*) from sales.orders');
    assert.equal(earlier.status, 'FINISHED');
    const expected = (await worker.fetchPage(earlier.id)).rows;
    const startedBefore = worker.workersStarted;

    const controller = new AbortController();
    const progress: string[] = [];
    let abortedAt = 0;
    const running = worker.execute(ENDLESS_SQL, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.status);
        if (p.status === 'STARTED') setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, 500);
      },
    });
    // A catalog call queued behind the doomed query is moved to the fresh worker, not failed.
    const queued = worker.listSchemas();
    const outcome = await running;
    const cancelMs = performance.now() - abortedAt;
    assert.ok(abortedAt > 0, 'abort fired');
    assert.equal(outcome.status, 'ABORTED');
    assert.equal(progress.at(-1), 'ABORTED');
    assert.ok(cancelMs < 2000, `cancel took ${cancelMs} ms`);

    const t0 = performance.now();
    assert.deepEqual(await queued, await inProcess.listSchemas());
    const again = await runAll(worker, 'select count(*) from sales.orders');
    const restartMs = performance.now() - t0;
    assert.equal(again.outcome.status, 'FINISHED', again.outcome.error);
    assert.deepEqual(again.pages[0].rows, expected);
    assert.equal(worker.workersStarted, startedBefore + 1);
    assert.equal((await worker.loadReport()).startup?.fromSnapshot, true);
    const stopped = logs.map((l) => /worker #(\d+) stopped (\d+) ms after terminate/.exec(l)).find((m) => m && Number(m[1]) === startedBefore);
    assert.ok(stopped, `no stop log for worker #${startedBefore}:\n${logs.join('\n')}`);
    console.log(`      cancel: ABORTED after ${cancelMs.toFixed(0)} ms, thread gone after ${stopped[2]} ms; ` +
      `restart (snapshot + fixture load + first query) ${restartMs.toFixed(0)} ms`);
    // The stopped query must burn no more CPU: this process is idle now, so it uses next to none.
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 700));
    const cpu = process.cpuUsage(cpu0);
    assert.ok((cpu.user + cpu.system) / 1000 < 250, `process used ${(cpu.user + cpu.system) / 1000} ms CPU in 700 ms while idle`);

    await assert.rejects(worker.fetchPage(earlier.id), /no longer available: a later query was cancelled/);
    // The workspace was reloaded fresh; temp tables of the old session are gone with it.
    assert.equal((await worker.execute('select * from t_parity')).status, 'FAILED');
  });

  it('answers an abort that fires before the call without touching the worker', async () => {
    const before = worker.workersStarted;
    const controller = new AbortController();
    controller.abort();
    assert.equal((await worker.execute('select 1', { signal: controller.signal })).status, 'ABORTED');
    assert.equal((await worker.execute('select 1')).status, 'FINISHED');
    assert.equal(worker.workersStarted, before);
  });

  it('survives a worker that dies: pending calls fail clearly, the next call starts a new worker', async () => {
    const crashLogs: string[] = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => crashLogs.push(m), debug: () => undefined };
    const crashing = new WorkerEmbeddedEngine({ ...options, workerScript: CRASHING_WORKER, logger });
    try {
      const ok = await crashing.execute('select 40 + 2');
      assert.equal(ok.status, 'FINISHED');
      const dying = crashing.execute(CRASH_SQL);
      const alsoPending = crashing.describeTable('sales', 'orders');
      const outcome = await dying;
      assert.equal(outcome.status, 'FAILED');
      assert.match(outcome.error ?? '', /worker stopped unexpectedly \(exit code 3\)/);
      await assert.rejects(alsoPending, /worker stopped unexpectedly \(exit code 3\)/);
      assert.ok(crashLogs.some((l) => /exit code 3/.test(l)), crashLogs.join('\n'));
      await assert.rejects(crashing.fetchPage(ok.id), /no longer available: the embedded engine worker stopped unexpectedly/);

      const after = await runAll(crashing, 'select 40 + 2');
      assert.equal(after.outcome.status, 'FINISHED');
      assert.deepEqual(after.pages[0].rows, [[42]]);
      assert.equal(crashing.workersStarted, 2);
    } finally {
      await crashing.dispose();
    }
  });

  it('finishes the query running when it is retired, then stops', async () => {
    const engine = new WorkerEmbeddedEngine({ ...options, workerScript: WORKER });
    const running = engine.execute(BUSY_SQL);
    await new Promise((r) => setTimeout(r, 50)); // the query is in the worker
    engine.retire();
    const outcome = await running;
    assert.equal(outcome.status, 'FINISHED', outcome.error);
    await new Promise((r) => setTimeout(r, 200));
    const after = await engine.execute('select 1');
    assert.equal(after.status, 'FAILED');
    assert.match(after.error ?? '', /disposed/);
  });

  it('refuses work after dispose', async () => {
    const engine = new WorkerEmbeddedEngine({ ...options, workerScript: WORKER });
    assert.equal((await engine.execute('select 1')).status, 'FINISHED');
    await engine.dispose();
    const outcome = await engine.execute('select 1');
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.error ?? '', /disposed/);
    await assert.rejects(engine.listSchemas(), /disposed/);
  });
});
