import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import type { TableDef } from '../../../src/core/catalog/model';
import type { ExtractContext } from '../../../src/core/workspace/classify';
import { extractDbtArtifact } from '../../../src/core/workspace/dbtArtifactsExtractor';
import { configFor, readPathConfigs } from '../../../src/core/workspace/dbtProjectConfig';
import { extractDbtProject } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';

const PROJECT_YML = `name: shop
version: "1.0.0"
profile: shop
model-paths: ["models"]
seed-paths: ["seeds"]
models:
  +materialized: view
  shop:
    staging:
      +schema: staging
      legacy:
        schema: staging_legacy
        materialized: ephemeral
    marts:
      +materialized: table
      +schema: marts
      finance:
        fct_revenue:
          +alias: revenue
          +materialized: incremental
  dbt_utils:
    +schema: should_not_apply
seeds:
  shop:
    +schema: reference
    status_codes:
      +column_types:
        code: smallint
        label: varchar(40)
`;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function contextFor(yml: string): ExtractContext {
  const info = extractDbtProject('shop/dbt_project.yml', yml).dbtProject!;
  return { dbtProjects: [{ root: 'shop', name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, modelConfigs: info.modelConfigs, seedConfigs: info.seedConfigs }] };
}

function relationOf(path: string, text: string, ctx: ExtractContext): TableDef {
  const op = extractFile(path, bytes(text), ctx).ddl[0];
  assert.ok(op?.op === 'createTable', `${path} made no relation`);
  return op.table;
}

describe('dbt_project.yml model and seed configs', () => {
  it('reads +configs (and the older bare keys) by path, for the project and every package, not for other packages', () => {
    const info = extractDbtProject('shop/dbt_project.yml', PROJECT_YML).dbtProject!;
    assert.deepEqual(
      info.modelConfigs.map((c) => [c.path, c.schema, c.materialized, c.alias]),
      [
        ['', undefined, 'view', undefined],
        ['marts/', 'marts', 'table', undefined],
        ['staging/', 'staging', undefined, undefined],
        ['staging/legacy/', 'staging_legacy', 'ephemeral', undefined],
        ['marts/finance/fct_revenue/', undefined, 'incremental', 'revenue'],
      ],
    );
    assert.deepEqual(info.seedConfigs, [
      { path: '', schema: 'reference' },
      { path: 'status_codes/', columnTypes: { code: 'smallint', label: 'varchar(40)' } },
    ]);
  });

  it('merges the configs along a path, the deepest winning; an alias only for its own resource', () => {
    const configs = readPathConfigs({ '+schema': 'all', p: { a: { '+schema': 'a', '+alias': 'folder_alias', b: { '+materialized': 'table' } } } }, 'p');
    assert.deepEqual(configFor(configs, 'a/b/model'), { schema: 'a', materialized: 'table' });
    assert.deepEqual(configFor(configs, 'ab/model'), { schema: 'all' }, 'a/ is not a prefix of ab/');
    assert.deepEqual(configFor(configs, 'a'), { schema: 'a', alias: 'folder_alias' });
    assert.deepEqual(configFor([], 'x'), {});
    // values that only a dbt run can work out are left out
    const jinja = readPathConfigs({ p: { '+schema': "{{ env_var('DBT_SCHEMA') }}", '+materialized': "{% if target.name == 'prod' %}table{% endif %}" } }, 'p');
    assert.deepEqual(jinja, []);
  });

  it('places models and seeds in their configured schema, with their materialization; config() in the model wins', () => {
    const ctx = contextFor(PROJECT_YML);
    const stg = relationOf('shop/models/staging/stg_orders.sql', 'select id from {{ source("raw", "orders") }}', ctx);
    assert.deepEqual([stg.schema, stg.name, stg.dbt?.materialized], ['staging', 'stg_orders', 'view']);
    const legacy = relationOf('shop/models/staging/legacy/old_orders.sql', 'select 1 as id', ctx);
    assert.deepEqual([legacy.schema, legacy.dbt?.materialized], ['staging_legacy', 'ephemeral']);
    const revenue = relationOf('shop/models/marts/finance/fct_revenue.sql', 'select 1 as amount', ctx);
    assert.deepEqual([revenue.schema, revenue.name, revenue.dbt?.materialized, revenue.dbt?.uniqueId], ['marts', 'revenue', 'incremental', 'model.shop.fct_revenue']);
    const own = relationOf('shop/models/marts/dim_x.sql', "{{ config(schema='sandbox', materialized='view') }}\nselect 1 as id", ctx);
    assert.deepEqual([own.schema, own.dbt?.materialized], ['sandbox', 'view']);
    const seed = relationOf('shop/seeds/status_codes.csv', 'code,label,since\n1,new,2024-01-01\n2,shipped,2024-02-01\n', ctx);
    assert.equal(seed.schema, 'reference');
    assert.deepEqual(seed.columns.map((c) => `${c.name}:${c.dataType}:${c.typeFamily}`), ['code:smallint:integer', 'label:varchar(40):text', 'since:date:date']);
  });

  it('leaves disabled models, seeds and snapshots out of the catalog, keeping what their SQL joins', () => {
    const ctx = contextFor('name: shop\nmodels:\n  shop:\n    retired:\n      +enabled: false\nseeds:\n  shop:\n    old_codes:\n      +enabled: false\n');
    const joins = 'select a.id from {{ ref("a") }} a join {{ ref("b") }} b on b.id = a.id';
    const retired = extractFile('shop/models/retired/x.sql', bytes(joins), ctx);
    assert.deepEqual(retired.ddl, []);
    assert.equal(retired.joins.length, 1, 'the join is still evidence');
    assert.deepEqual(extractFile('shop/models/y.sql', bytes(`{{ config(enabled=False) }} ${joins}`), ctx).ddl, []);
    assert.equal(extractFile('shop/models/z.sql', bytes(`{{ config(enabled=true) }} ${joins}`), ctx).ddl.length, 1);
    assert.deepEqual(extractFile('shop/seeds/old_codes.csv', bytes('code\n1\n'), ctx).ddl, []);
    assert.deepEqual(extractFile('shop/snapshots/s.sql', bytes('{% snapshot s %}{{ config(enabled=false) }} select 1 as id {% endsnapshot %}'), ctx).ddl, []);
  });

  it('keeps models in public when nothing configures a schema', () => {
    const ctx = contextFor('name: shop\n');
    assert.equal(relationOf('shop/models/a.sql', 'select 1 as id', ctx).schema, 'public');
  });

  it("follows schema.yml's config: over dbt_project.yml, config() in the model over both, the manifest over all", () => {
    const ctx = contextFor(PROJECT_YML);
    const model = (file: string, sql: string) => extractFile(`shop/models/${file}`, bytes(sql), ctx);
    const yaml = extractFile(
      'shop/models/_models.yml',
      bytes(`version: 2
models:
  - name: stg_orders
    config: { schema: orders_area, materialized: table }
  - name: stg_people
    config:
      schema: people_area
  - name: stg_items
    config:
      schema: "{{ env_var('ITEMS_SCHEMA') }}"
      materialized: incremental
seeds:
  - name: status_codes
    config: { schema: lookups }
`),
      ctx,
    );
    const files = [
      model('staging/stg_orders.sql', 'select 1 as id'), // +schema staging, +materialized view in dbt_project.yml
      model('staging/stg_people.sql', "{{ config(schema='people_own', materialized='ephemeral') }}\nselect 1 as id"),
      model('staging/stg_items.sql', 'select 1 as id'),
      extractFile('shop/seeds/status_codes.csv', bytes('code,label\n1,new\n'), ctx),
      yaml,
    ];
    const where = (files: ReturnType<typeof extractFile>[]) =>
      buildCatalog(files).tables.map((t) => `${t.schema}.${t.name}:${t.dbt?.materialized ?? ''}`).sort();
    assert.deepEqual(where(files), [
      'lookups.status_codes:', // the seed's +schema is reference
      'orders_area.stg_orders:table',
      'people_own.stg_people:ephemeral',
      'staging.stg_items:incremental', // a Jinja schema is left to dbt; the materialization applies
    ]);
    const manifest = extractDbtArtifact(
      'shop/target/manifest.json',
      JSON.stringify({ nodes: { 'model.shop.stg_orders': { resource_type: 'model', name: 'stg_orders', schema: 'dbt_ci_orders', alias: 'stg_orders', columns: {} } } }),
    );
    assert.ok(where([...files, manifest]).includes('dbt_ci_orders.stg_orders:table'), 'where dbt built it');
  });

  it('moves a model to the schema target/manifest.json says dbt built it in', () => {
    const ctx = contextFor(PROJECT_YML);
    const model = extractFile('shop/models/staging/stg_orders.sql', bytes('select 1 as id'), ctx);
    const manifest = extractDbtArtifact(
      'shop/target/manifest.json',
      JSON.stringify({ nodes: { 'model.shop.stg_orders': { resource_type: 'model', name: 'stg_orders', schema: 'analytics_staging', alias: 'stg_orders', columns: { id: { name: 'id', data_type: 'integer' } } } } }),
    );
    const cat = buildCatalog([model, manifest]);
    assert.deepEqual(cat.tables.map((t) => `${t.schema}.${t.name}`), ['analytics_staging.stg_orders']);
    assert.equal(cat.tables[0]!.columns[0]!.dataType, 'integer');
  });
});

describe('dbt model versions', () => {
  const ctx = contextFor('name: shop\n');
  const model = (file: string, sql: string) => extractFile(`shop/models/${file}`, bytes(sql), ctx);
  const yaml = extractFile(
    'shop/models/_versions.yml',
    bytes(`version: 2
models:
  - name: dim_customers
    latest_version: 2
    description: Customers
    config: { schema: customer_area }
    columns:
      - name: customer_id
        data_tests: [unique]
    versions:
      - v: 1
        config: { alias: customers_legacy }
      - v: 2
      - v: 3
  - name: dim_accounts
    versions:
      - v: 7
        defined_in: dim_accounts
`),
    ctx,
  );
  const files = [
    model('dim_customers_v1.sql', 'select 1::int as customer_id'),
    model('dim_customers_v2.sql', "select 1::bigint as customer_id, 'gold'::varchar(10) as tier"),
    model('dim_customers_v3.sql', 'select 1::bigint as customer_id, 2 as pre_release'),
    model('dim_accounts.sql', 'select 1::smallint as account_id'),
    model(
      'uses.sql',
      "select c.customer_id, c.tier, l.customer_id as legacy_id, a.account_id from {{ ref('dim_customers') }} c join {{ ref('dim_customers', v=1) }} l on l.customer_id = c.customer_id join {{ ref('dim_accounts', version=7) }} a on a.account_id = c.customer_id",
    ),
    yaml,
  ];

  it('makes each version a relation of its own, named and placed as dbt does, with the model description and tests', () => {
    const catalog = buildCatalog(files);
    const versions = catalog.tables.filter((t) => t.dbt?.version).map((t) => `${t.schema}.${t.name} ${t.dbt?.uniqueId} latest=${t.dbt?.version?.latest}`);
    assert.deepEqual(versions.sort(), [
      'customer_area.customers_legacy model.shop.dim_customers.v1 latest=false',
      'customer_area.dim_customers_v2 model.shop.dim_customers.v2 latest=true',
      'customer_area.dim_customers_v3 model.shop.dim_customers.v3 latest=false',
      'public.dim_accounts_v7 model.shop.dim_accounts.v7 latest=true',
    ]);
    assert.ok(!catalog.tables.some((t) => t.name === 'dim_customers' || t.name === 'dim_customers_v1'), 'no relation under the bare model or file name');
    const v2 = catalog.tables.find((t) => t.name === 'dim_customers_v2')!;
    assert.equal(v2.comment, 'Customers');
    assert.deepEqual(v2.tests?.map((t) => `${t.name}:${t.column}`), ['unique:customer_id']);
  });

  it('resolves ref() to the latest version, and ref(v=…) / ref(version=…) to that one', () => {
    const catalog = buildCatalog(files);
    const uses = catalog.tables.find((t) => t.name === 'uses')!;
    assert.deepEqual(uses.columns.map((c) => `${c.name}:${c.typeFrom ?? '?'}`), [
      'customer_id:customer_area.dim_customers_v2.customer_id',
      'tier:customer_area.dim_customers_v2.tier',
      'legacy_id:customer_area.customers_legacy.customer_id',
      'account_id:public.dim_accounts_v7.account_id',
    ]);
    const index = new CatalogIndex(catalog);
    const refs = files[4]!.tableRefs.map((r) => index.resolveRef(r).table?.name);
    assert.deepEqual(refs, ['dim_customers_v2', 'customers_legacy', 'dim_accounts_v7']);
  });
});
