import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { SearchIndex, searchTerms, STOP_WORDS, type SearchHit, type SearchOptions } from '../../../src/core/workspace/search';
import { mulberry32 } from '../prng';
import { makeTree } from './helpers';

/**
 * The tokenizer as regular expressions (how it was first written): words, then each identifier's snake_case /
 * camelCase parts when it has more than one.
 */
function referenceTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_$]*|\d+/g)) {
    const word = m[0];
    const whole = word.toLowerCase();
    if (whole.length < 2 && !/\d/.test(whole)) continue;
    if (!STOP_WORDS.has(whole)) out.push(whole);
    const parts = word
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .split(/[_$]+/)
      .filter(Boolean)
      .map((p) => p.toLowerCase());
    if (parts.length > 1) for (const p of parts) if (p.length >= 2 && !STOP_WORDS.has(p)) out.push(p);
  }
  return out;
}

/** BM25 over overlapping windows the plain way: a term map per window, everything recomputed per search. */
class ReferenceIndex {
  readonly docs = new Map<string, string>();
  constructor(private readonly options: SearchOptions = {}) {}

  search(query: string, limit = 20): SearchHit[] {
    const W = this.options.windowLines ?? 40;
    const step = W - (this.options.overlapLines ?? 10);
    const chunks: Array<{ file: string; startLine: number; endLine: number; length: number; tf: Map<string, number> }> = [];
    for (const [file, text] of this.docs) {
      const lines = text.split(/\r?\n/);
      for (let start = 0; start < lines.length; start += step) {
        const end = Math.min(lines.length, start + W);
        const tf = new Map<string, number>();
        let length = 0;
        for (const t of referenceTerms(lines.slice(start, end).join('\n'))) {
          tf.set(t, (tf.get(t) ?? 0) + 1);
          length++;
        }
        if (length) chunks.push({ file, startLine: start + 1, endLine: end, length, tf });
        if (end >= lines.length) break;
      }
    }
    const terms = [...new Set(referenceTerms(query))];
    if (!terms.length || !chunks.length) return [];
    const avg = chunks.reduce((n, c) => n + c.length, 0) / chunks.length;
    const scored = new Map<(typeof chunks)[number], { score: number; terms: string[] }>();
    for (const t of terms) {
      const df = chunks.filter((c) => c.tf.has(t)).length;
      if (!df) continue;
      const idf = Math.log(1 + (chunks.length - df + 0.5) / (df + 0.5));
      for (const c of chunks) {
        const tf = c.tf.get(t);
        if (!tf) continue;
        const s = (idf * tf * (1.2 + 1)) / (tf + 1.2 * (1 - 0.75 + (0.75 * c.length) / avg));
        const acc = scored.get(c) ?? { score: 0, terms: [] };
        acc.score += s;
        acc.terms.push(t);
        scored.set(c, acc);
      }
    }
    const ranked = [...scored].sort(([a, x], [b, y]) => y.score - x.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine));
    const hits: SearchHit[] = [];
    for (const [c, s] of ranked) {
      if (hits.some((h) => h.file === c.file && h.startLine <= c.endLine && c.startLine <= h.endLine)) continue;
      hits.push({ file: c.file, startLine: c.startLine, endLine: c.endLine, score: s.score, terms: s.terms });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}

const VOCAB = ['customer_id', 'orderTotal', 'HTTPServer', 'vendor', 'invoices', 'shipment', 'carrier', 'depot', 'is_active', 'the_order',
  'paymentStatusCode', 'region', 'sku', 'reconciled', 'note', 'ticket', 'XMLHttpRequest', 'late', 'delivered', 'customerId', 'id',
  'ordertotal', 'order_total', 'ORDER_TOTAL', 'Customer_Id', 'customerid'];
const QUERY_WORDS = [...VOCAB, 'which', 'were', 'select', 'from', 'customer', 'order', 'total', 'http', 'server', 'active', 'payment', 'status',
  'unknownword', '42', 'xml', 'request'];

function randomText(r: () => number, maxLines: number): string {
  const lines: string[] = [];
  const n = Math.floor(r() * maxLines);
  for (let i = 0; i < n; i++) {
    const words = Math.floor(r() * 7);
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(r() < 0.1 ? String(Math.floor(r() * 100)) : VOCAB[Math.floor(r() * VOCAB.length)]!);
    lines.push(r() < 0.1 ? `-- ${parts.join(' ')}` : `select ${parts.join(', ')} from t`);
  }
  return lines.join(r() < 0.2 ? '\r\n' : '\n') + (r() < 0.5 ? '\n' : '');
}

function randomQuery(r: () => number): string {
  const n = 1 + Math.floor(r() * 4);
  return Array.from({ length: n }, () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)]!).join(' ');
}

describe('SearchIndex (BM25)', () => {
  it('splits snake_case and camelCase and keeps whole identifiers', () => {
    const t = searchTerms('customer_id orderTotal HTTPServer');
    for (const x of ['customer_id', 'customer', 'id', 'ordertotal', 'order', 'total', 'httpserver', 'http', 'server']) assert.ok(t.includes(x), x);
  });

  it('indexes the content part of an identifier whose other part is a stop word or a single letter', () => {
    assert.deepEqual(searchTerms('is_active the_order customer_a'), ['is_active', 'active', 'the_order', 'order', 'customer_a', 'customer']);
    assert.deepEqual(searchTerms('_id id_ x_1 $name a'), ['_id', 'id_', 'x_1', 'name']);
  });

  it('splits a word by its own case, whichever spelling of its term came first', () => {
    assert.deepEqual(searchTerms('ordertotal orderTotal ordertotal Order_Total'), ['ordertotal', 'ordertotal', 'order', 'total', 'ordertotal', 'order_total', 'order', 'total']);
    const ix = new SearchIndex();
    ix.addDocument('a.sql', 'select ordertotal from t');
    ix.addDocument('b.sql', 'select orderTotal from t');
    ix.addDocument('c.sql', 'select ordertotal, order_total from t');
    assert.deepEqual(ix.search('total').map((h) => h.file), ['b.sql', 'c.sql']);
    // a query's word, whose part `ordertotal` no file holds yet, does not decide the parts of files added later
    const later = new SearchIndex();
    later.addDocument('d.sql', 'select OrderTotal_amt from t');
    assert.deepEqual(later.search('ordertotal_amt').map((h) => h.file), ['d.sql']);
    later.addDocument('e.sql', 'select ordertotal_amt from t');
    assert.deepEqual(later.search('ordertotal').map((h) => h.file), ['e.sql']);
  });

  it('tokenizes as the regular expressions do, on random text with Unicode, digits, $ and CRLF', () => {
    const r = mulberry32(7);
    const alphabet = ['a', 'b', 'z', 'A', 'B', 'Z', 'x', 'Y', '0', '7', '_', '$', ' ', '\n', '\r\n', '.', '-', 'é', 'É', '€', '中', '😀', 'id', 'The', 'IS'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(r() * 30) }, () => alphabet[Math.floor(r() * alphabet.length)]!).join('');
      assert.deepEqual(searchTerms(text), referenceTerms(text), JSON.stringify(text));
    }
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

  it('scores with BM25 (k1 1.2, b 0.75) over passages', () => {
    const ix = new SearchIndex();
    ix.addDocument('d1.sql', 'alpha beta'); // 2 terms
    ix.addDocument('d2.sql', 'alpha alpha gamma'); // 3 terms; average length 2.5
    const [hit] = ix.search('beta');
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    assert.equal(hit!.file, 'd1.sql');
    assert.ok(Math.abs(hit!.score - (idf * 2.2) / (1 + 1.2 * (0.25 + (0.75 * 2) / 2.5))) < 1e-12, String(hit!.score));
    // alpha: in both passages (idf ln(1 + 0.5/2.5)), twice in d2 — d2 first despite being longer
    assert.deepEqual(ix.search('alpha').map((h) => h.file), ['d2.sql', 'd1.sql']);
    const idfAlpha = Math.log(1 + 0.5 / 2.5);
    assert.ok(Math.abs(ix.search('alpha')[0]!.score - (idfAlpha * 2 * 2.2) / (2 + 1.2 * (0.25 + (0.75 * 3) / 2.5))) < 1e-12);
  });

  it('ranks a small corpus in the expected order, with the query terms each passage holds', () => {
    const ix = new SearchIndex();
    ix.addDocument('late.sql', '-- shipments delivered late by carrier\nselect s.carrier_id, s.delivered_at from ops.shipments s where s.delivered_at > s.promised_at');
    ix.addDocument('carriers.sql', 'select carrier_id, carrier_name from ops.carriers');
    ix.addDocument('orders.sql', 'select order_id, customer_id from sales.orders');
    ix.addDocument('depots.sql', '-- depots\nselect depot_id from ops.depots');
    const hits = ix.search('which shipments were delivered late');
    assert.deepEqual(hits.map((h) => h.file), ['late.sql']);
    assert.deepEqual(hits[0]!.terms, ['shipments', 'delivered', 'late']);
    assert.deepEqual(ix.search('carrier').map((h) => h.file), ['carriers.sql', 'late.sql']);
    assert.deepEqual(ix.search('carrier depot customer').map((h) => [h.file, h.terms]), [
      ['depots.sql', ['depot']],
      ['orders.sql', ['customer']],
      ['carriers.sql', ['carrier']],
      ['late.sql', ['carrier']],
    ]);
  });

  it("ranks a question by its content words, not by 'which' and 'were'", () => {
    const idx = new SearchIndex();
    idx.addDocument('q/07_carrier_ops_snapshot.sql', '-- which carriers were used, and which depots were busy\nselect carrier_id, depot from ops.shipments');
    idx.addDocument('q/02_late_shipments.sql', '-- orders delivered late\nselect order_id from sales.orders o join ops.shipments s on s.order_id = o.order_id where s.delivered_at > s.promised_at');
    const hits = idx.search('which orders were delivered late');
    assert.equal(hits[0]!.file, 'q/02_late_shipments.sql');
    assert.ok(!hits.some((h) => h.terms.includes('which') || h.terms.includes('were')));
  });

  it('reports passage line ranges: 40-line windows every 30 lines, overlapping ones collapsed to the best', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `select w${i % 7} from t_${i % 5}`); // two terms a line
    lines[34] = 'select zebra from t_0'; // line 35: in passages 1-40 and 31-70
    lines[64] = 'select okapi from t_0'; // line 65: in 31-70 and 61-100
    lines[94] = 'select giraffe from t_0'; // line 95: only in 61-100
    const ix = new SearchIndex();
    ix.addDocument('zoo.sql', lines.join('\n'));
    assert.equal(ix.passageCount, 3);
    const range = (q: string): Array<[number, number]> => ix.search(q).map((h) => [h.startLine, h.endLine]);
    assert.deepEqual(range('zebra'), [[1, 40]], 'equal passages: the first');
    assert.deepEqual(range('okapi'), [[31, 70]]);
    assert.deepEqual(range('giraffe'), [[61, 100]]);
    assert.deepEqual(range('zebra giraffe'), [[61, 100], [1, 40]], 'giraffe is in fewer passages');
    // CRLF, a trailing newline, and a file shorter than a window
    const crlf = new SearchIndex({ windowLines: 5, overlapLines: 1 });
    crlf.addDocument('w.sql', ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'gnu', 'h8', 'i9', ''].join('\r\n'));
    crlf.addDocument('short.sql', 'select gnu from t\n');
    assert.deepEqual(crlf.search('gnu').map((h) => [h.file, h.startLine, h.endLine]), [['short.sql', 1, 2], ['w.sql', 5, 9]]);
    assert.equal(crlf.passageCount, 4); // w.sql: 1-5, 5-9, 9-10; short.sql: 1-2
  });

  it('breaks ties by file and line, whatever order the files were added in', () => {
    const a = new SearchIndex();
    const b = new SearchIndex();
    const files = ['m/b.sql', 'a.sql', 'z.sql', 'm/a.sql'];
    for (const f of files) a.addDocument(f, 'select payment_id from payments');
    for (const f of [...files].reverse()) b.addDocument(f, 'select payment_id from payments');
    assert.deepEqual(a.search('payment').map((h) => h.file), ['a.sql', 'm/a.sql', 'm/b.sql', 'z.sql']);
    assert.deepEqual(a.search('payment'), b.search('payment'));
  });

  it('reads bytes as the text they decode to: UTF-8, Latin-1, CRLF', () => {
    const text = '-- café crème\r\nselect naïve_col, customer_id from €uro_t\r\nwhere x = 1';
    const latin = text.replace('€', '¤');
    for (const [t, bytes] of [[text, Buffer.from(text, 'utf8')], [text, new TextEncoder().encode(text)], [latin, Buffer.from(latin, 'latin1')]] as const) {
      const fromText = new SearchIndex({ windowLines: 2, overlapLines: 0 });
      fromText.addDocument('f.sql', t);
      const fromBytes = new SearchIndex({ windowLines: 2, overlapLines: 0 });
      fromBytes.addDocument('f.sql', bytes);
      for (const q of ['caf', 'customer', 'col', 'uro_t', 'cr me', 'x 1', 'na ve']) {
        assert.ok(fromText.search(q).length > 0, q);
        assert.deepEqual(fromBytes.search(q), fromText.search(q), q);
      }
    }
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
    assert.equal(ix.has('x.sql'), false);
    ix.addDocument('empty.sql', '');
    assert.equal(ix.has('empty.sql'), true);
    assert.equal(ix.documentCount, 1);
    assert.equal(ix.passageCount, 0);
  });

  it('ranks as the plain BM25 over windows does, and incremental adds, replaces and removes equal a rebuild', () => {
    for (const [seed, options] of [[1, {}], [2, { windowLines: 7, overlapLines: 2 }], [3, { windowLines: 4, overlapLines: 0 }], [4, { windowLines: 3, overlapLines: 2 }]] as const) {
      const r = mulberry32(seed);
      const live = new SearchIndex(options);
      const reference = new ReferenceIndex(options);
      let compactions = 0;
      for (let op = 0; op < 400; op++) {
        const file = `f${Math.floor(r() * 40)}.${r() < 0.5 ? 'sql' : 'py'}`;
        if (r() < 0.3) {
          live.removeDocument(file);
          reference.docs.delete(file);
        } else {
          const text = randomText(r, 60);
          live.addDocument(file, r() < 0.5 ? text : Buffer.from(text));
          reference.docs.set(file, text);
        }
        if (op % 25 === 0) {
          const dead = live.stats.deadPostings;
          const q = randomQuery(r);
          assert.deepEqual(live.search(q, 15), reference.search(q, 15), `seed ${seed} op ${op}: ${q}`);
          if (live.stats.deadPostings < dead) compactions++;
        }
      }
      assert.ok(compactions > 0, 'a search compacted the dead postings');
      const rebuilt = new SearchIndex(options);
      for (const [file, text] of [...reference.docs].sort(() => r() - 0.5)) rebuilt.addDocument(file, text);
      assert.equal(live.passageCount, rebuilt.passageCount);
      assert.equal(live.documentCount, rebuilt.documentCount);
      for (let q = 0; q < 30; q++) {
        const query = randomQuery(r);
        const limit = 1 + Math.floor(r() * 20);
        const expected = reference.search(query, limit);
        assert.deepEqual(live.search(query, limit), expected, `seed ${seed}: ${query}`);
        assert.deepEqual(rebuilt.search(query, limit), expected, `seed ${seed} rebuilt: ${query}`);
      }
    }
  });

  it('compacts when removed files leave most postings dead, without a search', () => {
    const r = mulberry32(11);
    const ix = new SearchIndex({ windowLines: 5, overlapLines: 1 });
    const texts = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const text = `${randomText(r, 40)}\nselect unique_${i}_col from t_${i}`;
      texts.set(`f${i}.sql`, text);
      ix.addDocument(`f${i}.sql`, text);
    }
    const { postings, terms } = ix.stats;
    for (let i = 0; i < 290; i++) {
      ix.removeDocument(`f${i}.sql`);
      texts.delete(`f${i}.sql`);
    }
    assert.ok(ix.stats.deadPostings < postings / 2, `compacted: ${JSON.stringify(ix.stats)}`);
    assert.ok(ix.stats.terms < terms, 'terms only removed files held are dropped');
    const rebuilt = new SearchIndex({ windowLines: 5, overlapLines: 1 });
    for (const [f, t] of texts) rebuilt.addDocument(f, t);
    for (const q of ['customer', 'unique_295_col', 'unique_5_col', 'orderTotal vendor', 'payment status 42']) assert.deepEqual(ix.search(q, 50), rebuilt.search(q, 50), q);
    // and it keeps working after the compaction
    ix.addDocument('f5.sql', 'select unique_5_col from t_5');
    texts.set('f5.sql', 'select unique_5_col from t_5');
    assert.equal(ix.search('unique_5_col')[0]!.file, 'f5.sql');
    const again = new SearchIndex({ windowLines: 5, overlapLines: 1 });
    for (const [f, t] of texts) again.addDocument(f, t);
    assert.deepEqual(ix.search('unique_5_col col', 50), again.search('unique_5_col col', 50));
  });

  it('the workspace index drops a file from search when it turns binary, as a fresh build leaves it out', async () => {
    const tree = makeTree({ 'a.sql': 'select zebra_stripes from zoo', 'b.sql': 'select okapi from zoo' });
    try {
      const ix = new WorkspaceIndexer({ root: tree.root });
      await ix.indexAll();
      const search = await ix.searchIndex();
      assert.deepEqual(search.search('zebra_stripes').map((h) => h.file), ['a.sql']);
      writeFileSync(path.join(tree.root, 'a.sql'), Buffer.concat([Buffer.from('select zebra_stripes '), Buffer.from([0, 1, 2])]));
      await ix.update(['a.sql']);
      assert.deepEqual(search.search('zebra_stripes'), []);
      const fresh = new WorkspaceIndexer({ root: tree.root });
      await fresh.indexAll();
      assert.deepEqual((await fresh.searchIndex()).search('zebra_stripes'), []);
      tree.write('a.sql', 'select zebra_stripes, okapi from zoo');
      await ix.update(['a.sql']);
      assert.deepEqual(search.search('okapi zebra_stripes').map((h) => h.file), ['a.sql', 'b.sql']);
      await ix.dispose();
      await fresh.dispose();
    } finally {
      tree.cleanup();
    }
  });
});
