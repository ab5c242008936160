import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEngine } from '../../../src/adapters/embedded/embeddedEngine';
import type { EmbeddedLoadReport } from '../../../src/adapters/embedded/loadReport';
import type { CellValue, ResultPage, StatementOutcome } from '../../../src/core/ports';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { parseSql } from '../../../src/core/sql/ddlParser';
import { typeFamilyOf } from '../../../src/core/sql/dataTypes';
import { emptyFacts } from '../../../src/core/workspace/facts';
import { fixtureTables } from './fixtureCatalog';

const FIXTURE = path.resolve(__dirname, '../../fixtures/embedded/warehouse');

describe('EmbeddedEngine (PGlite)', function () {
  this.timeout(60000);
  let engine: EmbeddedEngine;
  let report: EmbeddedLoadReport;

  before(async () => {
    engine = new EmbeddedEngine({
      catalog: { tables: fixtureTables(), conflicts: [] },
      // As the VS Code layer and the CLI do: the workspace root is a data folder and also holds the seed folder.
      dataDirs: [FIXTURE],
      seedDirs: [path.join(FIXTURE, 'seeds')],
      seedSchema: 'seeds',
      pageSize: 2,
    });
    report = await engine.loadReport();
  });
  after(() => engine.dispose());

  async function run(sql: string | string[], parameters?: Array<{ name: string; value: string }>): Promise<{ outcome: StatementOutcome; rows: CellValue[][]; page?: ResultPage }> {
    const outcome = await engine.execute(sql, { parameters });
    if (outcome.status !== 'FINISHED') return { outcome, rows: [] };
    if (!outcome.hasResultSet) return { outcome, rows: [] };
    const rows: CellValue[][] = [];
    let token: string | undefined;
    let page: ResultPage | undefined;
    do {
      page = await engine.fetchPage(outcome.id, token);
      rows.push(...page.rows);
      token = page.nextToken;
    } while (token);
    return { outcome, rows, page };
  }

  async function value(sql: string): Promise<CellValue> {
    const { outcome, rows } = await run(sql);
    assert.equal(outcome.status, 'FINISHED', outcome.error);
    return rows[0][0];
  }

  it('identifies itself as the local engine', () => {
    assert.equal(engine.label, 'Embedded (local PGlite)');
    assert.equal(engine.isLocal, true);
  });

  it('creates catalog tables and views and reports what it loaded, skipped or failed', () => {
    const rel = (name: string) => report.relations.find((r) => r.name === name);
    for (const name of ['customers', 'orders', 'order_items', 'events', 'returns']) assert.equal(rel(name)?.status, 'created', name);
    assert.equal(rel('big_orders')?.kind, 'view');
    assert.equal(rel('big_orders')?.status, 'created', rel('big_orders')?.message);
    assert.equal(rel('notes')?.source, 'csv');
    assert.equal(rel('country_codes')?.source, 'csv');

    const file = (rel: string) => report.files.find((f) => f.file === path.join(FIXTURE, 'data', rel));
    assert.equal(file('sales.customers.csv')?.rows, 4);
    assert.equal(file('sales.orders.csv')?.rows, 4);
    assert.equal(file('notes.csv')?.schema, 'public');
    assert.deepEqual(report.files.filter((f) => f.file.endsWith('country_codes.csv')).map((f) => `${f.schema}:${f.status}`), ['seeds:loaded']);
    const bad = file('sales.events.csv');
    assert.equal(bad?.status, 'failed');
    assert.match(bad?.message ?? '', /not-a-date/);
    const extraColumn = file(path.join('sales', 'returns.csv'));
    assert.equal(extraColumn?.rule, 'schema folder');
    assert.equal(extraColumn?.status, 'failed');
    assert.match(extraColumn?.message ?? '', /colour/);
    const copy = file(path.join('copies', 'sales.orders.csv'));
    assert.equal(copy?.status, 'skipped');
    assert.match(copy?.message ?? '', /already fills sales\.orders/);
    // order_items.csv repeats the key (2, A-1): Redshift does not enforce keys, so loading drops the PK and says so.
    assert.equal(file('sales.order_items.csv')?.rows, 5);
    assert.ok(report.warnings.some((w) => w.startsWith('sales.order_items:') && /order_items_pkey/.test(w)), report.warnings.join('\n'));
  });

  it('loads CSV quoting, unicode, multi-line fields and NULL vs empty string faithfully', async () => {
    const { rows } = await run('select customer_id, name, city, signup_date, profile from sales.customers order by customer_id');
    assert.deepEqual(rows, [
      [1, 'Smith, John', 'Paris', '2024-01-15', '{"tier": "gold"}'],
      [2, `O'Brien "Bob"`, null, '2024-02-29', null],
      [3, 'Zoë Ünïcödé 日本', '', '2023-12-31', '[1, 2]'],
      [4, 'Multi\nline', 'Lyon', null, null],
    ]);
  });

  it('returns BIGINT beyond 2^53 and NUMERIC(38,10) as exact strings, small BIGINTs as numbers', async () => {
    const { rows, page } = await run('select order_id, amount from sales.orders order by order_id');
    assert.deepEqual(rows[3], ['9007199254740993', '12345678901234567890.1234567890']);
    assert.deepEqual(rows[0], [2, '150.5000000000']);
    assert.equal(rows[1][1], null);
    assert.deepEqual(page?.columns.map((c) => [c.typeName, c.kind]), [['int8', 'integer'], ['numeric', 'decimal']]);
    assert.equal(await value('select 9007199254740993::bigint + 2'), '9007199254740995');
  });

  it('types seed columns as dbt seed does, and loads the numbers dbt would ($1,200 → 1200, 15.2% → 15.2, NULL)', async () => {
    const cols = await engine.describeTable('seeds', 'country_codes');
    assert.deepEqual(cols.map((c) => [c.name, c.typeName]), [
      ['code', 'text'],
      ['name', 'text'],
      ['population', 'int4'],
      ['is_eu', 'bool'],
      ['zip_like', 'int4'],
      ['budget', 'int4'],
      ['eu_share', 'float8'],
    ]);
    const { outcome, rows } = await run('select code, zip_like, budget, eu_share from seeds.country_codes order by code');
    assert.equal(outcome.status, 'FINISHED', outcome.error);
    assert.deepEqual(rows, [
      ['DE', 10, null, null],
      ['FR', 75, 1200, 15.2],
      ['US', 100, 30, null],
    ]);
  });

  it('runs Redshift functions with Redshift answers', async () => {
    assert.equal(await value("select nvl(city, 'unknown') from sales.customers where customer_id = 2"), 'unknown');
    assert.equal(await value("select nvl2(city, 'has', 'none') from sales.customers where customer_id = 2"), 'none');
    assert.equal(await value("select dateadd(day, 30, '2024-01-31'::date)"), '2024-03-01 00:00:00');
    assert.equal(await value("select dateadd(month, 1, '2024-01-31'::date)"), '2024-02-29 00:00:00');
    assert.equal(await value("select dateadd(qtr, -1, '2024-05-15 10:00:00'::timestamp)"), '2024-02-15 10:00:00');
    assert.equal(await value("select datediff(day, '2024-01-31 23:00'::timestamp, '2024-02-01 01:00'::timestamp)"), 1);
    assert.equal(await value("select datediff(days, '2024-01-01'::date, '2024-03-01'::date)"), 60);
    assert.equal(await value("select datediff(month, '2024-01-31'::date, '2024-02-01'::date)"), 1);
    assert.equal(await value("select datediff(month, '2023-11-15', '2024-02-14')"), 3);
    assert.equal(await value("select datediff(year, '2023-12-31', '2024-01-01')"), 1);
    assert.equal(await value("select dateadd(day, 1, '2024-02-28')"), '2024-02-29 00:00:00');
    assert.equal(await value("select datediff(hour, '2024-01-01 10:59'::timestamptz, '2024-01-01 11:01'::timestamptz)"), 1);
    assert.equal(await value("select len('héllo')"), 5);
    assert.equal(await value("select charindex('lo', 'hello')"), 4);
    assert.equal(await value("select isnull(null::int, 7)"), 7);
    assert.equal(await value("select convert(integer, '42') + 1"), 43);
    assert.equal(await value("select date_part(yr, '2024-06-01'::date)"), 2024);
    assert.equal(await value("select median(x) from (values (1), (2), (10)) v(x)"), 2);
    assert.equal(await value("select trunc('2024-06-01 10:11:12'::timestamp)"), '2024-06-01');
  });

  it('orders LISTAGG … WITHIN GROUP like Redshift', async () => {
    const { rows } = await run("select order_id, listagg(sku, ',') within group (order by sku desc) from sales.order_items group by order_id order by order_id");
    assert.deepEqual(rows, [[2, 'B-2,A-1,A-1'], [3, 'C-3,A-1']]);
  });

  it('rewrites DECODE (including NULL search values) and TOP', async () => {
    const { rows } = await run("select top 3 order_id, decode(status, 'A', 'active', 'C', 'closed', null, 'none', 'other') from sales.orders order by order_id");
    assert.deepEqual(rows, [[2, 'active'], [3, 'closed'], [4, 'none']]);
  });

  it('gives GETDATE() and SYSDATE the Redshift type (timestamp without time zone)', async () => {
    const { page, rows } = await run('select getdate() as g, sysdate as s');
    assert.deepEqual(page?.columns.map((c) => c.typeName), ['timestamp', 'timestamp']);
    assert.match(String(rows[0][0]), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('queries views created from the catalog', async () => {
    const { rows } = await run('select order_id, amount from sales.big_orders order by order_id');
    assert.deepEqual(rows, [[2, '150.5000000000'], ['9007199254740993', '12345678901234567890.1234567890']]);
  });

  it('pages results by the configured page size', async () => {
    const outcome = await engine.execute('select code from seeds.country_codes order by code');
    assert.equal(outcome.resultRows, 3);
    const first = await engine.fetchPage(outcome.id);
    assert.deepEqual(first.rows, [['DE'], ['FR']]);
    assert.ok(first.nextToken);
    const second = await engine.fetchPage(outcome.id, first.nextToken);
    assert.deepEqual(second.rows, [['US']]);
    assert.equal(second.nextToken, undefined);
    await assert.rejects(engine.fetchPage('no-such-id'), /No result set/);
  });

  it('maps errors to FAILED with the PostgreSQL message and the position in the original SQL', async () => {
    const progress: string[] = [];
    const outcome = await engine.execute('select top 1 nvl(city, name),\n       nope from sales.customers', { onProgress: (p) => progress.push(p.status) });
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.error ?? '', /column "nope" does not exist/);
    assert.deepEqual(outcome.errorPosition && [outcome.errorPosition.line, outcome.errorPosition.column], [2, 8]);
    assert.deepEqual(progress, ['SUBMITTED', 'STARTED', 'FAILED']);
  });

  it('fails unsupported Redshift constructs with a message naming them', async () => {
    const q = await engine.execute('select customer_id from sales.customers qualify row_number() over (order by customer_id) = 1');
    assert.equal(q.status, 'FAILED');
    assert.match(q.error ?? '', /^QUALIFY is Redshift-only/);
    const s = await engine.execute('select * from svv_table_info');
    assert.match(s.error ?? '', /SVV_TABLE_INFO/);
  });

  it('answers SHOW TABLE from the catalog with Redshift DDL', async () => {
    const ddl = String(await value('show table sales.customers'));
    assert.match(ddl, /IDENTITY\(100, 1\)/);
    assert.match(ddl, /DISTKEY \(customer_id\)/);
  });

  it('binds :name parameters', async () => {
    const { rows } = await run('select name from sales.customers where customer_id = :id or city = :city order by 1', [
      { name: 'id', value: '3' },
      { name: 'city', value: 'Paris' },
    ]);
    assert.deepEqual(rows, [['Smith, John'], ['Zoë Ünïcödé 日本']]);
    const missing = await engine.execute('select :x');
    assert.match(missing.error ?? '', /:x/);
  });

  it('runs a batch as one transaction with sub-statements, and rolls it back on failure', async () => {
    const ok = await run(['create table public.tmp_batch (id int identity(1,1), v varchar(max) encode zstd) diststyle all', "insert into tmp_batch (v) values ('a'), ('b')", 'select count(*) from tmp_batch']);
    assert.equal(ok.outcome.status, 'FINISHED', ok.outcome.error);
    assert.deepEqual(ok.outcome.subStatements?.map((s) => s.id), [1, 2, 3].map((n) => `${ok.outcome.id}:${n}`));
    assert.equal(ok.outcome.subStatements?.[1].resultRows, 2);
    assert.deepEqual(ok.rows, [[2]]);
    const sub = await engine.fetchPage(`${ok.outcome.id}:3`);
    assert.deepEqual(sub.rows, [[2]]);

    const bad = await engine.execute("insert into tmp_batch (v) values ('c'); select nope from tmp_batch; insert into tmp_batch (v) values ('d')");
    assert.equal(bad.status, 'FAILED');
    assert.deepEqual(bad.subStatements?.map((s) => s.status), ['FINISHED', 'FAILED', 'ABORTED']);
    assert.match(bad.error ?? '', /^Statement 2: ERROR: column "nope"/);
    assert.equal(await value('select count(*) from tmp_batch'), 2);
  });

  it('honours an abort signal before running (best effort: a running statement finishes first)', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await engine.execute('select 1', { signal: controller.signal });
    assert.equal(outcome.status, 'ABORTED');
  });

  it('lists schemas, tables and columns from information_schema', async () => {
    const schemas = await engine.listSchemas();
    for (const s of ['public', 'sales', 'seeds']) assert.ok(schemas.includes(s), schemas.join(','));
    assert.ok(!schemas.includes('pg_catalog') && !schemas.includes('information_schema'));
    const tables = await engine.listTables('sales');
    assert.deepEqual(
      tables.map((t) => `${t.name}:${t.type}`),
      ['big_orders:VIEW', 'customers:TABLE', 'events:TABLE', 'order_items:TABLE', 'orders:TABLE', 'returns:TABLE'],
    );
    const cols = await engine.describeTable('sales', 'customers');
    assert.deepEqual(cols.map((c) => [c.name, c.typeName, c.kind]), [
      ['customer_id', 'int4', 'integer'],
      ['name', 'varchar', 'text'],
      ['city', 'varchar', 'text'],
      ['signup_date', 'date', 'date'],
      ['profile', 'super', 'other'],
    ]);
  });
});

describe('EmbeddedEngine loading speed and resilience', function () {
  this.timeout(60000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quarry-embedded-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('loads a 100k-row CSV in a few seconds (COPY through /dev/blob)', async () => {
    const lines = ['id,amount,label,created_at'];
    for (let i = 1; i <= 100000; i++) lines.push(`${i},${(i % 977) + 0.25},"item, #${i}",2024-01-${String((i % 28) + 1).padStart(2, '0')} 12:00:00`);
    await fs.writeFile(path.join(dir, 'bulk.big_table.csv'), lines.join('\n'));
    await fs.writeFile(path.join(dir, 'bulk.empty.csv'), '');
    const engine = new EmbeddedEngine({ dataDirs: [dir] });
    try {
      const report = await engine.loadReport();
      const big = report.files.find((f) => f.table === 'big_table');
      assert.equal(big?.status, 'loaded', big?.message);
      assert.equal(big?.rows, 100000);
      assert.ok((big?.durationMs ?? Infinity) < 5000, `load took ${big?.durationMs} ms`);
      console.log(`      100k rows: ${big?.durationMs} ms (inference + COPY), whole load ${report.durationMs} ms`);
      assert.equal(report.files.find((f) => f.table === 'empty')?.status, 'skipped');
      const outcome = await engine.execute('select count(*), sum(id), max(label) from bulk.big_table');
      const page = await engine.fetchPage(outcome.id);
      assert.deepEqual(page.rows, [[100000, 5000050000, 'item, #99999']]);
    } finally {
      await engine.dispose();
    }
  });
});

describe('EmbeddedEngine startup cache', function () {
  this.timeout(90000);
  it('restores the initialised database from cacheDir on the second start, shims included', async () => {
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quarry-embedded-cache-'));
    try {
      const first = new EmbeddedEngine({ cacheDir });
      assert.equal((await first.loadReport()).startup?.fromSnapshot, false);
      await first.dispose();
      assert.equal((await fs.readdir(cacheDir)).filter((f) => f.endsWith('.tar.gz')).length, 1);
      const second = new EmbeddedEngine({ cacheDir });
      try {
        const report = await second.loadReport();
        assert.equal(report.startup?.fromSnapshot, true);
        console.log(`      snapshot start ${report.startup?.durationMs} ms`);
        const outcome = await second.execute("select datediff(day, '2024-01-01', '2024-01-31')");
        assert.deepEqual((await second.fetchPage(outcome.id)).rows, [[30]]);
      } finally {
        await second.dispose();
      }
    } finally {
      await fs.rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('EmbeddedEngine from DDL parsed by parseSql', function () {
  this.timeout(60000);
  it('builds the same relations from test/fixtures/embedded/warehouse/ddl.sql and answers queries', async () => {
    const file = path.join(FIXTURE, 'ddl.sql');
    const parsed = parseSql(await fs.readFile(file, 'utf8'), 'ddl.sql');
    assert.deepEqual(parsed.diagnostics, []);
    const engine = new EmbeddedEngine({ catalog: buildCatalog([{ ...emptyFacts('ddl.sql', 'sql'), ddl: parsed.ddl }]), dataDirs: [path.join(FIXTURE, 'data')] });
    try {
      const report = await engine.loadReport();
      const created = report.relations.filter((r) => r.status === 'created' && r.source === 'catalog').map((r) => r.name).sort();
      assert.deepEqual(created, ['big_orders', 'customers', 'events', 'order_items', 'orders', 'returns']);
      const outcome = await engine.execute('select count(*) from sales.big_orders');
      assert.deepEqual((await engine.fetchPage(outcome.id)).rows, [[2]]);
    } finally {
      await engine.dispose();
    }
  });
});

describe('EmbeddedEngine and the catalog agree on the types of computed columns', function () {
  this.timeout(60000);
  it("types a view's Redshift functions as the engine answers them", async () => {
    const sql = `CREATE TABLE s.t (id bigint, amt numeric(12,2), ts timestamp, d date, name varchar(20), flag boolean, n int);
      CREATE VIEW s.v AS SELECT trunc(ts) AS day, trunc(amt) AS whole, last_day(d) AS month_end, convert_timezone('UTC', 'America/New_York', ts) AS local_ts,
        bool_or(flag) AS any_flag, bool_and(flag) AS all_flags, getdate() AS now_ts, date_part(year, ts) AS yr, count(*) AS n_rows, sum(n) AS total, md5(name) AS hash
      FROM s.t GROUP BY 1, 2, 3, 4, 7, 8, 11;`;
    const parsed = parseSql(sql, 'v.sql');
    assert.deepEqual(parsed.diagnostics, []);
    const catalog = buildCatalog([{ ...emptyFacts('v.sql', 'sql'), ddl: parsed.ddl }]);
    const view = catalog.tables.find((t) => t.name === 'v')!;
    const engine = new EmbeddedEngine({ catalog, dataDirs: [] });
    try {
      const outcome = await engine.execute('select * from s.v');
      assert.equal(outcome.status, 'FINISHED', outcome.error);
      const answered = (await engine.fetchPage(outcome.id)).columns.map((c) => `${c.name}:${typeFamilyOf(c.typeName)}`);
      assert.deepEqual(view.columns.map((c) => `${c.name}:${c.dataType ? typeFamilyOf(c.dataType) : '?'}`), answered);
      assert.deepEqual(answered, ['day:date', 'whole:numeric', 'month_end:date', 'local_ts:timestamp', 'any_flag:boolean', 'all_flags:boolean', 'now_ts:timestamp', 'yr:float', 'n_rows:integer', 'total:integer', 'hash:text']);
    } finally {
      await engine.dispose();
    }
  });
});
