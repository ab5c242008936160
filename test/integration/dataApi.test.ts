import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { QueryRun } from '../../src/vscode/query/queryRunner';
import type { RedshiftDataEngine } from '../../src/adapters/aws/redshiftDataEngine';
import { activateQuarry, waitFor } from './helpers';

const PG_URL = process.env.QUARRY_IT_PG_URL;

async function pgQuery<T>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try { return (await client.query(sql)).rows as T[]; } finally { await client.end(); }
}

describe('Running queries through the Redshift Data API (stand-in on real PostgreSQL)', function () {
  before(async function () {
    assert.ok(process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA && PG_URL, 'the launcher did not start the Data API stand-in');
    const api = await activateQuarry();
    const cfg = vscode.workspace.getConfiguration('quarry');
    await cfg.update('connections', [{ name: 'standin', region: 'us-east-1', workgroupName: 'analytics-wg', database: 'dev' }], vscode.ConfigurationTarget.Workspace);
    await api.container.connections.select('standin');
    await waitFor('the stand-in connection to be active', () => api.container.connections.activeName() === 'standin');
  });

  after(async () => {
    const api = await activateQuarry();
    await api.container.connections.select('');
    await vscode.workspace.getConfiguration('quarry').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('runs a query on the Data API and keeps BIGINT beyond 2^53 and NUMERIC exact', async () => {
    const api = await activateQuarry();
    const run = await api.container.queries.run("select 9007199254740993::bigint as big, 12345678901234567890.123456789::numeric(38,9) as amount, 'x' as label");
    assert.ok(run);
    assert.equal(run.outcome.status, 'FINISHED', run.outcome.error);
    assert.equal(run.engine.isLocal, false);
    assert.match(run.engine.label, /standin/);
    const page = await run.engine.fetchPage(run.outcome.id);
    assert.equal(page.rows[0][0], '9007199254740993');
    assert.equal(page.rows[0][1], '12345678901234567890.123456789');
    assert.ok(run.panel);
    await run.panel.ready;
    await waitFor('the result to load', () => run.panel!.resultSets()[0]?.complete);
    run.panel.panel.dispose();
  });

  it('cancels a long query on the server from "Quarry: Cancel Running Query"', async () => {
    const api = await activateQuarry();
    const started = Date.now();
    const pending = api.container.queries.run('select pg_sleep(60)') as Promise<QueryRun | undefined>;
    await waitFor('pg_sleep to run on the backend', async () =>
      (await pgQuery<{ n: string }>("select count(*) as n from pg_stat_activity where wait_event = 'PgSleep'"))[0].n !== '0', 30_000);
    await vscode.commands.executeCommand('quarry.cancelQuery');
    const run = await pending;
    assert.equal(run?.outcome.status, 'ABORTED');
    assert.ok(Date.now() - started < 30_000, 'the cancel waited for the query to finish');
    const left = await pgQuery<{ n: string }>("select count(*) as n from pg_stat_activity where wait_event = 'PgSleep'");
    assert.equal(left[0].n, '0', 'the backend is still sleeping: the cancel did not reach PostgreSQL');
    assert.equal(api.container.history.entries()[0].status, 'ABORTED');
  });

  it('rebuilds a results panel after a reload from the statement id (the Data API keeps results for 24 h)', async () => {
    const api = await activateQuarry();
    const run = await api.container.queries.run('select 9007199254740993::bigint as big');
    assert.equal(run?.outcome.status, 'FINISHED', run?.outcome.error);
    run?.panel?.panel.dispose();
    const key = JSON.stringify({ connection: 'standin', title: 'Results: restored', sets: [{ id: run!.outcome.id, label: 'big' }] });
    const content = await api.container.queries.restore(key);
    assert.ok(content, 'nothing restored');
    const source = content.sources[0].source;
    const rows = await source.getRows(0, 5);
    assert.deepEqual(rows, [['9007199254740993']]);
    assert.equal(await api.container.queries.restore(JSON.stringify({ connection: '', title: 'x', sets: [{ id: 'gone', label: 'x' }] })), undefined,
      'embedded results cannot survive a reload and must not pretend to');
  });

  it('lists the service\'s own statements (ListStatements) for the query history', async () => {
    const api = await activateQuarry();
    // The extension's classes live in its own bundle, so check the shape rather than instanceof.
    const engine = await api.container.connections.engine() as unknown as Pick<RedshiftDataEngine, 'recentStatements'>;
    assert.equal(typeof engine.recentStatements, 'function');
    const recent = await engine.recentStatements(20);
    assert.ok(recent.some((s) => s.sql.includes('9007199254740993')), recent.map((s) => s.sql).join(' | '));
    assert.ok(recent.some((s) => s.status === 'ABORTED'), 'the cancelled statement is not listed as ABORTED');
  });

  it('shows the SQL error that DescribeStatement reports', async () => {
    const api = await activateQuarry();
    const run = await api.container.queries.run('select * from no_such_table_anywhere');
    assert.equal(run?.outcome.status, 'FAILED');
    assert.match(run?.outcome.error ?? '', /no_such_table_anywhere/);
  });

  it('says why a file of more than 40 statements cannot go as one Data API batch, before sending anything', async () => {
    const api = await activateQuarry();
    const before = api.container.history.entries().length;
    const sql = Array.from({ length: 41 }, (_, k) => `select ${k};`).join('\n');
    await assert.rejects(api.container.queries.run(sql), /41 statements, and the Data API takes at most 40 in one batch/);
    assert.equal(api.container.history.entries().length, before, 'nothing was sent');
  });
});
