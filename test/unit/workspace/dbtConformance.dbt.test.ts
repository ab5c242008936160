import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { dbtPythonOrSkip } from '../dbtToolchain';

/**
 * Where Quarry places a project's models, seeds and snapshots, against where dbt itself does (`dbt parse`, its
 * manifest): dbt_project.yml `+schema` / `+target_schema` / `+materialized` by folder, schema.yml `config:`, the
 * model's or snapshot's own config(), and snapshots defined in YAML. The project's generate_schema_name uses a
 * custom schema as is, as Quarry does. scripts/test.sh installs that dbt (scripts/ensure-dbt.sh) and requires it.
 */
const FIXTURE = path.resolve(__dirname, '../../fixtures/dbt-conformance');

interface ManifestNode {
  resource_type: string;
  schema: string;
  alias?: string;
  name: string;
  config: { materialized?: string };
}

describe('dbt project configs, checked against dbt parse', function () {
  this.timeout(180_000);
  let dbt: string | undefined;
  let dir: string;
  before(function () {
    dbt = path.join(path.dirname(dbtPythonOrSkip(this)), 'dbt');
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-dbt-parse-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('puts every model, seed, snapshot and source where dbt has it, with its materialization, and no disabled model', async () => {
    // Quarry first, from the project alone (dbt parse then writes target/manifest.json, which Quarry would also read)
    const indexer = new WorkspaceIndexer({ root: dir });
    let ours: Map<string, string>;
    try {
      const catalog = (await indexer.indexAll()).catalog;
      ours = new Map(
        catalog.tables
          .filter((t) => t.kind === 'dbtModel' || t.kind === 'dbtSeed' || t.kind === 'dbtSnapshot' || t.kind === 'dbtSource')
          .map((t) => [t.dbt?.uniqueId ?? `?${t.name}`, `${t.schema}.${t.name}${t.kind === 'dbtSeed' || t.kind === 'dbtSource' ? '' : `:${t.dbt?.materialized ?? 'view'}`}`]),
      );
    } finally {
      await indexer.dispose();
    }
    execFileSync(dbt!, ['parse', '--profiles-dir', dir, '--project-dir', dir], {
      cwd: dir,
      env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1' },
      stdio: 'pipe',
    });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, ManifestNode>;
      sources: Record<string, { schema: string; identifier: string }>;
      disabled: Record<string, unknown>;
    };
    const theirs = new Map([
      ...Object.entries(manifest.nodes)
        .filter(([, n]) => ['model', 'seed', 'snapshot'].includes(n.resource_type))
        .map(([id, n]): [string, string] => [id, `${n.schema}.${n.alias ?? n.name}${n.resource_type === 'seed' ? '' : `:${n.config.materialized}`}`]),
      ...Object.entries(manifest.sources).map(([id, s]): [string, string] => [id, `${s.schema}.${s.identifier}`]),
    ]);
    assert.ok(theirs.size >= 15, 'the fixture has models, a seed, snapshots and sources');
    assert.ok(Object.keys(manifest.disabled).length >= 2, 'and disabled models, which must not be relations');
    assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...theirs].sort()));
  });
});
