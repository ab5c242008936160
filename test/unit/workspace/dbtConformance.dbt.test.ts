import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import type { CatalogSnapshot, TableDef } from '../../../src/core/catalog/model';
import type { FileFacts } from '../../../src/core/workspace/facts';
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
  depends_on?: { nodes?: string[] };
  schema: string;
  alias?: string;
  name: string;
  config: { materialized?: string };
}

interface ManifestColumns {
  description?: string;
  columns?: Record<string, { name: string; description?: string }>;
}

interface Manifest {
  nodes: Record<string, ManifestNode & ManifestColumns>;
  sources: Record<string, { schema: string; identifier: string } & ManifestColumns>;
  disabled: Record<string, unknown>;
  semantic_models: Record<string, { name: string; depends_on: { nodes: string[] }; entities: Array<{ name: string; type: string; expr?: string | null }> }>;
}

/** The fixture copied (and changed by `edit`), indexed by Quarry from the project alone, then parsed by dbt. */
async function quarryAndDbt(context: Mocha.Context, edit?: (dir: string) => void): Promise<{ dir: string; catalog: CatalogSnapshot; facts: FileFacts[]; manifest: Manifest }> {
  const dbt = path.join(path.dirname(dbtPythonOrSkip(context)), 'dbt');
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-dbt-parse-'));
  cpSync(FIXTURE, dir, { recursive: true });
  edit?.(dir);
  // Quarry first, from the project alone (dbt parse then writes target/manifest.json, which Quarry would also read)
  const indexer = new WorkspaceIndexer({ root: dir });
  let snapshot;
  try {
    snapshot = await indexer.indexAll();
  } finally {
    await indexer.dispose();
  }
  execFileSync(dbt, ['parse', '--profiles-dir', dir, '--project-dir', dir], {
    cwd: dir,
    env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1' },
    stdio: 'pipe',
  });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
  return { dir, catalog: snapshot.catalog, facts: snapshot.facts, manifest };
}

const dbtRelationsOf = (catalog: CatalogSnapshot): TableDef[] =>
  catalog.tables.filter((t) => t.kind === 'dbtModel' || t.kind === 'dbtSeed' || t.kind === 'dbtSnapshot' || t.kind === 'dbtSource');

/** Where Quarry and dbt put each relation: `schema.name:materialized` by unique id. */
function placements(catalog: CatalogSnapshot, manifest: Manifest): { ours: Record<string, string>; theirs: Record<string, string> } {
  const ours = new Map(
    dbtRelationsOf(catalog).map((t) => [t.dbt?.uniqueId ?? `?${t.name}`, `${t.schema}.${t.name}${t.kind === 'dbtSeed' || t.kind === 'dbtSource' ? '' : `:${t.dbt?.materialized ?? 'view'}`}`]),
  );
  const theirs = new Map([
    ...Object.entries(manifest.nodes)
      .filter(([, n]) => ['model', 'seed', 'snapshot'].includes(n.resource_type))
      .map(([id, n]): [string, string] => [id, `${n.schema}.${n.alias ?? n.name}${n.resource_type === 'seed' ? '' : `:${n.config.materialized}`}`]),
    ...Object.entries(manifest.sources).map(([id, s]): [string, string] => [id, `${s.schema}.${s.identifier}`]),
  ]);
  return { ours: Object.fromEntries([...ours].sort()), theirs: Object.fromEntries([...theirs].sort()) };
}

describe('dbt project configs, checked against dbt parse', function () {
  this.timeout(180_000);
  let dir: string;
  let catalog: CatalogSnapshot;
  let facts: FileFacts[];
  let manifest: Manifest;
  before(async function () {
    ({ dir, catalog, facts, manifest } = await quarryAndDbt(this));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const dbtRelations = (): TableDef[] => dbtRelationsOf(catalog);

  it('puts every model, seed, snapshot and source where dbt has it, with its materialization, and no disabled model', () => {
    const { ours, theirs } = placements(catalog, manifest);
    assert.ok(Object.keys(theirs).length >= 15, 'the fixture has models, a seed, snapshots and sources');
    assert.ok(Object.keys(manifest.disabled).length >= 2, 'and disabled models, which must not be relations');
    assert.deepEqual(ours, theirs);
  });

  it('places the entities of semantic models on the models dbt builds them on (a versioned one too)', () => {
    const ours = dbtRelations()
      .flatMap((t) => (t.semanticEntities ?? []).map((e) => `${t.dbt!.uniqueId} ${e.semanticModel}.${e.name} ${e.type} ${e.column}`))
      .sort();
    const theirs = Object.values(manifest.semantic_models)
      .flatMap((sm) =>
        sm.entities
          // an entity whose expression is no column names no join key: Quarry leaves it out
          .filter((e) => /^[A-Za-z_]\w*$/.test(e.expr ?? e.name))
          .map((e) => `${sm.depends_on.nodes[0]} ${sm.name}.${e.name} ${e.type} ${e.expr ?? e.name}`),
      )
      .sort();
    assert.ok(theirs.length >= 4 && theirs.some((e) => e.includes('.v3 ')), 'the fixture has semantic models, one on a versioned model');
    assert.deepEqual(ours, theirs);
  });

  it('renders the docs blocks that descriptions use, as dbt renders them', () => {
    // every description, of relations and their columns, keyed by unique id (and column name); empty ones left out
    const described = (id: string, description: string | undefined, columns: Array<[string, string | undefined]>): Array<[string, string]> =>
      [[id, description] as [string, string | undefined], ...columns.map(([c, d]): [string, string | undefined] => [`${id}.${c}`, d])].filter(
        (e): e is [string, string] => !!e[1],
      );
    const ours = dbtRelations().flatMap((t) => described(t.dbt!.uniqueId!, t.comment, t.columns.map((c) => [c.name, c.comment])));
    const theirs = [...Object.entries(manifest.nodes), ...Object.entries(manifest.sources)]
      .filter(([id]) => !id.startsWith('test.'))
      .flatMap(([id, n]) => described(id, n.description, Object.values(n.columns ?? {}).map((c) => [c.name, c.description])));
    assert.ok(theirs.filter(([, d]) => d.includes('|')).length >= 2, 'the fixture renders a block with a table twice');
    assert.deepEqual(Object.fromEntries(ours.sort()), Object.fromEntries(theirs.sort()));
  });

  it("gives each model the parents dbt records: every ref() and source(), in {% set %} bodies too (not in {% call %} bodies, which dbt parse leaves unrendered)", () => {
    const index = new CatalogIndex(catalog);
    const ours: Record<string, string[]> = {};
    for (const t of catalog.tables.filter((x) => x.kind === 'dbtModel')) {
      const refs = facts.find((f) => f.file === t.origin.file)?.tableRefs ?? [];
      const parents = refs.filter((r) => r.dbtRef).map((r) => index.resolveRef(r).table?.dbt?.uniqueId ?? `unresolved:${r.name}`);
      ours[t.dbt!.uniqueId!] = [...new Set(parents)].sort();
    }
    const theirs = Object.fromEntries(
      Object.entries(manifest.nodes)
        .filter(([, n]) => n.resource_type === 'model')
        .map(([id, n]) => [id, [...new Set(n.depends_on?.nodes ?? [])].sort()]),
    );
    // the call body's ref('stg_orders') is not rendered by dbt parse, so it is no parent
    assert.deepEqual(theirs['model.shop.payment_methods'], ['model.shop.stg_items', 'model.shop.stg_payments', 'source.shop.payments.refunds']);
    assert.deepEqual(ours, theirs);
  });
});

describe("where dbt builds a project's relations: its profiles.yml and generate_schema_name, checked against dbt parse", function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** The fixture's profile with the target's schema given by an environment variable dbt leaves at its default. */
  const profileWithSchema = (dir: string, target: string): void => {
    writeFileSync(
      path.join(dir, 'profiles.yml'),
      `shop:\n  target: ${target}\n  outputs:\n    ${target}:\n      type: postgres\n      host: localhost\n      user: u\n      password: not-used\n      port: 5432\n      dbname: d\n      schema: "{{ env_var('QUARRY_NEVER_SET', 'analytics') }}"\n      threads: 1\n`,
    );
  };

  it("with dbt's own generate_schema_name: <target schema>_<custom schema>, and the target's schema for the rest", async function () {
    const run = await quarryAndDbt(this, (dir) => {
      rmSync(path.join(dir, 'macros', 'generate_schema_name.sql'));
      profileWithSchema(dir, 'dev');
    });
    dirs.push(run.dir);
    const { ours, theirs } = placements(run.catalog, run.manifest);
    assert.equal(theirs['model.shop.stg_orders'], 'analytics_orders_area.stg_orders:view', 'dbt appends the custom schema');
    assert.deepEqual(ours, theirs);
  });

  it("leaves out what schema.yml disables (a model, a source, a source's table), renders Jinja in a source's schema and identifier, and builds Python models", async function () {
    const run = await quarryAndDbt(this, (dir) => {
      profileWithSchema(dir, 'dev');
      writeFileSync(path.join(dir, 'models', 'staging', 'stg_legacy.sql'), 'select 1 as id\n');
      writeFileSync(
        path.join(dir, 'models', 'staging', 'stg_events.py'),
        'def model(dbt, session):\n    dbt.config(materialized="table", alias="events_py")\n    orders = dbt.ref("stg_orders")\n    return orders\n',
      );
      writeFileSync(
        path.join(dir, 'models', 'staging', '_disabled.yml'),
        [
          'version: 2',
          'models:',
          '  - name: stg_legacy',
          '    config: { enabled: false }',
          'sources:',
          '  - name: events',
          '    schema: "{{ target.schema }}_raw"',
          '    tables:',
          '      - name: clicks',
          `        identifier: "{{ 'CLICKS' }}"`,
          '      - name: views',
          "        identifier: \"{{ var('views_table', 'page_views') }}\"",
          '      - name: retired',
          '        config: { enabled: false }',
          '  - name: old_crm',
          '    config: { enabled: false }',
          '    tables: [{ name: accounts }]',
        ].join('\n') + '\n',
      );
    });
    dirs.push(run.dir);
    const { ours, theirs } = placements(run.catalog, run.manifest);
    assert.equal(theirs['source.shop.events.clicks'], 'analytics_raw.CLICKS', 'dbt renders the source schema and identifier');
    assert.ok(Object.keys(run.manifest.disabled).some((id) => id.includes('stg_legacy')), 'dbt disables the model');
    assert.equal(theirs['model.shop.stg_legacy'], undefined);
    assert.equal(theirs['model.shop.stg_events'], 'staging.events_py:table', 'a Python model');
    assert.deepEqual(ours, theirs);
    const parents = run.facts.find((f) => f.file === 'models/staging/stg_events.py')?.tableRefs.map((t) => t.dbtRef?.args.join('.'));
    assert.deepEqual(parents, run.manifest.nodes['model.shop.stg_events']!.depends_on!.nodes!.map((n) => n.split('.').pop()));
  });

  it("gives each version of a versioned model the columns and tests dbt gives it (include/exclude, the model's column tests, a version's own tests in place of the model's)", async function () {
    const run = await quarryAndDbt(this, (dir) => {
      writeFileSync(path.join(dir, 'macros', 'test_is_fresh.sql'), '{% test is_fresh(model) %} select 1 where false {% endtest %}\n');
      writeFileSync(path.join(dir, 'models', 'marts', 'dim_shops_v1.sql'), "select 1 as shop_id, 'x' as country, true as legacy_flag\n");
      writeFileSync(path.join(dir, 'models', 'marts', 'dim_shops_v2.sql'), "select 1 as shop_id, 'x' as country, 'US' as country_code\n");
      writeFileSync(
        path.join(dir, 'models', 'marts', '_shops.yml'),
        [
          'version: 2',
          'models:',
          '  - name: dim_shops',
          '    latest_version: 2',
          '    data_tests: [is_fresh]',
          '    columns:',
          '      - name: shop_id',
          '        data_tests: [not_null]',
          '      - name: country',
          '      - name: legacy_flag',
          '    versions:',
          '      - v: 1',
          '        data_tests: [is_fresh]',
          '        columns:',
          '          - name: shop_id',
          '            data_tests: [unique]',
          '      - v: 2',
          '        columns:',
          '          - include: all',
          '            exclude: [legacy_flag]',
          '          - name: country_code',
          '            data_tests:',
          '              - accepted_values:',
          '                  arguments: { values: [US, MX] }',
        ].join('\n') + '\n',
      );
    });
    dirs.push(run.dir);
    const theirs = Object.values(run.manifest.nodes as Record<string, ManifestNode & { attached_node?: string; column_name?: string | null; test_metadata?: { name: string } }>)
      .filter((n) => n.resource_type === 'test' && n.attached_node?.startsWith('model.shop.dim_shops.'))
      .map((n) => `${n.attached_node!.split('.').pop()}:${n.column_name ?? '-'}:${n.test_metadata!.name}`)
      .sort();
    const versions = run.catalog.tables.filter((t) => t.dbt?.version?.of === 'dim_shops');
    const ours = versions.flatMap((t) => (t.tests ?? []).map((x) => `v${t.dbt!.version!.v}:${x.column ?? '-'}:${x.name}`)).sort();
    assert.ok(theirs.length >= 6, theirs.join(' '));
    assert.deepEqual(ours, theirs);
    const columnsOf = (v: string): string[] => Object.keys(run.manifest.nodes[`model.shop.dim_shops.${v}`]!.columns ?? {});
    assert.deepEqual(Object.fromEntries(versions.map((t) => [`v${t.dbt!.version!.v}`, t.columns.map((c) => c.name)])), { v1: columnsOf('v1'), v2: columnsOf('v2') });
  });

  it('with generate_schema_name_for_env outside prod: every relation in the target schema', async function () {
    const run = await quarryAndDbt(this, (dir) => {
      writeFileSync(path.join(dir, 'macros', 'generate_schema_name.sql'), '{% macro generate_schema_name(custom_schema_name, node) -%}\n  {{ generate_schema_name_for_env(custom_schema_name, node) }}\n{%- endmacro %}\n');
      profileWithSchema(dir, 'dev');
    });
    dirs.push(run.dir);
    const { ours, theirs } = placements(run.catalog, run.manifest);
    assert.equal(theirs['model.shop.stg_orders'], 'analytics.stg_orders:view', 'outside prod, the target schema');
    assert.deepEqual(ours, theirs);
  });
});
