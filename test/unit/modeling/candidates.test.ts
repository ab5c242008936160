import { strict as assert } from 'node:assert';
import type { CatalogSnapshot, TableDef } from '../../../src/core/catalog/model';
import { CandidateSet, EVIDENCE_LISTED_PER_KIND, type Candidate, hasHardEvidence, unlistedCount } from '../../../src/core/modeling/candidates';
import { buildColumnIndex } from '../../../src/core/modeling/columnIndex';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { scoreEvidence } from '../../../src/core/modeling/score';
import type { Evidence, EvidenceKind } from '../../../src/core/modeling/types';
import type { JoinPair } from '../../../src/core/sql/types';
import { mulberry32 } from '../prng';

const origin = { kind: 'ddl' as const, file: 'ddl.sql', line: 1 };
const table = (name: string, cols: string[]): TableDef => ({
  schema: 'public', name, kind: 'table', origin,
  columns: cols.map((c) => ({ name: c, dataType: 'bigint', origin })),
  constraints: [{ kind: 'primaryKey', columns: [cols[0]!], origin }],
});
const catalog: CatalogSnapshot = { tables: [table('customers', ['customer_id', 'name']), table('orders', ['order_id', 'customer_id'])], conflicts: [] };

/** What CandidateSet.add kept before: every distinct item (kind, detail, file, line), found by a scan of the list. */
function naiveAdd(list: Evidence[], e: Evidence): void {
  if (!list.some((x) => x.kind === e.kind && x.detail === e.detail && x.file === e.file && x.line === e.line)) list.push(e);
}

describe('modeling/candidates', () => {
  it('lists a join written at 40,000 sites a few times and counts the rest, with the score of the whole list', () => {
    const n = 40_000;
    const joins = Array.from({ length: n }, (_, i) => ({
      left: { table: { name: 'orders' }, column: 'customer_id' }, right: { table: { name: 'customers' }, column: 'customer_id' },
      clause: 'on', joinType: 'inner', origin: { kind: 'query', file: `queries/q${i}.sql`, line: 3 },
    }) as JoinPair);
    const [p] = inferJoins(catalog, { joins });
    assert.ok(p);
    const sites = p.evidence.filter((e) => e.kind === 'query-join');
    assert.ok(p.evidence.length <= EVIDENCE_LISTED_PER_KIND + 5, `${p.evidence.length} evidence items on one proposal`);
    const listed = sites.filter((e) => unlistedCount(e) === 0);
    const counted = sites.reduce((sum, e) => sum + unlistedCount(e), 0);
    assert.equal(listed.length + counted, n, 'every site is listed or counted');
    assert.deepEqual(listed.map((e) => e.file), Array.from({ length: listed.length }, (_, i) => `queries/q${i}.sql`), 'the first sites are listed');
    assert.equal(p.score, 1);
    assert.ok(JSON.stringify(p).length < 20_000, `${JSON.stringify(p).length} characters of JSON`);
  });

  it('still adds an item equal to another only once, also one pushed to the list directly', () => {
    const index = buildColumnIndex(catalog.tables);
    const [customers, orders] = index.tables;
    const set = new CandidateSet();
    const add = (e: Evidence) => set.add(orders!, [orders!.byName.get('customer_id')!], customers!, [customers!.byName.get('customer_id')!], e);
    const c = add({ kind: 'query-join', detail: 'x', file: 'a.sql', line: 1, weight: 0.8 });
    add({ kind: 'query-join', detail: 'x', file: 'a.sql', line: 1, weight: 0.8 });
    add({ kind: 'query-join', detail: 'x', file: 'a.sql', line: 2, weight: 0.8 });
    add({ kind: 'query-join', detail: 'x', line: 1, weight: 0.8 });
    add({ kind: 'query-join', detail: 'x', file: '', line: 1, weight: 0.8 });
    c.evidence.push({ kind: 'type-check', detail: 'compatible', weight: 0 });
    add({ kind: 'type-check', detail: 'compatible', weight: 0 });
    assert.deepEqual(c.evidence.map((e) => [e.file, e.line]), [['a.sql', 1], ['a.sql', 2], [undefined, 1], ['', 1], [undefined, undefined]]);
  });

  it('gives exactly the score, kinds and hard evidence of the whole list, for any order of any evidence (property)', () => {
    const index = buildColumnIndex(catalog.tables);
    const [customers, orders] = index.tables;
    const from = [orders!.byName.get('customer_id')!];
    const to = [customers!.byName.get('customer_id')!];
    const kinds: EvidenceKind[] = ['declared-fk', 'query-join', 'dbt-relationships', 'orm-relationship', 'name-match', 'type-check', 'target-key', 'data', 'model'];
    const weights = [0.8, 0.95, 0.97, 0.99, 0.999, 1, 0.5, 0.3, 0.05, 0, -0.1, -0.2, -0.8, -1];
    let capped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = mulberry32(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const set = new CandidateSet();
      const naive: Evidence[] = [];
      let cand: Candidate | undefined;
      const count = 1 + Math.floor(rnd() * 400);
      const hot = pick(kinds);
      for (let i = 0; i < count; i++) {
        const kind = rnd() < 0.7 ? hot : pick(kinds);
        const e: Evidence = { kind, detail: `d${Math.floor(rnd() * 50)}`, file: rnd() < 0.9 ? `f${Math.floor(rnd() * 200)}.sql` : undefined, line: Math.floor(rnd() * 3), weight: rnd() < 0.8 ? pick(weights) : rnd() * 2 - 1 };
        cand = set.add(orders!, from, customers!, to, e);
        naiveAdd(naive, e);
        if (rnd() < 0.02) {
          const direct: Evidence = { kind: pick(kinds), detail: `direct${i}`, weight: pick(weights) };
          cand.evidence.push(direct);
          naive.push(direct);
        }
      }
      const listed = cand!.evidence;
      assert.equal(scoreEvidence(listed), scoreEvidence(naive), `seed ${seed}: score`);
      assert.equal(hasHardEvidence(cand!), naive.some((e) => ['declared-fk', 'dbt-relationships', 'dbt-semantic', 'orm-relationship', 'query-join'].includes(e.kind)), `seed ${seed}: hard`);
      assert.deepEqual(new Set(listed.map((e) => e.kind)), new Set(naive.map((e) => e.kind)), `seed ${seed}: kinds`);
      const real = listed.filter((e) => unlistedCount(e) === 0);
      assert.deepEqual(real, naive.filter((e) => real.includes(e)), `seed ${seed}: listed items keep their order`);
      assert.equal(real.length + listed.reduce((n, e) => n + unlistedCount(e), 0), naive.length, `seed ${seed}: listed + counted`);
      if (real.length < naive.length) capped++;
    }
    assert.ok(capped >= 30, `only ${capped} of 300 lists were capped`);
  });
});
