import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ProposalsProvider } from '../../src/vscode/modeling/proposalsView';
import type { JoinProposal } from '../../src/core/modeling/types';
import { activateQuarry } from './helpers';

function isTrap(p: JoinProposal): boolean {
  return p.from.table === 'orderinfo' && p.fromColumns.join() === 'product_id' && p.to.table === 'skuinfo' && p.toColumns.join() === 'sku_id';
}

describe('Join proposals on samples/warehouse', () => {
  it('proposes orderinfo.product_id → skuinfo.sku_id with its evidence, and verifies it as many-to-one on the embedded engine', async () => {
    const api = await activateQuarry();
    const proposals = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'sales', name: 'orderinfo' });
    const trap = proposals.find(isTrap);
    assert.ok(trap, `not proposed; got ${proposals.map((p) => p.id).join(', ')}`);
    const queryEvidence = trap.evidence.filter((e) => e.kind === 'query-join');
    assert.ok(queryEvidence.length > 0, `no query-join evidence: ${trap.evidence.map((e) => e.kind).join(', ')}`);
    assert.ok(queryEvidence.some((e) => e.file?.startsWith('queries/') && (e.line ?? 0) > 0), 'evidence lacks file:line');
    assert.match(trap.joinSql, /JOIN/i);
    assert.match(trap.cardinalitySql, /count/i);

    const verified = await vscode.commands.executeCommand<JoinProposal>('quarry.verifyJoin', trap);
    assert.ok(verified?.verification, 'no verification result');
    assert.equal(verified.cardinality, 'many-to-one');
    assert.equal(verified.cardinalitySource, 'measured');
    assert.equal(verified.verification.counts.orphanRows, 0);
    assert.equal(verified.verification.counts.fromNulls, 3, 'the sample data has 3 orders without a product');
    const shown = api.container.joins.proposals.find(isTrap);
    assert.ok(shown?.verification, 'the view model was not updated');
    // the view shows the measured reading once (its evidence holds it too, as the score's reason)
    const view = new ProposalsProvider(api.container.joins, () => undefined);
    try {
      const children = view.getChildren({ type: 'proposal', proposal: shown });
      const readings = children.filter((n) => n.type === 'reading' || (n.type === 'evidence' && n.evidence.detail === shown.verification!.reading));
      assert.equal(readings.length, 1, JSON.stringify(children.map((n) => n.type)));
    } finally {
      view.dispose();
    }
  });

  it('proposes the declared foreign key shipments.order_id → orderinfo.order_id as declared', async () => {
    const proposals = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'sales', name: 'shipments' });
    const fk = proposals.find((p) => p.from.table === 'shipments' && p.to.table === 'orderinfo');
    assert.ok(fk);
    assert.ok(fk.evidence.some((e) => e.kind === 'declared-fk'));
  });

  it('proposes what application code declares and joins: SQLAlchemy and JPA foreign keys, a Laravel migration, a query-builder join', async () => {
    const fromSkus = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'sales', name: 'skuinfo' });
    const declared = fromSkus.find((p) => p.from.table === 'skuinfo' && p.fromColumns.join() === 'vendor_id' && p.to.table === 'vendors');
    assert.ok(declared, `not proposed; got ${fromSkus.map((p) => p.id).join(', ')}`);
    const orm = declared.evidence.find((e) => e.kind === 'orm-relationship');
    assert.ok(orm, `no ORM evidence: ${declared.evidence.map((e) => e.kind).join(', ')}`);
    assert.equal(orm.file, 'app/python/catalog_models.py');
    assert.equal(declared.cardinalitySource, 'declared');
    const fromOrders = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'sales', name: 'orderinfo' });
    const built = fromOrders.find((p) => p.from.table === 'orderinfo' && p.fromColumns.join() === 'vendor_id' && p.to.table === 'vendors');
    assert.ok(built?.evidence.some((e) => e.kind === 'query-join' && e.file === 'app/php/VendorPayouts.php' && /query builder/.test(e.detail)), 'the Laravel join is not in the evidence');
    // the JPA entity names its target class; the table comes from that class's @Table, in another file
    const jpa = fromOrders.find((p) => p.from.table === 'orderinfo' && p.fromColumns.join() === 'customer_id' && p.to.table === 'customers');
    assert.ok(jpa?.evidence.some((e) => e.kind === 'orm-relationship' && e.file === 'app/java/OrderRecord.java'), 'the JPA relationship is not in the evidence');
    // the shop's Laravel migration declares the key whose names differ (product_id → sku_id)
    const migrated = fromOrders.find((p) => p.from.table === 'orderinfo' && p.fromColumns.join() === 'product_id' && p.to.table === 'skuinfo');
    assert.ok(
      migrated?.evidence.some((e) => e.kind === 'orm-relationship' && e.file === 'app/php/migrations/2019_03_14_000000_create_orderinfo_table.php' && /schema migration foreign key/.test(e.detail)),
      'the migration key is not in the evidence',
    );
    // the marts' dbt semantic models declare how the semantic layer joins them
    const fromFacts = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'marts', name: 'fct_order_lines' });
    const semantic = fromFacts.find((p) => p.from.table === 'fct_order_lines' && p.fromColumns.join() === 'sku_id' && p.to.table === 'dim_products');
    assert.ok(semantic?.evidence.some((e) => e.kind === 'dbt-semantic' && e.file === 'dbt/models/marts/semantic_models.yml'), `no semantic model evidence: ${fromFacts.map((p) => p.id).join(', ')}`);
    assert.equal(semantic?.cardinality, 'many-to-one');
    assert.equal(semantic?.cardinalitySource, 'declared');
  });

  it('verifies a join between two dbt models on the embedded engine (models are built as views)', async () => {
    const proposals = await vscode.commands.executeCommand<JoinProposal[]>('quarry.proposeJoins', { schema: 'staging', name: 'stg_orders' });
    const p = proposals.find((x) => x.from.table === 'stg_orders' && x.fromColumns.join() === 'sku_id' && x.to.table === 'stg_skus');
    assert.ok(p, `not proposed; got ${proposals.map((x) => x.id).join(', ')}`);
    assert.ok(p.evidence.some((e) => e.kind === 'dbt-relationships'), 'the schema.yml relationships test is not in the evidence');
    const verified = await vscode.commands.executeCommand<JoinProposal>('quarry.verifyJoin', p);
    assert.ok(verified?.verification, 'no verification result');
    assert.equal(verified.verification.counts.orphanRows, 0);
    assert.equal(verified.cardinality, 'many-to-one');
  });
});
