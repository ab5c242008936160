import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkspaceIndexer, type IndexSnapshot } from '../../../src/core/workspace/indexer';

const fixture = path.join(__dirname, '../../fixtures/workspace/mini');

function copyFixture(): { root: string; cache: string; cleanup(): void } {
  const base = mkdtempSync(path.join(tmpdir(), 'quarry-warm-'));
  const root = path.join(base, 'ws');
  cpSync(fixture, root, { recursive: true });
  return { root, cache: path.join(base, 'cache'), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Everything a snapshot exposes, minus what legitimately differs between runs (timings, cache counters). */
function observable(s: IndexSnapshot): unknown {
  const { durationMs, discoverMs, extractMs, catalogMs, parsed, fromCache, catalogFromCache, usedWorkers, ...stats } = s.stats;
  void [durationMs, discoverMs, extractMs, catalogMs, parsed, fromCache, catalogFromCache, usedWorkers];
  return { catalog: s.catalog, facts: s.facts, joins: s.joins, constants: s.constants, diagnostics: s.diagnostics, stats };
}

/** A cold index of the same folder without any cache: the reference a warm start must equal. */
async function coldReference(root: string): Promise<WorkspaceIndexer> {
  const ix = new WorkspaceIndexer({ root });
  await ix.indexAll();
  return ix;
}

describe('WorkspaceIndexer warm start with the persisted catalog', function () {
  this.timeout(60_000);

  it('loads the catalog from the cache and then behaves exactly like a cold index (snapshot, factsFor, update, remove, rename, search)', async () => {
    const ws = copyFixture();
    try {
      const first = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      assert.equal((await first.indexAll()).stats.catalogFromCache, false);
      await first.dispose();

      const warm = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const ws0 = await warm.indexAll();
      assert.equal(ws0.stats.parsed, 0);
      assert.equal(ws0.stats.catalogFromCache, true, 'nothing changed: the persisted catalog is used');
      const cold = await coldReference(ws.root);
      assert.deepEqual(observable(ws0), observable(cold.snapshot()));
      for (const f of ['ddl/002_orders.sql', 'app/orders.py', 'models/stg_orders.sql', 'missing.sql']) assert.deepEqual(warm.factsFor(f), cold.factsFor(f), f);

      // the same edits on both: the warm indexer re-applies relations from lazily loaded facts
      writeFileSync(path.join(ws.root, 'ddl/002_orders.sql'), 'CREATE TABLE sales.orders (order_id BIGINT, total NUMERIC(10,2));\nALTER TABLE sales.customers ADD COLUMN vip BOOLEAN;');
      writeFileSync(path.join(ws.root, 'ddl/020_more.sql'), 'CREATE TABLE sales.refunds (refund_id INT);');
      for (const ix of [warm, cold]) await ix.update(['ddl/002_orders.sql', 'ddl/020_more.sql']);
      assert.deepEqual(observable(warm.snapshot()), observable(cold.snapshot()), 'after update');
      assert.ok(warm.snapshot().catalog.tables.find((t) => t.name === 'customers')!.columns.some((c) => c.name === 'vip'));

      cpSync(path.join(ws.root, 'ddl/020_more.sql'), path.join(ws.root, 'ddl/021_moved.sql'));
      unlinkSync(path.join(ws.root, 'ddl/020_more.sql'));
      for (const ix of [warm, cold]) await ix.rename('ddl/020_more.sql', 'ddl/021_moved.sql');
      assert.deepEqual(observable(warm.snapshot()), observable(cold.snapshot()), 'after rename');

      unlinkSync(path.join(ws.root, 'ddl/001_customers.sql'));
      for (const ix of [warm, cold]) await ix.remove(['ddl/001_customers.sql']);
      assert.deepEqual(observable(warm.snapshot()), observable(cold.snapshot()), 'after remove');
      // and both equal a fresh index of the edited folder (the counts by kind and of columns kept up to date as they went)
      const fresh = await coldReference(ws.root);
      assert.deepEqual(observable(warm.snapshot()), observable(fresh.snapshot()), 'after the edits, as a fresh index');
      await fresh.dispose();
      assert.deepEqual(warm.factsFor('ddl/021_moved.sql'), cold.factsFor('ddl/021_moved.sql'));

      const [a, b] = [await warm.searchIndex(), await cold.searchIndex()];
      assert.deepEqual(a.search('customer_id'), b.search('customer_id'));
      await warm.dispose();
      await cold.dispose();

      // what the warm indexer saved after its edits is again a valid catalog for the next start
      const again = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const s3 = await again.indexAll();
      assert.equal(s3.stats.catalogFromCache, true);
      assert.deepEqual(observable(s3), observable((await coldReference(ws.root)).snapshot()));
    } finally {
      ws.cleanup();
    }
  });

  it('brings a persisted catalog up to date with files changed, added or deleted between runs', async () => {
    const ws = copyFixture();
    try {
      const first = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const before = await first.indexAll();
      await first.dispose();
      assert.deepEqual(before.catalog.tables.find((t) => t.name === 'orders')!.columns.map((c) => c.name).includes('shipped_at'), false);

      // touched but unchanged content: facts are the same, so the persisted catalog still stands
      const f = path.join(ws.root, 'ddl/002_orders.sql');
      utimesSync(f, new Date(), new Date(Date.now() + 5000));
      const touched = await new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache }).indexAll();
      assert.equal(touched.stats.catalogFromCache, true);

      writeFileSync(f, 'CREATE TABLE sales.orders (order_id BIGINT, shipped_at TIMESTAMP);');
      const warm = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const s = await warm.indexAll();
      assert.equal(s.stats.parsed, 1);
      assert.equal(s.stats.catalogFromCache, true, 'the persisted catalog, with the changed file applied again');
      assert.deepEqual(s.catalog.tables.find((t) => t.name === 'orders')!.columns.map((c) => c.name), ['order_id', 'shipped_at']);
      assert.deepEqual(observable(s), observable((await coldReference(ws.root)).snapshot()));
      await warm.dispose();

      // a deleted file and a new one; the catalog saved above already holds shipped_at
      unlinkSync(path.join(ws.root, 'ddl/001_customers.sql'));
      writeFileSync(path.join(ws.root, 'ddl/030_refunds.sql'), 'CREATE TABLE sales.refunds (refund_id BIGINT PRIMARY KEY, order_id BIGINT REFERENCES sales.orders (order_id));');
      const again = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const s2 = await again.indexAll();
      assert.equal(s2.stats.catalogFromCache, true);
      const customers = s2.catalog.tables.find((t) => t.schema === 'sales' && t.name === 'customers');
      assert.notEqual(customers?.comment, 'One row per customer', 'what the deleted file said is gone (003 and the dbt source still define the table)');
      assert.ok(s2.catalog.tables.some((t) => t.name === 'refunds'));
      assert.deepEqual(observable(s2), observable((await coldReference(ws.root)).snapshot()));
      // and it keeps updating like a cold index
      await again.update(['ddl/002_orders.sql']);
      assert.deepEqual(observable(again.snapshot()), observable((await coldReference(ws.root)).snapshot()));
      await again.dispose();
    } finally {
      ws.cleanup();
    }
  });
});
