import assert from 'node:assert/strict';
import { buildCatalog, IncrementalCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import type { TableDef } from '../../../src/core/catalog/model';
import { classifyFile, type ExtractContext } from '../../../src/core/workspace/classify';
import { extractDbtArtifact } from '../../../src/core/workspace/dbtArtifactsExtractor';
import { extractDbtProject } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';
import type { FileFacts } from '../../../src/core/workspace/facts';

const PROJECT_YML = `name: shop
snapshot-paths: ["snapshots", "history"]
snapshots:
  shop:
    +target_schema: snapshots
    legacy:
      +target_schema: legacy_snapshots
`;

function contextFor(yml: string): ExtractContext {
  const info = extractDbtProject('shop/dbt_project.yml', yml).dbtProject!;
  return {
    dbtProjects: [
      { root: 'shop', name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, snapshotPaths: info.snapshotPaths, snapshotConfigs: info.snapshotConfigs },
    ],
  };
}

const file = (path: string, text: string, ctx: ExtractContext): FileFacts => extractFile(path, new TextEncoder().encode(text), ctx);
const tables = (facts: FileFacts): TableDef[] => facts.ddl.flatMap((o) => (o.op === 'createTable' ? [o.table] : []));
const columns = (t: TableDef | undefined): string[] => (t?.columns ?? []).map((c) => `${c.name}:${c.dataType ?? '?'}`);

describe('dbt snapshots', () => {
  const ctx = contextFor(PROJECT_YML);
  const SNAPSHOTS = `{% snapshot orders_snapshot %}
{{ config(unique_key='order_id', strategy='timestamp', updated_at='updated_at') }}
select o.order_id, o.status::varchar(20) as status, c.email, o.updated_at
from {{ source('shop', 'orders') }} o
join {{ source('shop', 'customers') }} c on c.customer_id = o.customer_id
{% endsnapshot %}

{%- snapshot customers_snapshot -%}
{{ config(target_schema='crm_history', unique_key='customer_id', strategy='check', check_cols='all') }}
select * from {{ source('shop', 'customers') }}
{%- endsnapshot -%}
`;

  it('classifies .sql files under snapshot-paths as snapshots (dbt default: snapshots/)', () => {
    assert.equal(classifyFile('shop/snapshots/orders.sql', ctx), 'dbt-snapshot');
    assert.equal(classifyFile('shop/history/x.sql', ctx), 'dbt-snapshot');
    assert.equal(classifyFile('shop/models/x.sql', ctx), 'dbt-model');
    assert.equal(classifyFile('shop/analyses/x.sql', ctx), 'sql');
    assert.equal(classifyFile('p/snapshots/a.sql', { dbtProjects: [{ root: 'p', modelPaths: ['models'], seedPaths: ['seeds'] }] }), 'dbt-snapshot');
  });

  it('makes a relation per block, in the schema its config or dbt_project.yml gives, with the dbt_* columns last', () => {
    const facts = file('shop/snapshots/orders.sql', SNAPSHOTS, ctx);
    assert.deepEqual(facts.diagnostics, []);
    const [orders, customers] = tables(facts);
    assert.deepEqual([orders?.schema, orders?.name, orders?.kind, orders?.dbt?.uniqueId], ['snapshots', 'orders_snapshot', 'dbtSnapshot', 'snapshot.shop.orders_snapshot']);
    assert.deepEqual(columns(orders), [
      'order_id:?',
      'status:varchar(20)',
      'email:?',
      'updated_at:?',
      'dbt_scd_id:varchar(32)',
      'dbt_updated_at:timestamp',
      'dbt_valid_from:timestamp',
      'dbt_valid_to:timestamp',
    ]);
    assert.equal(orders?.columns[0]?.derivedFrom?.table.dbtRef?.kind, 'source');
    assert.equal(customers?.schema, 'crm_history', "the snapshot's own target_schema wins over dbt_project.yml");
    assert.deepEqual(customers?.starsFrom?.map((s) => [s.from.name, s.at]), [['customers', 0]], "select *: the source's columns, before dbt's");
    assert.equal(facts.joins.length, 1);
    assert.equal(facts.joins[0]!.origin.line, 5);
    const legacy = tables(file('shop/snapshots/legacy/old.sql', '{% snapshot old_orders %} select 1 as id {% endsnapshot %}', ctx))[0];
    assert.equal(legacy?.schema, 'legacy_snapshots', 'the deepest dbt_project.yml path wins');
  });

  it('reports a block left open, and still reads it', () => {
    const facts = file('shop/snapshots/open.sql', '{% snapshot s %}\nselect id from raw.t\n', ctx);
    assert.match(facts.diagnostics[0]?.message ?? '', /not closed by \{% endsnapshot %\}/);
    assert.deepEqual(columns(tables(facts)[0]).slice(0, 1), ['id:?']);
  });

  it('fills columns in through the catalog, resolves ref() to a snapshot, and takes schema.yml and the manifest into account', () => {
    const raw = file('shop/models/sources.yml', `version: 2
sources:
  - name: shop
    schema: raw
    tables:
      - name: orders
        columns: [{ name: order_id, data_type: bigint }, { name: status, data_type: text }, { name: updated_at, data_type: timestamp }, { name: customer_id, data_type: int }]
      - name: customers
        columns: [{ name: customer_id, data_type: int }, { name: email, data_type: varchar(200) }]
`, ctx);
    const snapshots = file('shop/snapshots/orders.sql', SNAPSHOTS, ctx);
    const props = file('shop/snapshots/_snapshots.yml', `version: 2
snapshots:
  - name: orders_snapshot
    description: Order status history
    config: { schema: order_history }
    columns:
      - name: order_id
        data_tests: [not_null]
  - name: customers_snapshot
    config: { target_schema: crm_yaml }
  - name: payments_snapshot
    relation: ref('stg_payments')
    config: { target_schema: snapshots }
`, ctx);
    const model = file('shop/models/current_orders.sql', "select s.order_id, s.email from {{ ref('orders_snapshot') }} s where s.dbt_valid_to is null", ctx);
    const stgPayments = file('shop/models/stg_payments.sql', 'select 1::bigint as payment_id, 2.5::numeric(10,2) as amount', ctx);
    const catalog = buildCatalog([raw, snapshots, props, model, stgPayments]);
    const find = (name: string) => catalog.tables.find((t) => t.name === name);
    const orders = find('orders_snapshot');
    assert.equal(orders?.schema, 'snapshots', "dbt_project.yml's +target_schema wins over schema.yml's schema, as in dbt");
    assert.equal(orders?.comment, 'Order status history');
    assert.equal(orders?.tests?.[0]?.name, 'not_null');
    assert.deepEqual(columns(orders).slice(0, 4), ['order_id:bigint', 'status:varchar(20)', 'email:varchar(200)', 'updated_at:timestamp']);
    assert.equal(find('customers_snapshot')?.schema, 'crm_history', "the block's own target_schema wins over schema.yml's");
    assert.deepEqual(columns(find('customers_snapshot')), [
      'customer_id:int',
      'email:varchar(200)',
      'dbt_scd_id:varchar(32)',
      'dbt_updated_at:timestamp',
      'dbt_valid_from:timestamp',
      'dbt_valid_to:timestamp',
    ]);
    const payments = find('payments_snapshot');
    assert.deepEqual([payments?.schema, payments?.kind], ['snapshots', 'dbtSnapshot'], 'defined in YAML (dbt 1.9+)');
    assert.deepEqual(columns(payments), ['payment_id:bigint', 'amount:numeric(10,2)', 'dbt_scd_id:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp']);
    const current = find('current_orders');
    assert.deepEqual(columns(current), ['order_id:bigint', 'email:varchar(200)'], 'ref() to a snapshot resolves, and types flow through it');
    const index = new CatalogIndex(catalog);
    assert.equal(index.resolveRef(model.tableRefs[0]!).table, orders);

    const manifest = extractDbtArtifact(
      'shop/target/manifest.json',
      JSON.stringify({ nodes: { 'snapshot.shop.orders_snapshot': { resource_type: 'snapshot', name: 'orders_snapshot', schema: 'dbt_snapshots_ci', alias: 'orders_snapshot', columns: {} } } }),
    );
    const built = buildCatalog([raw, snapshots, props, model, stgPayments, manifest]).tables.filter((t) => t.name === 'orders_snapshot');
    assert.deepEqual(built.map((t) => `${t.schema}.${t.name}:${t.kind}`), ['dbt_snapshots_ci.orders_snapshot:dbtSnapshot'], 'where dbt built it, once');
  });
});

describe('dbt snapshot schemas without a target_schema in dbt_project.yml', () => {
  it("follow schema.yml's target_schema, then its schema, under the block's own config", () => {
    const ctx = contextFor('name: shop\n');
    const snaps = file(
      'shop/snapshots/s.sql',
      "{% snapshot a %} select 1 as id {% endsnapshot %}\n{% snapshot b %} select 1 as id {% endsnapshot %}\n{% snapshot c %}{{ config(schema='c_own') }} select 1 as id {% endsnapshot %}",
      ctx,
    );
    const props = file('shop/snapshots/_s.yml', 'version: 2\nsnapshots:\n  - name: a\n    config: { schema: a_yaml }\n  - name: b\n    config: { target_schema: b_target, schema: b_yaml }\n  - name: c\n    config: { schema: c_yaml }\n', ctx);
    const where = buildCatalog([snaps, props]).tables.map((t) => `${t.schema}.${t.name}`).sort();
    assert.deepEqual(where, ['a_yaml.a', 'b_target.b', 'c_own.c']);
  });
});

describe("dbt snapshot columns under a snapshot's configs", () => {
  const metaColumns = (t: TableDef | undefined): string[] => columns(t).slice(1);

  it('are named as snapshot_meta_column_names says, with dbt_is_deleted under hard_deletes: new_record, from the block config()', () => {
    const ctx = contextFor('name: shop\n');
    const [t] = tables(file('shop/snapshots/s.sql', `{% snapshot s %}
{{ config(unique_key=['id', 'region'], strategy='timestamp', updated_at='changed_at', hard_deletes='new_record',
          snapshot_meta_column_names={'dbt_valid_from': 'valid_from', "dbt_valid_to": "valid_to", 'dbt_is_deleted': 'is_deleted'}) }}
select 1 as id {% endsnapshot %}`, ctx));
    assert.deepEqual(metaColumns(t), ['dbt_scd_id:varchar(32)', 'dbt_updated_at:timestamp', 'valid_from:timestamp', 'valid_to:timestamp', 'is_deleted:text']);
    assert.deepEqual(t?.dbt?.snapshot, {
      strategy: 'timestamp', updatedAt: 'changed_at', uniqueKey: ['id', 'region'], hardDeletes: 'new_record',
      metaColumnNames: { dbt_valid_from: 'valid_from', dbt_valid_to: 'valid_to', dbt_is_deleted: 'is_deleted' },
    });
  });

  it("take dbt_project.yml's configs by folder, the block's config() over them key by key", () => {
    const ctx = contextFor(`name: shop
snapshots:
  shop:
    +hard_deletes: new_record
    +snapshot_meta_column_names:
      dbt_scd_id: scd_key
    scd2:
      +snapshot_meta_column_names: { dbt_valid_to: valid_until }
`);
    const [plain] = tables(file('shop/snapshots/a.sql', '{% snapshot a %} select 1 as id {% endsnapshot %}', ctx));
    assert.deepEqual(metaColumns(plain), ['scd_key:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp', 'dbt_is_deleted:text']);
    const [deeper] = tables(file('shop/snapshots/scd2/b.sql', '{% snapshot b %} select 1 as id {% endsnapshot %}', ctx));
    assert.deepEqual(metaColumns(deeper), ['dbt_scd_id:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'valid_until:timestamp', 'dbt_is_deleted:text'], 'a deeper folder replaces the names as a whole');
    const [own] = tables(file('shop/snapshots/c.sql', "{% snapshot c %}{{ config(hard_deletes='invalidate') }} select 1 as id {% endsnapshot %}", ctx));
    assert.deepEqual(metaColumns(own), ['scd_key:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp'], 'invalidate adds no column');
  });

  it('of a snapshot defined in YAML, come from its config:', () => {
    const ctx = contextFor('name: shop\nsnapshots:\n  +snapshot_meta_column_names: { dbt_updated_at: changed }\n');
    const [t] = tables(file('shop/snapshots/_s.yml', `version: 2
snapshots:
  - name: payments_history
    relation: source('shop', 'payments')
    config:
      unique_key: payment_id
      strategy: timestamp
      updated_at: paid_at
      hard_deletes: new_record
`, ctx));
    assert.deepEqual(columns(t), ['dbt_scd_id:varchar(32)', 'changed:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp', 'dbt_is_deleted:text']);
    assert.equal(t?.dbt?.snapshot?.updatedAt, 'paid_at');
  });
});

describe('dbt snapshot configs in the schema.yml entry of a snapshot defined in SQL', () => {
  const ctx = contextFor('name: shop\nsnapshots:\n  shop:\n    +snapshot_meta_column_names: { dbt_scd_id: scd_key }\n');
  const sqlFile = (config: string) =>
    file('shop/snapshots/s.sql', `{% snapshot s %}${config} select 1 as id {% endsnapshot %}`, ctx);
  const props = (config: string) => file('shop/snapshots/_s.yml', `version: 2\nsnapshots:\n  - name: s\n    config: ${config}\n`, ctx);
  const built = (...facts: FileFacts[]) => buildCatalog(facts).tables.find((t) => t.name === 's');

  it("win over dbt_project.yml's and lose to its own config()'s, and rename its columns", () => {
    const t = built(sqlFile("{{ config(hard_deletes='invalidate') }}"), props('{ hard_deletes: new_record, snapshot_meta_column_names: { dbt_valid_to: valid_until } }'));
    assert.deepEqual(columns(t), ['id:integer', 'dbt_scd_id:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'valid_until:timestamp'],
      "the block's hard_deletes stands; the entry's names replace dbt_project.yml's");
    const u = built(sqlFile(''), props('{ hard_deletes: new_record }'));
    assert.deepEqual(columns(u), ['id:integer', 'scd_key:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp', 'dbt_is_deleted:text']);
  });

  it('follow the entry as it changes, as a full build would', () => {
    const sql = sqlFile('');
    const inc = new IncrementalCatalog([sql, props('{ hard_deletes: new_record }')]);
    const changed = props('{ snapshot_meta_column_names: { dbt_valid_from: valid_from } }');
    inc.setFile(changed);
    assert.deepEqual(inc.snapshot(), buildCatalog([sql, changed]));
    assert.deepEqual(columns(inc.snapshot().tables.find((t) => t.name === 's')).slice(1), ['dbt_scd_id:varchar(32)', 'dbt_updated_at:timestamp', 'valid_from:timestamp', 'dbt_valid_to:timestamp']);
    inc.removeFile('shop/snapshots/_s.yml');
    assert.deepEqual(columns(inc.snapshot().tables.find((t) => t.name === 's')).slice(1), ['scd_key:varchar(32)', 'dbt_updated_at:timestamp', 'dbt_valid_from:timestamp', 'dbt_valid_to:timestamp']);
  });
});
