/** Precision / recall / F1 of join proposals against known relationships (the dev set's answers). */
import type { JoinProposal } from './types';

export interface KnownRelationship {
  /** `schema.table(col, ...)` */
  from: string;
  to: string;
}

export interface EvalFigures {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalDetail extends EvalFigures {
  missed: string[];
  wrong: string[];
}

function normSide(s: string): string {
  const m = /^\s*([^()]+?)\s*\(([^)]*)\)\s*$/.exec(s);
  if (!m) throw new Error(`bad relationship side: ${s}`);
  const cols = m[2]!.split(',').map((c) => c.trim().toLowerCase());
  return `${m[1]!.toLowerCase()}(${cols.join(',')})`;
}

export function relationshipKey(from: string, to: string): string {
  return `${normSide(from)}->${normSide(to)}`;
}

export function proposalKey(p: JoinProposal): string {
  return relationshipKey(`${p.from.schema}.${p.from.table}(${p.fromColumns.join(',')})`, `${p.to.schema}.${p.to.table}(${p.toColumns.join(',')})`);
}

export function figures(tp: number, fp: number, fn: number): EvalFigures {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

export function evaluateProposals(proposals: readonly JoinProposal[], truth: readonly KnownRelationship[]): EvalDetail {
  const expected = new Set(truth.map((r) => relationshipKey(r.from, r.to)));
  const got = new Set(proposals.map(proposalKey));
  const wrong = [...got].filter((k) => !expected.has(k));
  const missed = [...expected].filter((k) => !got.has(k));
  const tp = got.size - wrong.length;
  return { ...figures(tp, wrong.length, missed.length), missed, wrong };
}

/** Micro average: sums counts over all schemas. */
export function microAverage(parts: readonly EvalFigures[]): EvalFigures {
  const sum = (f: (e: EvalFigures) => number) => parts.reduce((n, e) => n + f(e), 0);
  return figures(sum((e) => e.truePositives), sum((e) => e.falsePositives), sum((e) => e.falseNegatives));
}
