import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
  ListDatabasesCommand,
  ListStatementsCommand,
} from '@aws-sdk/client-redshift-data';
import { RedshiftDataEngine } from '../../../src/adapters/aws/redshiftDataEngine';
import { runQueryCommand } from '../../../src/cli/commands/query';
import { useStandIn, waitForStatement } from './standIn';

describe('Redshift Data API stand-in (wire behaviour through the real SDK client)', function () {
  this.timeout(30_000);
  const s = useStandIn({ pageRows: 3 });

  it('rejects a call naming both or neither of cluster and workgroup with ValidationException 400', async () => {
    const client = s.rawClient();
    for (const target of [{}, { ClusterIdentifier: 'c1', WorkgroupName: 'wg1' }]) {
      await assert.rejects(client.send(new ExecuteStatementCommand({ Sql: 'select 1', Database: 'dev', ...target })), (err: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(err.name, 'ValidationException');
        assert.equal(err.$metadata.httpStatusCode, 400);
        return true;
      });
    }
    await assert.rejects(
      client.send(new ExecuteStatementCommand({ Sql: 'select 1', Database: 'dev', WorkgroupName: 'wg1', DbUser: 'u' })),
      { name: 'ValidationException' },
    );
  });

  it('describes status, duration in ns, rows; answers GetStatementResult only for result sets', async () => {
    const client = s.rawClient();
    const { Id } = await client.send(new ExecuteStatementCommand({ Sql: 'create table wire_t (a int)', Database: s.pg.database, ClusterIdentifier: 'c1' }));
    const d = await waitForStatement(client, Id!);
    assert.equal(d.Status, 'FINISHED');
    assert.equal(d.HasResultSet, false);
    assert.ok((d.Duration ?? 0) > 1000, 'Duration is in nanoseconds');
    await assert.rejects(client.send(new GetStatementResultCommand({ Id })), /Query does not have result/);
    await assert.rejects(client.send(new CancelStatementCommand({ Id })), /already in FINISHED state/);
    await assert.rejects(client.send(new DescribeStatementCommand({ Id: '00000000-0000-0000-0000-000000000000' })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('serves batch results only by sub-statement id and lists statements', async () => {
    const client = s.rawClient();
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({ Sqls: ['select 1 as a', 'select 2 as b'], Database: s.pg.database, ClusterIdentifier: 'c1', StatementName: 'wire-batch' }),
    );
    const d = await waitForStatement(client, Id!);
    assert.deepEqual(d.SubStatements?.map((x) => [x.Id, x.Status, x.HasResultSet]), [
      [`${Id}:1`, 'FINISHED', true],
      [`${Id}:2`, 'FINISHED', true],
    ]);
    await assert.rejects(client.send(new GetStatementResultCommand({ Id })), /only be retrieved with sub-statement id/);
    const r = await client.send(new GetStatementResultCommand({ Id: `${Id}:2` }));
    assert.deepEqual(r.Records, [[{ longValue: 2 }]]);
    const listed = await client.send(new ListStatementsCommand({ StatementName: 'wire-', Status: 'ALL' }));
    assert.deepEqual(listed.Statements?.map((x) => [x.Id, x.IsBatchStatement]), [[Id, true]]);
  });

  it('pages with small pages and an opaque NextToken, with ColumnMetadata and TotalNumRows', async () => {
    const client = s.rawClient();
    const { Id } = await client.send(new ExecuteStatementCommand({ Sql: "select g, 'r' || g as label from generate_series(1, 7) g", Database: s.pg.database, ClusterIdentifier: 'c1' }));
    await waitForStatement(client, Id!);
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const r = await client.send(new GetStatementResultCommand({ Id, NextToken: token }));
      assert.equal(r.TotalNumRows, 7);
      assert.deepEqual(r.ColumnMetadata?.map((c) => c.typeName), ['int4', 'varchar']);
      sizes.push(r.Records?.length ?? 0);
      token = r.NextToken;
    } while (token);
    assert.deepEqual(sizes, [3, 3, 1]);
    await assert.rejects(client.send(new GetStatementResultCommand({ Id, NextToken: 'garbage' })), { name: 'ValidationException' });
  });

  it('serves CSV results through GetStatementResultV2 (exact BIGINT) and rejects the JSON call for them', async () => {
    const client = s.rawClient();
    const { Id } = await client.send(
      new ExecuteStatementCommand({ Sql: "select 9007199254740993::int8 as big, 'a,b' as s, null::text as n", Database: s.pg.database, ClusterIdentifier: 'c1', ResultFormat: 'CSV' }),
    );
    await waitForStatement(client, Id!);
    const r = await client.send(new GetStatementResultV2Command({ Id }));
    assert.deepEqual(r.Records, [{ CSVRecords: '9007199254740993,"a,b",\n' }]);
    await assert.rejects(client.send(new GetStatementResultCommand({ Id })), { name: 'ValidationException' });
  });

  it('keeps a session: temp tables survive on the same backend', async () => {
    const client = s.rawClient();
    const first = await client.send(
      new ExecuteStatementCommand({ Sql: 'create temp table scratch as select 5 as v', Database: s.pg.database, ClusterIdentifier: 'c1', SessionKeepAliveSeconds: 60 }),
    );
    assert.ok(first.SessionId);
    const d1 = await waitForStatement(client, first.Id!);
    const second = await client.send(new ExecuteStatementCommand({ Sql: 'select v from scratch', SessionId: first.SessionId }));
    const d2 = await waitForStatement(client, second.Id!);
    assert.equal(d2.Status, 'FINISHED', d2.Error);
    assert.equal(d2.RedshiftPid, d1.RedshiftPid);
    const r = await client.send(new GetStatementResultCommand({ Id: second.Id }));
    assert.deepEqual(r.Records, [[{ longValue: 5 }]]);
  });

  it('lists databases', async () => {
    const out = await s.rawClient().send(new ListDatabasesCommand({ Database: s.pg.database, ClusterIdentifier: 'c1' }));
    assert.ok(out.Databases?.includes(s.pg.database));
  });

  it('CLI: quarry query streams CSV to a file and JSON Lines to stdout from a settings file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-cli-'));
    try {
      const config = join(dir, 'connections.json');
      writeFileSync(config, JSON.stringify({ 'quarry.connections': [s.connection({ name: 'local' })] }));
      const factory = s.factory();
      const engineFactory = (spec: Parameters<NonNullable<Parameters<typeof runQueryCommand>[2]>['engineFactory'] & object>[0]) => {
        if (spec.kind !== 'redshift') throw new Error('no embedded engine in this test');
        return new RedshiftDataEngine(spec.connection, { clientFactory: factory });
      };
      const errs: string[] = [];
      const outFile = join(dir, 'out.csv');
      const sql = "select g as id, case when g = 2 then null else 'v,' || g end as val, 9007199254740993::int8 + g as big from generate_series(1, 5) g order by g";
      const code = await runQueryCommand([sql, '--connection', 'local', '--config', config, '--out', outFile], { out: () => undefined, err: (m) => errs.push(m) }, { engineFactory });
      assert.equal(code, 0, errs.join('\n'));
      const lines = readFileSync(outFile, 'utf8').split('\r\n');
      assert.equal(lines[0], 'id,val,big');
      assert.equal(lines[1], '1,"v,1",9007199254740994');
      assert.equal(lines[2], '2,,9007199254740995');
      assert.equal(lines.length, 7);

      const out: string[] = [];
      const code2 = await runQueryCommand(['select 1 as a, 1 as a; select 2 as b', '--config', config, '--format', 'json'], { out: (m) => out.push(m), err: () => undefined }, { engineFactory });
      assert.equal(code2, 0);
      assert.deepEqual(out.join('').trim().split('\n').map((l) => JSON.parse(l)), [{ b: 2 }]);

      const code3 = await runQueryCommand(['select 1', '--embedded', dir], { out: () => undefined, err: (m) => errs.push(m) });
      assert.equal(code3, 2);
      assert.match(errs[errs.length - 1], /embedded engine/);
      const code4 = await runQueryCommand(['select * from nope', '--config', config], { out: () => undefined, err: (m) => errs.push(m) }, { engineFactory });
      assert.equal(code4, 1);
      assert.match(errs[errs.length - 1], /relation "nope" does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
