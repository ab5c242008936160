import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { typeFamilyOf } from '../../../src/core/sql/dataTypes';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { startPostgres, type RunningPostgres } from '../../emulators/redshift-data/postgres';
import { dbtPythonOrSkip } from '../dbtToolchain';

/**
 * The columns Quarry's catalog gives dbt models, seeds and snapshots, against the tables `dbt build` really makes on
 * PostgreSQL (information_schema): the names in order (stars expanded in place, snapshots' dbt_* columns, seeds) and,
 * where Quarry gives a type, its family (types passed on through CTEs, ref() and source(), casts, seed inference).
 */
const FIXTURE = path.resolve(__dirname, '../../fixtures/dbt-build');

describe('dbt build on PostgreSQL: the columns Quarry expects are the ones dbt makes', function () {
  this.timeout(240_000);
  let dbt: string;
  let server: RunningPostgres | undefined;
  let dir: string;

  before(async function () {
    dbt = path.join(path.dirname(dbtPythonOrSkip(this)), 'dbt');
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-dbt-build-'));
    cpSync(FIXTURE, dir, { recursive: true });
    server = await startPostgres();
    writeFileSync(
      path.join(dir, 'profiles.yml'),
      `build:\n  target: dev\n  outputs:\n    dev: { type: postgres, host: 127.0.0.1, port: ${server.port}, user: postgres, password: "", dbname: dev, schema: public, threads: 1 }\n`,
    );
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('matches every relation dbt builds, column by column', async () => {
    // Quarry first, from the project and the warehouse DDL alone (dbt then writes target/, which Quarry would also read)
    const indexer = new WorkspaceIndexer({ root: dir });
    let ours: Map<string, string[]>;
    try {
      const catalog = (await indexer.indexAll()).catalog;
      ours = new Map(
        catalog.tables
          .filter((t) => t.kind === 'dbtModel' || t.kind === 'dbtSeed' || t.kind === 'dbtSnapshot')
          .map((t) => [`${t.schema}.${t.name}`, t.columns.map((c) => `${c.name}:${c.dataType ? typeFamilyOf(c.dataType) : '?'}`)]),
      );
    } finally {
      await indexer.dispose();
    }

    const client = new pg.Client({ connectionString: server!.connectionString });
    await client.connect();
    let theirs: Map<string, string[]>;
    try {
      await client.query(readFileSync(path.join(dir, 'warehouse.sql'), 'utf8'));
      execFileSync(dbt, ['build', '--profiles-dir', dir, '--project-dir', dir], {
        cwd: dir,
        env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1' },
        stdio: 'pipe',
      });
      const { rows } = await client.query<{ rel: string; column_name: string; data_type: string }>(
        `select table_schema || '.' || table_name as rel, column_name, data_type from information_schema.columns
         where table_schema not in ('raw', 'information_schema', 'pg_catalog') order by table_schema, table_name, ordinal_position`,
      );
      theirs = new Map();
      for (const r of rows) (theirs.get(r.rel) ?? theirs.set(r.rel, []).get(r.rel)!).push(`${r.column_name}:${typeFamilyOf(r.data_type)}`);
    } finally {
      await client.end();
    }
    assert.ok(theirs.size >= 8, 'dbt built the fixture: models, a seed and a snapshot');
    // where Quarry has no type ('?'), only the name is compared
    const expected = new Map([...theirs].map(([rel, cols]) => [rel, cols.map((c, i) => (ours.get(rel)?.[i]?.endsWith(':?') ? `${c.split(':')[0]}:?` : c))]));
    assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...expected].sort()));
    // and here every column has a type: through CTEs (a cast in one is the type), ref(), source(), stars, casts, seeds,
    // snapshots and functions
    const untyped = [...ours].flatMap(([rel, cols]) => cols.filter((c) => c.endsWith(':?')).map((c) => `${rel}.${c}`));
    assert.deepEqual(untyped, []);
  });
});
