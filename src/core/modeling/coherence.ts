/**
 * The global step: one target per foreign-key column set unless hard evidence says otherwise, no reverse duplicates,
 * fact → dimension direction, and ambiguous name-only ties dropped rather than guessed.
 */
import { hasHardEvidence, type Candidate } from './candidates';
import { proposalId } from './types';

export interface ScoredCandidate {
  cand: Candidate;
  score: number;
}

function fromKey(c: Candidate): string {
  return `${c.from.ref.schema}.${c.from.ref.table}(${c.fromColumns.map((x) => x.name).join(',')})`.toLowerCase();
}

function preference(a: ScoredCandidate, b: ScoredCandidate): number {
  if (b.score !== a.score) return b.score - a.score;
  if (b.cand.nameRank !== a.cand.nameRank) return b.cand.nameRank - a.cand.nameRank;
  const sameA = a.cand.to.ref.schema === a.cand.from.ref.schema ? 1 : 0;
  const sameB = b.cand.to.ref.schema === b.cand.from.ref.schema ? 1 : 0;
  if (sameB !== sameA) return sameB - sameA;
  const dimA = a.cand.to.role === 'dimension' ? 1 : 0;
  const dimB = b.cand.to.role === 'dimension' ? 1 : 0;
  return dimB - dimA;
}

function tiedAfterPreference(a: ScoredCandidate, b: ScoredCandidate): boolean {
  return Math.abs(a.score - b.score) < 1e-9 && a.cand.nameRank === b.cand.nameRank &&
    (a.cand.to.ref.schema === a.cand.from.ref.schema) === (b.cand.to.ref.schema === b.cand.from.ref.schema) &&
    (a.cand.to.role === 'dimension') === (b.cand.to.role === 'dimension');
}

export function makeCoherent(scored: ScoredCandidate[]): ScoredCandidate[] {
  const groups = new Map<string, ScoredCandidate[]>();
  for (const s of scored) {
    const k = fromKey(s.cand);
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  let kept: ScoredCandidate[] = [];
  for (const group of groups.values()) {
    const hard = group.filter((s) => hasHardEvidence(s.cand));
    if (hard.length) {
      kept.push(...hard);
      continue;
    }
    group.sort(preference);
    if (group.length > 1 && tiedAfterPreference(group[0]!, group[1]!)) continue; // ambiguous: do not guess
    kept.push(group[0]!);
  }
  // reverse duplicates: A.x → B.y and B.y → A.x
  const byId = new Map(kept.map((s) => [s.cand.id, s]));
  const drop = new Set<string>();
  for (const s of kept) {
    const c = s.cand;
    const rev = proposalId(c.to.ref, c.toColumns.map((x) => x.name), c.from.ref, c.fromColumns.map((x) => x.name));
    const other = byId.get(rev);
    if (!other || drop.has(c.id) || drop.has(rev)) continue;
    drop.add(preferDirection(s, other) === s ? rev : c.id);
  }
  kept = kept.filter((s) => !drop.has(s.cand.id));
  // fact → dimension: a dimension never references a fact on name evidence alone
  return kept.filter((s) => !(s.cand.from.role === 'dimension' && s.cand.to.role === 'fact' && !hasHardEvidence(s.cand)));
}

function preferDirection(a: ScoredCandidate, b: ScoredCandidate): ScoredCandidate {
  if (a.score !== b.score) return a.score > b.score ? a : b;
  const pkA = a.cand.to.keys[0]?.kind === 'declared-pk' ? 1 : 0;
  const pkB = b.cand.to.keys[0]?.kind === 'declared-pk' ? 1 : 0;
  if (pkA !== pkB) return pkA > pkB ? a : b;
  const owns = (s: ScoredCandidate) => s.cand.to.entity.primary.replace(/ /g, '') === s.cand.toColumns.map((c) => c.entity.join('')).join('') ? 1 : 0;
  return owns(b) > owns(a) ? b : a;
}
