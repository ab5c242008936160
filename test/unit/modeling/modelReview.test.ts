import { strict as assert } from 'node:assert';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { relationshipsProperties, toDbtRelationshipTests, dbtTestEntry } from '../../../src/core/modeling/dbtRelationships';
import { parseDbtTarget } from '../../../src/core/modeling/workspaceEvidence';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractSeed } from '../../../src/core/workspace/seedExtractor';
import { extractDbtModel, extractSql } from '../../../src/core/workspace/sqlExtractor';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { MODEL_ONLY_MAX_SCORE, mergeModelReview, validateModelProposals } from '../../../src/core/modeling/modelReview';
import { catalogFromDdl } from './devset';

describe('modeling/model seam and dbt tests', () => {
  const cat = catalogFromDdl(`
    CREATE TABLE customers (customer_id int PRIMARY KEY, region text);
    CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int, ship_via int);
    CREATE TABLE shippers (shipper_id int PRIMARY KEY);`, 'm.sql');
  const proposals = inferJoins(cat);
  const ids = new Set(proposals.map((p) => p.id));

  it('drops claims naming tables or columns the catalog lacks, keeps valid ones', () => {
    const out = validateModelProposals(cat, {
      ranked: [{ id: proposals[0]!.id, confidence: 0.9, explanation: 'orders belong to customers' }, { id: 'made-up', confidence: 1 }],
      added: [
        { from: 'orders.ship_via', to: 'shippers.shipper_id', confidence: 0.8, explanation: 'ship_via holds a shipper id' },
        { from: 'orders.carrier_id', to: 'shippers.shipper_id' },
        { from: 'public.invoices.order_id', to: 'orders.order_id' },
        { from: 42, to: 'x' },
      ],
    }, ids);
    assert.equal(out.ranked.length, 1);
    assert.equal(out.added.length, 1);
    assert.equal(out.dropped.length, 4);
    assert.ok(out.dropped.some((d) => /carrier_id/.test(d.reason)));
    assert.ok(out.dropped.some((d) => /invoices/.test(d.reason)));
  });

  it('marks model-only proposals and caps their score; explains reranked ones', () => {
    const review = validateModelProposals(cat, {
      ranked: [{ id: proposals[0]!.id, confidence: 1, explanation: 'orders belong to customers' }],
      added: [{ from: 'orders.ship_via', to: 'shippers.shipper_id', confidence: 1 }],
    }, ids);
    const merged = mergeModelReview(proposals, review);
    const added = merged.find((p) => p.fromColumns[0] === 'ship_via')!;
    assert.equal(added.source, 'model-only');
    assert.ok(added.score <= MODEL_ONLY_MAX_SCORE);
    assert.deepEqual(added.evidence.map((e) => e.kind), ['model']);
    const reranked = merged.find((p) => p.id === proposals[0]!.id)!;
    assert.equal(reranked.explanation, 'orders belong to customers');
    assert.ok(reranked.score >= proposals[0]!.score);
    assert.equal(reranked.source, 'evidence');
  });

  it('rejects non-object model output', () => {
    assert.equal(validateModelProposals(cat, 'nope').dropped.length, 1);
  });

  it('turns single-column proposals between dbt resources into relationships tests, each under its section and dbt name', () => {
    const files = [
      extractDbtModel('models/stg_orders.sql', "{{ config(alias='orders_stg') }} select 1 as order_id, 1 as customer_id, 1 as sku, 1 as store_id from {{ source('shop', 'raw_orders') }}", { project: 'p' }),
      extractDbtModel('models/dim_customers.sql', 'select 1 as customer_id', { project: 'p' }),
      extractSeed('seeds/skus.csv', 'sku,label\n1,a\n', { dbtSeed: { project: 'p' } }),
      extractDbtYaml('models/src.yml', ['sources:', '  - name: shop', '    tables:', '      - name: raw_orders', '        identifier: orders_raw', '        columns: [{ name: order_id }, { name: customer_id }]', 'models:', '  - name: dim_customers', '    columns:', '      - name: customer_id', '        data_tests: [unique]'].join('\n'), { project: 'p' }),
      extractSql('ddl/stores.sql', 'create table ops.stores (store_id int primary key);'),
    ];
    const catalog = buildCatalog(files);
    const index = new CatalogIndex(catalog);
    const found = inferJoins(catalog, { sources: { names: true } });
    const out = toDbtRelationshipTests(found, (r) => index.get(r.schema, r.table));
    const written = out.tests.map((t) => `${t.host.section}:${t.host.source ? `${t.host.source}.` : ''}${t.host.name}.${t.column} -> ${t.to}.${t.field}`).sort();
    assert.ok(written.includes("models:stg_orders.customer_id -> ref('dim_customers').customer_id"), written.join('\n'));
    assert.ok(written.includes("models:stg_orders.order_id -> source('shop', 'raw_orders').order_id"), written.join('\n'));
    assert.ok(written.includes("sources:shop.raw_orders.customer_id -> ref('dim_customers').customer_id"), written.join('\n'));
    assert.ok(!written.some((w) => w.includes('stores')), 'a warehouse table no source declares is no dbt resource');
    assert.ok(out.outsideDbt >= 1);
    const doc = relationshipsProperties(out.tests) as { models: Array<{ name: string }>; sources: Array<{ name: string; tables: Array<{ name: string }> }> };
    assert.deepEqual(doc.sources.map((s) => `${s.name}:${s.tables.map((t) => t.name).join()}`), ['shop:raw_orders']);
    assert.ok(doc.models.every((m) => m.name !== 'orders_stg'), 'named as dbt names the model, not by its alias');
    const first = out.tests.find((t) => t.host.name === 'stg_orders' && t.column === 'customer_id')!;
    assert.deepEqual(dbtTestEntry(first), { relationships: { arguments: { to: "ref('dim_customers')", field: 'customer_id' }, config: { meta: { relationship_type: first.relationshipType } } } });
    // what the project already tests is left out
    const tested = buildCatalog([...files, extractDbtYaml('models/more.yml', ['models:', '  - name: stg_orders', '    columns:', '      - name: customer_id', "        data_tests: [{ relationships: { to: ref('dim_customers'), field: customer_id } }]"].join('\n'), { project: 'p' })]);
    const testedIndex = new CatalogIndex(tested);
    const again = toDbtRelationshipTests(inferJoins(tested), (r) => testedIndex.get(r.schema, r.table), (to) => {
      const q = parseDbtTarget(to);
      return q && testedIndex.resolveRef(q).table;
    });
    assert.ok(!again.tests.some((t) => t.host.name === 'stg_orders' && t.column === 'customer_id' && t.to === "ref('dim_customers')"));
    assert.ok(again.alreadyTested >= 1);
  });
});
