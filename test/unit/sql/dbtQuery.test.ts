import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { compileDbtQuery, holdsJinja } from '../../../src/core/sql/dbtQuery';
import { danglingDbtRelations } from '../../../src/core/sql/dbtRefCheck';
import type { ExtractContext } from '../../../src/core/workspace/classify';
import { extractDbtProject } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A jaffle_shop-like project: models in their configured schema, a source with its own schema. */
function shop(): CatalogIndex {
  const info = extractDbtProject('shop/dbt_project.yml', "name: shop\nmodels:\n  shop:\n    marts:\n      +schema: marts\n").dbtProject!;
  const ctx: ExtractContext = { dbtProjects: [{ root: 'shop', name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, modelConfigs: info.modelConfigs, seedConfigs: info.seedConfigs }] };
  const files = [
    ['shop/models/staging/stg_orders.sql', "select id as order_id, user_id as customer_id from {{ source('jaffle_shop', 'orders') }}"],
    ['shop/models/marts/customers.sql', "select customer_id, count(*) as orders from {{ ref('stg_orders') }} group by 1"],
    ['shop/models/staging/sources.yml', 'version: 2\nsources:\n  - name: jaffle_shop\n    schema: raw_shop\n    tables:\n      - name: orders\n'],
  ];
  return new CatalogIndex(buildCatalog(files.map(([p, t]) => extractFile(p!, bytes(t!), ctx))));
}

describe('dbt Jinja in a query to run', () => {
  it('compiles ref() and source() to the relations the catalog places them at', () => {
    const index = shop();
    const sql = "select c.customer_id, o.order_id\nfrom {{ ref('customers') }} c\njoin {{ source('jaffle_shop', 'orders') }} o on o.user_id = c.customer_id";
    assert.ok(holdsJinja(sql));
    const compiled = compileDbtQuery(sql, index);
    assert.ok('sql' in compiled, 'error' in compiled ? compiled.error : '');
    assert.equal(compiled.sql, 'select c.customer_id, o.order_id\nfrom marts.customers c\njoin raw_shop.orders o on o.user_id = c.customer_id');
  });

  it('compiles {{ this }} in a model to the model, and says what it cannot compile', () => {
    const index = shop();
    const model = index.snapshot.tables.find((t) => t.name === 'customers')!;
    const own = compileDbtQuery('select count(*) from {{ this }}', index, model);
    assert.deepEqual(own, { sql: 'select count(*) from marts.customers' });
    assert.match((compileDbtQuery('select * from {{ this }}', index) as { error: string }).error, /\{\{ this \}\} outside a model/);
    assert.match((compileDbtQuery("select {{ cents_to_dollars('amount') }} from {{ ref('customers') }}", index) as { error: string }).error, /unsupported Jinja: cents_to_dollars/);
    assert.match((compileDbtQuery("select * from {{ ref('nowhere') }}", index) as { error: string }).error, /ref\('nowhere'\) does not resolve/);
    assert.ok(!holdsJinja("select '{' as brace, a from t"));
  });

  it('finds the ref() and source() calls that name nothing the projects build or declare, where they are written', () => {
    const index = shop();
    const sql = "select *\nfrom {{ ref('customers') }} c\njoin {{ ref('stg_payments') }} p using (customer_id)\njoin {{ source('jaffle_shop', 'orders') }} o using (customer_id)\njoin {{ source('stripe', 'payments') }} s using (id)";
    const found = danglingDbtRelations(sql, index);
    assert.deepEqual(found.map((d) => [d.line, d.column, sql.slice(d.offset, d.end), d.message]), [
      [3, 6, "{{ ref('stg_payments') }}", "ref('stg_payments') names no model, seed or snapshot of the workspace's dbt projects"],
      [5, 6, "{{ source('stripe', 'payments') }}", "source('stripe', 'payments') names no source table of the workspace's dbt projects"],
    ]);
  });
});
