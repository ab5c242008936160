import { strict as assert } from 'node:assert';
import { toDbtRelationshipTests, dbtTestEntry } from '../../../src/core/modeling/dbtRelationships';
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

  it('turns single-column proposals into dbt relationships tests with relationship_type', () => {
    const tests = toDbtRelationshipTests(proposals);
    assert.deepEqual(tests.map((t) => [t.model, t.column, t.to, t.field, t.relationshipType]), [['orders', 'customer_id', "ref('customers')", 'customer_id', 'many-to-one']]);
    assert.deepEqual(dbtTestEntry(tests[0]!), { relationships: { arguments: { to: "ref('customers')", field: 'customer_id' }, config: { meta: { relationship_type: 'many-to-one' } } } });
  });
});
