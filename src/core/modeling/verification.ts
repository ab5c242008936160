/**
 * Data verification of a join proposal: reads the counts of its cardinality SQL (joinSql.ts), turns them into
 * containment, uniqueness, null rate and a measured cardinality, and explains them in plain words.
 */
import type { CellValue, QueryEngine, ResultPage, CancellationSignal } from '../ports';
import { CARDINALITY_COLUMNS } from './joinSql';
import { round3 } from './score';
import type { Cardinality, JoinProposal, VerificationCounts, VerificationResult } from './types';

const FIELD: Record<(typeof CARDINALITY_COLUMNS)[number], keyof VerificationCounts> = {
  from_total: 'fromTotal', from_nulls: 'fromNulls', from_distinct: 'fromDistinct', to_total: 'toTotal', to_nulls: 'toNulls',
  to_distinct: 'toDistinct', orphan_rows: 'orphanRows', orphan_distinct: 'orphanDistinct', max_from_per_key: 'maxFromPerKey', max_to_per_key: 'maxToPerKey',
};

function toNumber(v: CellValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return 0;
}

/** Reads the single row of the cardinality query by column name (engines may reorder or upper-case names). */
export function countsFromPage(page: Pick<ResultPage, 'columns' | 'rows'>): VerificationCounts {
  const row = page.rows[0];
  if (!row) throw new Error('cardinality query returned no row');
  const counts = {} as VerificationCounts;
  for (const name of CARDINALITY_COLUMNS) {
    const i = page.columns.findIndex((c) => c.name.toLowerCase() === name);
    if (i < 0) throw new Error(`cardinality query result lacks column ${name}`);
    counts[FIELD[name]] = toNumber(row[i]);
  }
  return counts;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString()}%`;

export function interpretCounts(c: VerificationCounts, labels: { from: string; to: string } = { from: 'from', to: 'to' }): VerificationResult {
  const nonNullFrom = c.fromTotal - c.fromNulls;
  const nonNullTo = c.toTotal - c.toNulls;
  const containment = nonNullFrom > 0 ? 1 - c.orphanRows / nonNullFrom : 1;
  const nullRate = c.fromTotal > 0 ? c.fromNulls / c.fromTotal : 0;
  const targetUnique = c.maxToPerKey <= 1 && c.toDistinct === nonNullTo;
  const sourceUnique = c.maxFromPerKey <= 1;
  const noData = nonNullFrom === 0 || c.toTotal === 0;
  let cardinality: Cardinality | undefined;
  if (!noData) cardinality = targetUnique ? (sourceUnique ? 'one-to-one' : 'many-to-one') : sourceUnique ? 'one-to-many' : 'many-to-many';

  let scoreDelta = 0;
  if (!noData) {
    if (containment >= 0.99) scoreDelta = targetUnique ? 0.15 : 0.05;
    else if (containment >= 0.9) scoreDelta = targetUnique ? 0 : -0.05;
    else if (containment >= 0.5) scoreDelta = -0.25;
    else scoreDelta = -0.5;
    if (c.fromDistinct === 1 && nonNullFrom > 1) scoreDelta -= 0.05; // a constant column matches anything
  }

  const parts: string[] = [];
  if (c.fromTotal === 0) parts.push(`${labels.from} has no rows, so nothing could be checked.`);
  else if (nonNullFrom === 0) parts.push(`All ${fmt(c.fromTotal)} rows of ${labels.from} are NULL in the join columns, so nothing could be checked.`);
  else {
    parts.push(`${fmt(nonNullFrom - c.orphanRows)} of ${fmt(nonNullFrom)} non-null ${labels.from} rows (${pct(containment)}) find a match in ${labels.to}` +
      (c.orphanRows > 0 ? `; ${fmt(c.orphanRows)} orphan rows carry ${fmt(c.orphanDistinct)} values missing from the target.` : '.'));
    if (c.fromNulls > 0) parts.push(`${fmt(c.fromNulls)} rows (${pct(nullRate)}) have NULL join columns.`);
  }
  if (c.toTotal === 0) parts.push(`${labels.to} has no rows.`);
  else if (targetUnique) parts.push(`The key is unique in ${labels.to} (${fmt(c.toDistinct)} distinct values in ${fmt(nonNullTo)} rows).`);
  else parts.push(`The key is NOT unique in ${labels.to}: ${fmt(c.toDistinct)} distinct values in ${fmt(nonNullTo)} rows, up to ${fmt(c.maxToPerKey)} rows per value, so joining multiplies rows.`);
  if (!noData) {
    parts.push(sourceUnique ? `Each value occurs at most once in ${labels.from}.` : `Up to ${fmt(c.maxFromPerKey)} ${labels.from} rows share one value (${fmt(c.fromDistinct)} distinct values).`);
    parts.push(`Measured cardinality: ${cardinality}.`);
  }
  return { counts: c, containment: round3(containment), nullRate: round3(nullRate), targetUnique, sourceUnique, cardinality, scoreDelta, reading: parts.join(' ') };
}

/** Applies a verification to a proposal: score, measured cardinality, data evidence. Returns a new object. */
export function applyVerification(p: JoinProposal, v: VerificationResult): JoinProposal {
  const score = round3(Math.max(0, Math.min(1, p.score + v.scoreDelta)));
  const evidence = [...p.evidence, { kind: 'data' as const, detail: v.reading, weight: v.scoreDelta }];
  return {
    ...p,
    score,
    evidence,
    verification: v,
    ...(v.cardinality ? { cardinality: v.cardinality, cardinalitySource: 'measured' as const } : {}),
  };
}

export interface VerifyOptions {
  signal?: CancellationSignal;
  /** Called after each proposal, e.g. to report progress. */
  onResult?: (p: JoinProposal, index: number) => void;
}

/** Runs each proposal's cardinality SQL through the engine, one at a time. Failures leave the proposal unverified. */
export async function verifyProposals(engine: QueryEngine, proposals: readonly JoinProposal[], options: VerifyOptions = {}): Promise<{ proposals: JoinProposal[]; errors: Array<{ id: string; error: string }> }> {
  const out: JoinProposal[] = [];
  const errors: Array<{ id: string; error: string }> = [];
  for (const [i, p] of proposals.entries()) {
    if (options.signal?.aborted) { out.push(p); continue; }
    try {
      const outcome = await engine.execute(p.cardinalitySql, { signal: options.signal });
      if (outcome.status !== 'FINISHED' || !outcome.hasResultSet) throw new Error(outcome.error ?? `statement ${outcome.status}`);
      const page = await engine.fetchPage(outcome.id, undefined, options.signal);
      const v = { ...interpretCounts(countsFromPage(page), { from: `${p.from.table}.${p.fromColumns.join(', ')}`, to: `${p.to.table}.${p.toColumns.join(', ')}` }), engine: engine.label };
      const verified = applyVerification(p, v);
      out.push(verified);
      options.onResult?.(verified, i);
    } catch (err) {
      errors.push({ id: p.id, error: (err as Error).message });
      out.push(p);
    }
  }
  out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { proposals: out, errors };
}
