import assert from 'node:assert/strict';
import { ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { exportResult } from '../../../src/cli/commands/query';
import type { TableDef } from '../../../src/core/catalog/model';
import { RepeatedNextTokenError } from '../../../src/core/paging';
import type { QueryEngine, ResultPage } from '../../../src/core/ports';
import { liveDdlProvider } from '../../../src/vscode/query/liveDdl';
import { PagedResultSource, enginePages } from '../../../src/vscode/webviews/resultSource';
import { useStandIn, waitForStatement } from './standIn';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('RedshiftDataEngine history: ListStatements for this connection only, newest first', function () {
  this.timeout(30_000);
  // The service promises no order: this stand-in lists oldest first, so only the engine's own sort puts newest first.
  const s = useStandIn({ listStatementsOrder: 'oldest-first' });

  it("lists this cluster's and database's statements of this caller, newest first", async () => {
    const raw = s.rawClient();
    const db = s.pg.database;
    const others = [
      { Sql: 'select 101 as other_cluster', ClusterIdentifier: 'other-cluster', Database: db },
      { Sql: 'select 102 as other_workgroup', WorkgroupName: 'wg-other', Database: db },
      { Sql: 'select 103 as other_database', ClusterIdentifier: 'quarry-test', Database: 'postgres' },
    ];
    for (const input of others) await waitForStatement(raw, (await raw.send(new ExecuteStatementCommand(input))).Id!);
    const teammate = new RedshiftDataClient({
      endpoint: s.emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEAMMATE', secretAccessKey: 'other-secret' },
      maxAttempts: 1,
    });
    try {
      const sent = await teammate.send(new ExecuteStatementCommand({ Sql: 'select 104 as teammate', ClusterIdentifier: 'quarry-test', Database: db }));
      await waitForStatement(teammate, sent.Id!);
    } finally {
      teammate.destroy();
    }

    const engine = s.engine();
    for (const n of [1, 2, 3]) {
      await engine.execute(`select ${n} as mine`);
      await pause(5);
    }
    const listed = await engine.recentStatements(50);
    assert.deepEqual(listed.map((x) => x.sql), ['select 3 as mine', 'select 2 as mine', 'select 1 as mine']);
    assert.ok(listed.every((x) => x.status === 'FINISHED' && x.createdAt));
    await engine.dispose();
  });

  it("lists a serverless workgroup's statements by WorkgroupName", async () => {
    const engine = s.engine({ connection: { clusterIdentifier: undefined, workgroupName: 'wg-mine' } });
    await engine.execute('select 11 as on_workgroup');
    await pause(5);
    await engine.execute(['select 12 as batch_a', 'select 13 as batch_b']);
    const listed = await engine.recentStatements(50);
    assert.deepEqual(listed.map((x) => x.sql), ['select 12 as batch_a;\nselect 13 as batch_b', 'select 11 as on_workgroup']);
    await engine.dispose();
  });
});

describe('NextToken loops stop when the service repeats a token', function () {
  this.timeout(30_000);
  const s = useStandIn({ pageRows: 2, catalogPageRows: 2 });
  afterEach(() => s.emulator?.faults.clear());

  /** The second page answers with the token that asked for it: following it would read that page for ever. */
  const repeatSecondToken = (operation: string): void => s.emulator.faults.add({ operation, error: 'RepeatNextToken', skip: 1 });

  it('results grid: keeps the rows read so far and reports the repeat', async () => {
    const engine = s.engine();
    const out = await engine.execute('select g from generate_series(1, 10) g order by g');
    repeatSecondToken('GetStatementResult');
    const source = await PagedResultSource.fromResultPages(enginePages(engine, out.id));
    const rows = await source.getRows(0, 100);
    assert.deepEqual(rows, [[1], [2], [3], [4]]);
    assert.ok(source.complete);
    assert.match(source.error ?? '', /GetStatementResult answered a NextToken it had already given; paging stopped after 2 page/);
    await engine.dispose();
  });

  it('CLI export: writes the pages read, then fails with RepeatedNextTokenError', async () => {
    const engine = s.engine();
    const out = await engine.execute('select g from generate_series(1, 10) g order by g');
    repeatSecondToken('GetStatementResult');
    let written = '';
    await assert.rejects(
      exportResult(engine, out.id, 'csv', { write: async (chunk) => void (written += chunk) }),
      RepeatedNextTokenError,
    );
    assert.equal(written, 'g\r\n1\r\n2\r\n3\r\n4\r\n');
    await engine.dispose();
  });

  it('catalog lists (ListSchemas, ListTables, DescribeTable) fail with RepeatedNextTokenError', async () => {
    await s.sql('create schema if not exists paging_a');
    await s.sql('create schema if not exists paging_b');
    await s.sql('create table if not exists paging_a.t1 (a int, b int, c int, d int, e int)');
    await s.sql('create table if not exists paging_a.t2 (a int)');
    await s.sql('create table if not exists paging_a.t3 (a int)');
    await s.sql('create table if not exists paging_a.t4 (a int)');
    await s.sql('create table if not exists paging_a.t5 (a int)');
    const engine = s.engine();
    assert.ok((await engine.listSchemas()).length > 4, 'without the fault every page is read');
    repeatSecondToken('ListSchemas');
    await assert.rejects(engine.listSchemas(), RepeatedNextTokenError);
    repeatSecondToken('ListTables');
    await assert.rejects(engine.listTables('paging_a'), RepeatedNextTokenError);
    repeatSecondToken('DescribeTable');
    await assert.rejects(engine.describeTable('paging_a', 't1'), RepeatedNextTokenError);
    await engine.dispose();
  });
});

describe('Show Table DDL (liveDdl) stops on a repeated NextToken', () => {
  it('falls back to the catalog DDL instead of reading the same page again', async () => {
    const asked: (string | undefined)[] = [];
    const pages: ResultPage[] = [
      { columns: [], rows: [['CREATE TABLE public.t (']], nextToken: 'a' },
      { columns: [], rows: [['  id int']], nextToken: 'a' },
      { columns: [], rows: [[');']] },
    ];
    const engine = {
      label: 'Redshift: fake',
      execute: async () => ({ id: 'st-1', status: 'FINISHED', hasResultSet: true }),
      fetchPage: async (_id: string, token?: string) => {
        asked.push(token);
        return pages[asked.length - 1] ?? { columns: [], rows: [] };
      },
    } as unknown as QueryEngine;
    const errors: string[] = [];
    const log = { warn: () => undefined, error: (m: string, err?: unknown) => errors.push(`${m}: ${(err as Error)?.message}`) };
    const connections = { activeProfile: () => ({ name: 'fake' }), engine: async () => engine };
    const ddl = liveDdlProvider(connections as never, log as never);
    const table = { schema: 'public', name: 't', kind: 'table', columns: [], constraints: [] } as unknown as TableDef;
    assert.equal(await ddl(table), undefined);
    assert.deepEqual(asked, [undefined, 'a']);
    assert.match(errors.join(), /NextToken it had already given/);
  });
});
