/** Turns evidence into a 0..1 score, and key-ness into a cardinality. */
import type { Candidate } from './candidates';
import type { Cardinality, CardinalitySource, Evidence } from './types';

/**
 * Independent supports combine as a noisy OR; doubts scale the result down. Several name readings of one column pair
 * are one piece of evidence, so only the strongest name match counts.
 */
export function scoreEvidence(evidence: readonly Evidence[]): number {
  let miss = 1;
  let scale = 1;
  let bestName = 0;
  for (const e of evidence) {
    if (e.kind === 'name-match') bestName = Math.max(bestName, e.weight);
    else if (e.weight > 0) miss *= 1 - Math.min(e.weight, 0.999);
    else if (e.weight < 0) scale *= 1 + Math.max(e.weight, -1);
  }
  miss *= 1 - Math.min(bestName, 0.999);
  return round3(Math.max(0, Math.min(1, (1 - miss) * scale)));
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const DBT_TYPES: Record<string, Cardinality> = {
  'one-to-one': 'one-to-one', 'many-to-one': 'many-to-one', 'one-to-many': 'one-to-many', 'many-to-many': 'many-to-many',
  'zero-to-many': 'one-to-many', 'zero-to-one': 'one-to-one',
};

function isKeyOf(c: Candidate['fromColumns'], keys: Candidate['from']['keys']): boolean {
  return keys.some((k) => k.columns.length === c.length && k.columns.every((col) => c.includes(col)));
}

export function inferCardinality(c: Candidate): { cardinality: Cardinality; source: CardinalitySource } {
  if (c.declaredCardinality && DBT_TYPES[c.declaredCardinality]) return { cardinality: DBT_TYPES[c.declaredCardinality]!, source: 'declared' };
  const fromUnique = isKeyOf(c.fromColumns, c.from.keys);
  const toUnique = isKeyOf(c.toColumns, c.to.keys);
  const declared = c.evidence.some((e) => e.kind === 'declared-fk' || e.kind === 'dbt-relationships' || e.kind === 'dbt-semantic' || e.kind === 'orm-relationship');
  const source: CardinalitySource = declared ? 'declared' : 'inferred';
  if (!toUnique && !declared) return { cardinality: fromUnique ? 'one-to-many' : 'many-to-many', source };
  return { cardinality: fromUnique ? 'one-to-one' : 'many-to-one', source };
}
