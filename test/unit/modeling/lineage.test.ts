import * as assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { lineagePairs } from '../../../src/core/modeling/lineage';
import { extractDbtModel, extractSql } from '../../../src/core/workspace/sqlExtractor';

describe('dbt lineage in join inference', () => {
  const ddl = extractSql('raw.sql', `
    CREATE TABLE raw.customers (customer_id INTEGER NOT NULL, email VARCHAR(200), PRIMARY KEY (customer_id));
    CREATE TABLE raw.orderinfo (order_id INTEGER NOT NULL, customer_id INTEGER, PRIMARY KEY (order_id));`);
  // The raw table's name does not say "orders", so by names alone its order_id looks like a reference to stg_orders.
  const stg = extractDbtModel('models/stg_orders.sql', "select order_id, customer_id from {{ source('raw', 'orderinfo') }}");
  const facts = [ddl, stg];
  const catalog = buildCatalog(facts);

  it('records a model and the relation it selects from as lineage', () => {
    const pairs = lineagePairs(facts, catalog);
    const model = catalog.tables.find((t) => t.name === 'stg_orders');
    assert.ok(model, 'the dbt model is not in the catalog');
    assert.ok(pairs.has(`${model.schema}.stg_orders|raw.orderinfo`), [...pairs].join(', '));
  });

  it('drops passthrough name matches between a model and its upstream, and keeps real joins', () => {
    const without = inferJoins(catalog, {});
    const withLineage = inferJoins(catalog, { lineage: lineagePairs(facts, catalog) });
    const passthrough = (ps: typeof without) => ps.filter((p) => [p.from.table, p.to.table].sort().join() === 'orderinfo,stg_orders');
    assert.ok(passthrough(without).length > 0, 'the fixture should produce a passthrough candidate without lineage');
    assert.equal(passthrough(withLineage).length, 0);
    assert.ok(withLineage.some((p) => p.from.table === 'orderinfo' && p.to.table === 'customers'), 'orderinfo → customers was lost');
  });
});
