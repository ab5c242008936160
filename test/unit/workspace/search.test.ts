import assert from 'node:assert/strict';
import { SearchIndex, searchTerms } from '../../../src/core/workspace/search';

describe('SearchIndex (BM25)', () => {
  it('splits snake_case and camelCase and keeps whole identifiers', () => {
    const t = searchTerms('customer_id orderTotal HTTPServer');
    for (const x of ['customer_id', 'customer', 'id', 'ordertotal', 'order', 'total', 'httpserver', 'http', 'server']) assert.ok(t.includes(x), x);
  });

  it('ranks the passage with rarer, more frequent terms first and reports its lines', () => {
    const ix = new SearchIndex({ windowLines: 5, overlapLines: 1 });
    const filler = (n: number): string => Array.from({ length: n }, (_, i) => `select col_${i} from some_table`).join('\n');
    ix.addDocument('a.sql', `${filler(10)}\nselect vendor_id from purchasing.vendors\njoin invoices on invoices.vendor_id = vendors.vendor_id\n${filler(3)}`);
    ix.addDocument('b.sql', `${filler(4)}\nselect vendorId from vendors`);
    ix.addDocument('c.py', filler(8));
    const hits = ix.search('vendor_id invoices');
    assert.equal(hits[0]!.file, 'a.sql');
    assert.ok(hits[0]!.startLine <= 11 && hits[0]!.endLine >= 12, `${hits[0]!.startLine}-${hits[0]!.endLine}`);
    assert.ok(hits.some((h) => h.file === 'b.sql'), 'camelCase vendorId matches through its parts');
    assert.ok(!hits.some((h) => h.file === 'c.py'));
    assert.ok(hits.every((h, i) => i === 0 || hits[i - 1]!.score >= h.score));
  });

  it("ranks a question by its content words, not by 'which' and 'were'", () => {
    const idx = new SearchIndex();
    idx.addDocument('q/07_carrier_ops_snapshot.sql', '-- which carriers were used, and which depots were busy\nselect carrier_id, depot from ops.shipments');
    idx.addDocument('q/02_late_shipments.sql', '-- orders delivered late\nselect order_id from sales.orders o join ops.shipments s on s.order_id = o.order_id where s.delivered_at > s.promised_at');
    const hits = idx.search('which orders were delivered late');
    assert.equal(hits[0]!.file, 'q/02_late_shipments.sql');
    assert.ok(!hits.some((h) => h.terms.includes('which') || h.terms.includes('were')));
  });

  it('adds and removes files incrementally', () => {
    const ix = new SearchIndex();
    ix.addDocument('x.sql', 'select * from shipments');
    assert.equal(ix.search('shipments').length, 1);
    ix.addDocument('x.sql', 'select * from orders');
    assert.equal(ix.search('shipments').length, 0);
    ix.removeDocument('x.sql');
    assert.equal(ix.search('orders').length, 0);
    assert.equal(ix.passageCount, 0);
  });
});
