import { strict as assert } from 'node:assert';
import type { Evidence, JoinProposal } from '../../../src/core/modeling/types';
import {
  EVIDENCE_TOOLTIP_PER_KIND, PROPOSALS_PAGE, ProposalTitles, boundedEvidence, moreEvidenceLabel, morePagesLabel, pageOf,
  proposalPicks, proposalTitle, proposalTooltip,
} from '../../../src/vscode/modeling/proposalsTree';

function proposal(schema: string, from: string, col: string, to: string, score = 0.9, evidence: Evidence[] = []): JoinProposal {
  return {
    id: `${schema}.${from}(${col})->${schema}.${to}(id)`, from: { schema, table: from }, fromColumns: [col], to: { schema, table: to }, toColumns: ['id'],
    direction: 'from-references-to', cardinality: 'many-to-one', cardinalitySource: 'inferred', score, evidence, source: 'evidence', joinSql: '', cardinalitySql: '',
  };
}

/** A proposal whose title reads are counted (each title reads fromColumns once). */
function counted(p: JoinProposal, reads: { n: number }): JoinProposal {
  const cols = p.fromColumns;
  return Object.defineProperty({ ...p }, 'fromColumns', { get: () => { reads.n++; return cols; }, enumerable: true });
}

const site = (i: number): Evidence => ({ kind: 'query-join', detail: `orders.customer_id = customers.id in q${i}.sql:3`, file: `q${i}.sql`, line: 3, weight: 0.8 });

describe('Join Proposals view model (no vscode)', () => {
  it('builds each title once for the labels of a whole list, not once per pair of proposals', () => {
    const reads = { n: 0 };
    const n = 2_000;
    // 1,000 tables, each in two schemas: every title is shared with one other proposal
    const list = Array.from({ length: n }, (_, i) => counted(proposal(i % 2 ? 'a' : 'b', `t${i >> 1}`, 'x_id', 'x'), reads));
    const titles = new ProposalTitles(list);
    const labels = list.map((p) => titles.label(p));
    assert.ok(reads.n <= 2 * n, `${reads.n} title reads for ${n} labels`);
    assert.equal(labels[0], 'b.t0.x_id → b.x.id');
    assert.equal(labels[1], 'a.t0.x_id → a.x.id');
  });

  it('qualifies a label with schemas only where another proposal of the list reads the same', () => {
    const a = proposal('sales', 'orders', 'customer_id', 'customers');
    const b = proposal('archive', 'orders', 'customer_id', 'customers');
    const c = proposal('sales', 'orders', 'region_id', 'regions');
    const titles = new ProposalTitles([a, b, c]);
    assert.deepEqual([a, b, c].map((p) => titles.label(p)), [
      'sales.orders.customer_id → sales.customers.id', 'archive.orders.customer_id → archive.customers.id', 'orders.region_id → regions.id',
    ]);
    assert.equal(new ProposalTitles([a, c]).label(a), proposalTitle(a));
  });

  it('lists the first evidence items of each kind and counts the rest, also those counted when the proposal was made', () => {
    const evidence: Evidence[] = [
      { kind: 'name-match', detail: 'customer_id names customers', weight: 0.6 },
      ...Array.from({ length: 40 }, (_, i) => site(i)),
      // what CandidateSet.add writes for the items it only counted
      { kind: 'query-join', detail: '…and 39,960 more of this kind, not listed', weight: 0, unlisted: 39960 },
      { kind: 'type-check', detail: 'compatible types bigint', weight: 0 },
    ];
    const entries = boundedEvidence(evidence, 20);
    assert.equal(entries.length, 1 + 20 + 1 + 1);
    assert.deepEqual(entries[21], { type: 'more', kind: 'query-join', count: 20 + 39_960 });
    assert.equal(entries[22]!.type === 'evidence' && entries[22]!.evidence.kind, 'type-check');
    assert.equal(moreEvidenceLabel('query-join', 39_980), '…and 39,980 more query-join');
    // left out altogether: the measurement, which the view shows as its own node
    assert.equal(boundedEvidence(evidence, 20, (e) => e.kind === 'name-match').length, 22);
  });

  it('bounds the tooltip however much evidence a proposal carries', () => {
    const p = proposal('s', 'orders', 'customer_id', 'customers', 1, Array.from({ length: 40_000 }, (_, i) => site(i)));
    const lines = proposalTooltip(p).split('\n');
    assert.equal(lines.length, 2 + EVIDENCE_TOOLTIP_PER_KIND + 1);
    assert.equal(lines.at(-1), `- …and ${(40_000 - EVIDENCE_TOOLTIP_PER_KIND).toLocaleString('en-US')} more query-join`);
  });

  it('shows a long list of proposals a page at a time', () => {
    const list = Array.from({ length: 1_234 }, (_, i) => i);
    assert.deepEqual(pageOf(list, 0).items.length, PROPOSALS_PAGE);
    assert.equal(pageOf(list, 0).rest, 1_234 - PROPOSALS_PAGE);
    assert.deepEqual(pageOf(list, 1_000), { items: list.slice(1_000), rest: 0 });
    assert.equal(morePagesLabel(734), 'Next 500 of 734 more proposals');
    assert.equal(morePagesLabel(1), 'Next 1 of 1 more proposal');
  });

  it('offers the strongest proposals in a picker, not every one', () => {
    const list = Array.from({ length: 5_000 }, (_, i) => proposal('s', `t${i}`, 'x_id', 'x', (i % 997) / 1000));
    const { picks, hidden } = proposalPicks(list, 100);
    assert.equal(picks.length, 100);
    assert.equal(hidden, 4_900);
    const weakestPicked = Math.min(...picks.map((x) => x.proposal.score));
    assert.ok(list.every((p) => p.score <= weakestPicked || picks.some((x) => x.proposal === p)), 'the strongest');
    assert.ok(picks.every((x, i) => i === 0 || picks[i - 1]!.proposal.score >= x.proposal.score), 'strongest first');
    assert.deepEqual(proposalPicks(list.slice(0, 3), 100).picks.map((x) => x.label), ['t0.x_id → x.id', 't1.x_id → x.id', 't2.x_id → x.id']);
  });
});
