import assert from 'node:assert/strict';
import { ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { AuthExpiredError } from '../../../src/adapters/aws/authErrors';
import type { StatementProgress } from '../../../src/core/ports';
import { useStandIn, waitForStatement, TEST_CREDENTIALS } from './standIn';

describe('RedshiftDataEngine against the Data API stand-in on real PostgreSQL', function () {
  this.timeout(30_000);
  const s = useStandIn({ pageRows: 100, pickDelayMs: 30 });

  afterEach(() => s.emulator?.faults.clear());

  it('executes, reports progress and pages a result with NextToken', async () => {
    const engine = s.engine();
    const seen: StatementProgress[] = [];
    const outcome = await engine.execute('select g as n, g * 2 as twice from generate_series(1, 250) g order by g', {
      onProgress: (p) => seen.push(p),
    });
    assert.equal(outcome.status, 'FINISHED');
    assert.equal(outcome.hasResultSet, true);
    assert.equal(outcome.resultRows, 250);
    assert.ok(outcome.durationMs > 0);
    assert.ok(seen.some((p) => p.status !== 'FINISHED'), 'saw a running status before FINISHED');
    assert.equal(seen[seen.length - 1].status, 'FINISHED');

    const rows: unknown[][] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await engine.fetchPage(outcome.id, token);
      assert.deepEqual(page.columns.map((c) => [c.name, c.typeName, c.kind]), [
        ['n', 'int4', 'integer'],
        ['twice', 'int4', 'integer'],
      ]);
      rows.push(...page.rows);
      token = page.nextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(rows.length, 250);
    assert.deepEqual(rows[0], [1, 2]);
    assert.deepEqual(rows[249], [250, 500]);
  });

  it('runs a batch in one transaction with sub-statement ids, and rolls it back on failure', async () => {
    const engine = s.engine();
    const ok = await engine.execute([
      'create table batch_ok (id int8, label varchar(20))',
      "insert into batch_ok values (1, 'one'), (2, null)",
      'select id, label from batch_ok order by id',
    ]);
    assert.equal(ok.status, 'FINISHED');
    assert.deepEqual(ok.subStatements?.map((x) => x.id), [1, 2, 3].map((i) => `${ok.id}:${i}`));
    assert.equal(ok.subStatements?.[1].resultRows, 2);
    const page = await engine.fetchPage(ok.subStatements![2].id);
    assert.deepEqual(page.rows, [
      [1, 'one'],
      [2, null],
    ]);

    const bad = await engine.execute(['create table batch_bad (id int)', 'insert into batch_bad values (1)', 'select * from missing_table']);
    assert.equal(bad.status, 'FAILED');
    assert.equal(bad.subStatements?.[2].status, 'FAILED');
    assert.match(bad.subStatements?.[2].error ?? '', /relation "missing_table" does not exist/);
    const exists = await s.sql("select to_regclass('public.batch_bad') as t");
    assert.equal(exists.rows[0].t, null, 'the whole batch was rolled back');
  });

  it('binds :name parameters (repeated names, casts left alone)', async () => {
    const engine = s.engine();
    const out = await engine.execute("select :a::int + 1 as next, :a || '-' || :b as joined, 'x::y' as lit", {
      parameters: [
        { name: 'a', value: '41' },
        { name: 'b', value: 'z' },
      ],
    });
    assert.equal(out.status, 'FINISHED', out.error);
    const page = await engine.fetchPage(out.id);
    assert.deepEqual(page.rows, [[42, '41-z', 'x::y']]);
  });

  it('accepts bad SQL at submit time and reports the error only in DescribeStatement', async () => {
    const client = s.rawClient();
    const sent = await client.send(
      new ExecuteStatementCommand({ Sql: 'select * from no_such_table', Database: s.pg.database, WorkgroupName: 'wg-test' }),
    );
    assert.match(sent.Id ?? '', /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}$/);
    const d = await waitForStatement(client, sent.Id!);
    assert.equal(d.Status, 'FAILED');
    assert.equal(d.Error, 'ERROR: relation "no_such_table" does not exist');

    const outcome = await s.engine().execute('select 1/0');
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.error ?? '', /division by zero/);
  });

  it('cancels a running pg_sleep(30) on the server (ABORTED, backend no longer sleeping)', async () => {
    const engine = s.engine();
    const ac = new AbortController();
    const started = Date.now();
    const id = await engine.submit('select pg_sleep(30)');
    const outcomeP = engine.waitFor(id, { signal: ac.signal });
    const sleepingBackends = async (): Promise<number> => {
      const pid = s.emulator.statement(id)?.redshiftPid ?? -1;
      const r = await s.sql("select count(*)::int as n from pg_stat_activity where pid = $1 and wait_event = 'PgSleep'", [pid]);
      return r.rows[0].n;
    };
    let sleeping = 0;
    for (let i = 0; i < 100 && sleeping === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      sleeping = await sleepingBackends();
    }
    assert.equal(sleeping, 1, 'pg_sleep was running on the server');
    ac.abort();
    const outcome = await outcomeP;
    assert.equal(outcome.status, 'ABORTED');
    assert.ok(Date.now() - started < 10_000, 'ended long before 30 s');
    assert.equal(await sleepingBackends(), 0);
    const any = await s.sql("select count(*)::int as n from pg_stat_activity where wait_event = 'PgSleep'");
    assert.equal(any.rows[0].n, 0);
  });

  it('retries ThrottlingException and ActiveStatementsExceededException', async () => {
    const engine = s.engine();
    const before = s.emulator.faults.callCount('ExecuteStatement');
    s.emulator.faults.add({ operation: 'ExecuteStatement', error: 'ThrottlingException', times: 2 });
    s.emulator.faults.add({ operation: 'DescribeStatement', error: 'ActiveStatementsExceededException', times: 1 });
    const out = await engine.execute('select 1');
    assert.equal(out.status, 'FINISHED');
    assert.equal(s.emulator.faults.callCount('ExecuteStatement') - before, 3);
  });

  it('maps ExpiredTokenException to AuthExpiredError with the sso login hint', async () => {
    const engine = s.engine({ connection: { profile: 'analytics' } });
    s.emulator.faults.add({ operation: 'ExecuteStatement', error: 'ExpiredTokenException' });
    await assert.rejects(engine.execute('select 1'), (err: unknown) => {
      assert.ok(err instanceof AuthExpiredError);
      assert.equal(err.hint, 'run `aws sso login --profile analytics`');
      return true;
    });
  });

  it('resumes a page fetch after the connection is reset mid-pagination', async () => {
    const engine = s.engine();
    const out = await engine.execute('select g from generate_series(1, 350) g order by g');
    const before = s.emulator.faults.callCount('GetStatementResult');
    s.emulator.faults.add({ operation: 'GetStatementResult', error: 'ConnectionReset', skip: 2, times: 1 });
    const values: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await engine.fetchPage(out.id, token);
      values.push(...page.rows.map((r) => r[0]));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(values, Array.from({ length: 350 }, (_, i) => i + 1));
    assert.equal(s.emulator.faults.callCount('GetStatementResult') - before, 5, '4 pages + 1 retried after the reset');
  });

  it('keeps BIGINT beyond 2^53 exact (9007199254740993) while the bare SDK client loses it', async () => {
    const sql = 'select 9007199254740993::int8 as big, -9007199254740993::int8 as neg, 42::int8 as small';
    const engine = s.engine();
    const out = await engine.execute(sql);
    const page = await engine.fetchPage(out.id);
    assert.deepEqual(page.rows, [['9007199254740993', '-9007199254740993', 42]]);
    assert.equal(page.columns[0].typeName, 'int8');

    // Why the middleware exists: a plain client parses longValue with JSON.parse.
    const bare = new RedshiftDataClient({ endpoint: s.emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const raw = await bare.send(new GetStatementResultCommand({ Id: out.id }));
      assert.notEqual(String(raw.Records?.[0][0].longValue), '9007199254740993');
    } finally {
      bare.destroy();
    }
  });

  it('returns NUMERIC as exact strings', async () => {
    const engine = s.engine();
    const out = await engine.execute('select 12345678901234567890.123456789::numeric(38,9) as amount, 0.1::numeric + 0.2::numeric as sum');
    const page = await engine.fetchPage(out.id);
    assert.deepEqual(page.rows, [['12345678901234567890.123456789', '0.3']]);
    assert.deepEqual(page.columns.map((c) => c.kind), ['decimal', 'decimal']);
  });

  it('maps bytea, bool, float, NULL, timestamp through the fast Records path', async () => {
    const engine = s.engine();
    const out = await engine.execute("select '\\x01ab'::bytea as b, true as t, 1.5::float8 as f, null::int as n, timestamp '2024-01-02 03:04:05.12' as ts");
    const page = await engine.fetchPage(out.id);
    assert.deepEqual(page.rows, [['01ab', true, 1.5, null, '2024-01-02 03:04:05.12']]);
    assert.deepEqual(page.columns.map((c) => c.kind), ['other', 'boolean', 'float', 'integer', 'timestamp']);
  });

  it('lists schemas and tables and describes a table through the catalog operations', async () => {
    await s.sql('create schema if not exists sales_x');
    await s.sql('create table if not exists sales_x.orders (order_id int8 not null, amount numeric(12,2), placed_at timestamp)');
    await s.sql('create or replace view sales_x.big_orders as select * from sales_x.orders where amount > 100');
    await s.sql('create schema if not exists salesyx');
    await s.sql('create table if not exists salesyx.decoy (a int)');
    const engine = s.engine();
    const schemas = await engine.listSchemas();
    assert.ok(schemas.includes('public') && schemas.includes('sales_x'));
    const tables = await engine.listTables('sales_x');
    assert.deepEqual(
      tables.map((t) => [t.schema, t.name, t.type]),
      [
        ['sales_x', 'big_orders', 'VIEW'],
        ['sales_x', 'orders', 'TABLE'],
      ],
    );
    const cols = await engine.describeTable('sales_x', 'orders');
    assert.deepEqual(cols.map((c) => [c.name, c.typeName, c.kind]), [
      ['order_id', 'int8', 'integer'],
      ['amount', 'numeric', 'decimal'],
      ['placed_at', 'timestamp', 'timestamp'],
    ]);
  });
});
