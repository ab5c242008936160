import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEngine } from '../../../src/adapters/embedded/embeddedEngine';
import type { EmbeddedLoadReport, EmbeddedRelationReport } from '../../../src/adapters/embedded/loadReport';
import type { TableDef } from '../../../src/core/catalog/model';
import { buildCardinalitySql, CARDINALITY_COLUMNS } from '../../../src/core/modeling/joinSql';
import type { CellValue } from '../../../src/core/ports';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';

const FIXTURE = path.resolve(__dirname, '../../fixtures/embedded/dbt-models');
const SAMPLE = path.resolve(__dirname, '../../../samples/warehouse');

async function firstRow(engine: EmbeddedEngine, sql: string): Promise<CellValue[]> {
  const outcome = await engine.execute(sql);
  assert.equal(outcome.status, 'FINISHED', `${sql}: ${outcome.error}`);
  return (await engine.fetchPage(outcome.id)).rows[0]!;
}

const byName = (report: EmbeddedLoadReport) => new Map<string, EmbeddedRelationReport>(report.relations.map((r) => [`${r.schema}.${r.name}`, r]));

function model(name: string, schema = 'public', file = `models/${name}.sql`): TableDef {
  return { schema, name, kind: 'dbtModel', columns: [], constraints: [], dbt: { resourceType: 'model', uniqueId: `model.fixture.${name}` }, origin: { kind: 'dbt-model', file } };
}

describe('EmbeddedEngine builds dbt models as views', function () {
  this.timeout(120000);

  describe('fixture workspace (dependency order, skips, failures)', () => {
    let engine: EmbeddedEngine;
    let report: EmbeddedLoadReport;

    before(async () => {
      const people: TableDef = {
        schema: 'landing', name: 'people', kind: 'table', columns: [], constraints: [],
        dbt: { resourceType: 'source', sourceName: 'crm' }, origin: { kind: 'dbt-yaml', file: 'models/sources.yml' },
      };
      // Listed dependants first, so only ordering by ref() can create them.
      const models = ['after_broken', 'after_looped', 'items_count', 'broken', 'looped', 'loop_a', 'loop_b', 'people', 'items'].map((n) =>
        n === 'items_count' ? model(n, 'analytics') : model(n),
      );
      engine = new EmbeddedEngine({
        catalog: [...models, model('ghost'), people],
        // No workspaceRoot: model files are looked up under the data folders, as for the CLI.
        dataDirs: [FIXTURE],
      });
      report = await engine.loadReport();
    });
    after(() => engine.dispose());

    it('creates models after the models they ref(), resolving sources by source name or by schema', async () => {
      const r = byName(report);
      for (const key of ['public.items', 'analytics.items_count', 'public.people']) {
        assert.equal(r.get(key)?.status, 'created', `${key}: ${r.get(key)?.message}`);
        assert.equal(r.get(key)?.kind, 'view');
        assert.equal(r.get(key)?.source, 'dbt');
      }
      const csv = await fs.readFile(path.join(FIXTURE, 'data', 'raw.items.csv'), 'utf8');
      const csvRows = csv.trim().split('\n').length - 1;
      assert.deepEqual(await firstRow(engine, 'select n from analytics.items_count'), [csvRows]);
      assert.deepEqual(await firstRow(engine, "select name from public.items where id = 2"), ['PEAR']);
      assert.deepEqual(await firstRow(engine, 'select count(*) from public.people'), [3]);
    });

    it('skips unsupported Jinja, missing files, cycles and dependants of failures, each with a reason', () => {
      const r = byName(report);
      const status = (key: string) => `${r.get(key)?.status}: ${r.get(key)?.message}`;
      assert.match(status('public.looped'), /^skipped: .*unsupported Jinja: \{% for %\}/);
      assert.match(status('public.after_looped'), /^skipped: .*depends on public\.looped/);
      assert.match(status('public.ghost'), /^skipped: .*cannot read models\/ghost\.sql/);
      assert.match(status('public.loop_a'), /^skipped: .*dependency cycle/);
      assert.match(status('public.loop_b'), /^skipped: .*dependency cycle/);
      assert.match(status('public.broken'), /^failed: .*no_such_column/);
      assert.match(status('public.after_broken'), /^skipped: .*depends on public\.broken/);
    });

    it('says, when a query reads a model it did not build, why it did not', async () => {
      const outcome = await engine.execute('select * from public.looped');
      assert.equal(outcome.status, 'FAILED', JSON.stringify(outcome));
      assert.match(outcome.error ?? '', /relation "public\.looped" does not exist .*— public\.looped was not built here: .*unsupported Jinja: \{% for %\}/);
    });

    it('reports each model exactly once', () => {
      const modelKeys = report.relations.filter((x) => x.source === 'dbt').map((x) => `${x.schema}.${x.name}`);
      assert.equal(modelKeys.length, 10);
      assert.equal(new Set(modelKeys).size, 10);
    });
  });

  describe('dbt snapshots and model versions (indexed from a workspace)', () => {
    let engine: EmbeddedEngine;
    let report: EmbeddedLoadReport;
    let root: string;

    before(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'quarry-snapshots-'));
      const write = async (rel: string, text: string) => {
        await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await fs.writeFile(path.join(root, rel), text);
      };
      await write('dbt_project.yml', 'name: shop\nsnapshots:\n  shop:\n    +target_schema: snapshots\nseeds:\n  shop:\n    +schema: reference\n    codes:\n      +alias: code_list\n');
      await write('seeds/codes.csv', 'code,label\n1,new\n2,shipped\n');
      await write('models/labelled.sql', "select c.label from {{ ref('codes') }} c where c.code = 2");
      await write('models/sources.yml', 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: items\n');
      await write('raw.items.csv', 'id,name,changed_at\n1,apple,2024-01-01 10:00:00\n2,pear,2024-02-01 11:30:00\n');
      await write(
        'snapshots/items.sql',
        "{% snapshot items_snapshot %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='changed_at') }}\nselect * from {{ source('raw', 'items') }}\n{% endsnapshot %}\n",
      );
      await write(
        'snapshots/_snapshots.yml',
        "version: 2\nsnapshots:\n  - name: names_snapshot\n    relation: ref('item_names')\n    config: { schema: snapshots, unique_key: id, strategy: check }\n"
          + "  - name: items_history\n    relation: source('raw', 'items')\n    config:\n      schema: snapshots\n      unique_key: [id, name]\n      strategy: timestamp\n"
          + "      updated_at: changed_at\n      hard_deletes: new_record\n      snapshot_meta_column_names: { dbt_valid_from: valid_from, dbt_valid_to: valid_to, dbt_is_deleted: is_deleted }\n",
      );
      await write('models/item_names.sql', "select id, upper(name) as name from {{ source('raw', 'items') }}");
      await write('models/current_items.sql', "select s.id, s.name, s.dbt_valid_from from {{ ref('items_snapshot') }} s where s.dbt_valid_to is null");
      await write('models/dim_items_v1.sql', "select id, name from {{ source('raw', 'items') }}");
      await write('models/dim_items_v2.sql', "select id, upper(name) as name, 'v2' as shape from {{ source('raw', 'items') }}");
      await write('models/_versions.yml', 'version: 2\nmodels:\n  - name: dim_items\n    latest_version: 2\n    versions:\n      - v: 1\n        config: { alias: items_legacy }\n      - v: 2\n');
      await write(
        'models/items_keyed.sql',
        "select {{ dbt_utils.star(from=ref('item_names'), except=['NAME'], relation_alias='i', prefix='item_') }}, i.name,\n"
          + "  {{ dbt_utils.generate_surrogate_key(['i.id', 'i.name', 'null']) }} as item_key\nfrom {{ ref('item_names') }} i",
      );
      await write('models/items_compared.sql', "select n.id, n.shape, o.name as old_name from {{ ref('dim_items') }} n join {{ ref('dim_items', v=1) }} o on o.id = n.id");
      const indexer = new WorkspaceIndexer({ root });
      try {
        const snapshot = await indexer.indexAll();
        engine = new EmbeddedEngine({ catalog: snapshot.catalog, dataDirs: [root], seedDirs: [path.join(root, 'seeds')], workspaceRoot: root });
      } finally {
        await indexer.dispose();
      }
      report = await engine.loadReport();
    });
    after(async () => {
      await engine?.dispose();
      await fs.rm(root, { recursive: true, force: true });
    });

    it('builds each snapshot as its first dbt snapshot leaves it, and the models that ref() it', async () => {
      const r = byName(report);
      for (const key of ['snapshots.items_snapshot', 'snapshots.names_snapshot', 'public.current_items']) assert.equal(r.get(key)?.status, 'created', `${key}: ${r.get(key)?.message}`);
      const outcome = await engine.execute('select id, name, length(dbt_scd_id), dbt_valid_from = changed_at::timestamp, dbt_valid_to from snapshots.items_snapshot order by id');
      assert.equal(outcome.status, 'FINISHED', outcome.error);
      assert.deepEqual((await engine.fetchPage(outcome.id)).rows, [
        [1, 'apple', 32, true, null],
        [2, 'pear', 32, true, null],
      ]);
      assert.deepEqual(await firstRow(engine, 'select count(*) from public.current_items'), [2]);
      assert.deepEqual(await firstRow(engine, 'select name from snapshots.names_snapshot where id = 2'), ['PEAR']);
    });

    it("names dbt's snapshot columns as snapshot_meta_column_names says, adds is_deleted under hard_deletes: new_record, and takes updated_at from YAML", async () => {
      assert.equal(byName(report).get('snapshots.items_history')?.status, 'created', byName(report).get('snapshots.items_history')?.message);
      const outcome = await engine.execute('select * from snapshots.items_history order by id');
      assert.equal(outcome.status, 'FINISHED', outcome.error);
      assert.deepEqual((await engine.fetchPage(outcome.id)).columns.map((c) => c.name), ['id', 'name', 'changed_at', 'dbt_scd_id', 'dbt_updated_at', 'valid_from', 'valid_to', 'is_deleted']);
      assert.deepEqual(await firstRow(engine, "select valid_from = changed_at::timestamp, valid_to, is_deleted from snapshots.items_history where id = 2"), [true, null, 'False']);
    });

    it('builds each version of a versioned model under its own name, and resolves ref() with and without v=', async () => {
      const r = byName(report);
      for (const key of ['public.items_legacy', 'public.dim_items_v2', 'public.items_compared']) assert.equal(r.get(key)?.status, 'created', `${key}: ${r.get(key)?.message}`);
      assert.deepEqual(await firstRow(engine, 'select shape, old_name from public.items_compared where id = 2'), ['v2', 'pear']);
    });

    it("builds models using dbt_utils.star() (columns from the catalog) and generate_surrogate_key() (dbt_utils' key)", async () => {
      assert.equal(byName(report).get('public.items_keyed')?.status, 'created', byName(report).get('public.items_keyed')?.message);
      const outcome = await engine.execute('select * from public.items_keyed order by item_id');
      assert.equal(outcome.status, 'FINISHED', outcome.error);
      const page = await engine.fetchPage(outcome.id);
      assert.deepEqual(page.columns.map((c) => c.name), ['item_id', 'name', 'item_key']);
      assert.deepEqual(page.rows[1], [2, 'PEAR', createHash('md5').update('2-PEAR-_dbt_utils_surrogate_key_null_').digest('hex')]);
    });

    it("loads a seed under its +alias, where ref() finds it", async () => {
      assert.deepEqual(await firstRow(engine, 'select count(*) from reference.code_list'), [2]);
      assert.deepEqual(await firstRow(engine, 'select label from public.labelled'), ['shipped']);
    });
  });

  describe('samples/warehouse', () => {
    let engine: EmbeddedEngine;
    let report: EmbeddedLoadReport;
    let catalogModels: TableDef[];

    before(async function () {
      if (!existsSync(path.join(SAMPLE, 'dbt', 'models'))) this.skip();
      const indexer = new WorkspaceIndexer({ root: SAMPLE });
      try {
        const snapshot = await indexer.indexAll();
        catalogModels = snapshot.catalog.tables.filter((t) => t.kind === 'dbtModel');
        engine = new EmbeddedEngine({
          catalog: snapshot.catalog,
          dataDirs: [SAMPLE],
          seedDirs: [path.join(SAMPLE, 'dbt', 'seeds')],
          workspaceRoot: SAMPLE,
        });
      } finally {
        await indexer.dispose();
      }
      report = await engine.loadReport();
    });
    after(() => engine?.dispose());

    it('lists every dbt model of the catalog in the load report, created', () => {
      assert.ok(catalogModels.length >= 2);
      const r = byName(report);
      for (const m of catalogModels) {
        const entry = r.get(`${m.schema}.${m.name}`);
        assert.ok(entry, `${m.name} missing from the load report`);
        assert.equal(entry.status, 'created', `${m.name}: ${entry.message}`);
      }
      assert.deepEqual(report.relations.filter((x) => x.status !== 'created'), []);
    });

    it('builds models in the schema dbt_project.yml gives their folder (+schema), and stg_orders has as many rows as sales.orderinfo', async () => {
      const [models] = await firstRow(engine, 'select count(*) from staging.stg_orders');
      const [raw] = await firstRow(engine, 'select count(*) from sales.orderinfo');
      assert.ok(Number(raw) > 0);
      assert.equal(models, raw);
    });

    it('runs the cardinality SQL of stg_orders.sku_id → stg_skus.sku_id with no orphans', async () => {
      const sql = buildCardinalitySql({ schema: 'staging', table: 'stg_orders' }, ['sku_id'], { schema: 'staging', table: 'stg_skus' }, ['sku_id']);
      const row = await firstRow(engine, sql);
      const value = (c: (typeof CARDINALITY_COLUMNS)[number]) => Number(row[CARDINALITY_COLUMNS.indexOf(c)]);
      assert.ok(value('from_total') > 0);
      assert.ok(value('to_total') > 0);
      assert.equal(value('orphan_rows'), 0);
      assert.equal(value('max_to_per_key'), 1);
    });

    it('builds the customers snapshot in its target_schema, one current row per customer', async () => {
      const [current] = await firstRow(engine, 'select count(*) from snapshots.customers_snapshot where dbt_valid_to is null');
      const [customers] = await firstRow(engine, 'select count(*) from sales.customers');
      assert.ok(Number(customers) > 0);
      assert.equal(current, customers);
    });

    it('builds the incremental model as a full build', async () => {
      const [lines] = await firstRow(engine, 'select count(*) from marts.fct_order_lines');
      const [orders] = await firstRow(engine, 'select count(*) from staging.stg_orders');
      assert.equal(lines, orders);
    });
  });
});
