/**
 * The seam for a language model (Bedrock / VS Code LM, wired in a later issue). A model reranks and explains
 * evidence-based proposals and may add its own; everything it names is checked against the catalog, and anything
 * the catalog lacks is dropped. Model-only proposals are marked `source: 'model-only'` and capped in score.
 */
import type { CatalogSnapshot } from '../catalog/model';
import { buildColumnIndex, findTable, type ColumnIndex, type ColumnInfo, type TableInfo } from './columnIndex';
import { buildCardinalitySql, buildJoinSql } from './joinSql';
import { round3 } from './score';
import { proposalId, type JoinProposal } from './types';

/** What a model is asked to return (use MODEL_REVIEW_JSON_SCHEMA with ModelProvider.structured). */
export interface ModelJoinClaim {
  /** `schema.table.column` or `table.column`; for composite keys, several columns in fromColumns/toColumns. */
  from: string;
  to: string;
  fromColumns?: string[];
  toColumns?: string[];
  /** 0..1 */
  confidence?: number;
  explanation?: string;
}

export interface ModelReview {
  /** Existing proposals, by id, with the model's confidence and explanation. */
  ranked?: Array<{ id: string; confidence: number; explanation?: string }>;
  /** Joins the model believes in that the evidence did not propose. */
  added?: ModelJoinClaim[];
}

export const MODEL_REVIEW_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ranked: {
      type: 'array',
      items: { type: 'object', required: ['id', 'confidence'], properties: { id: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 }, explanation: { type: 'string' } } },
    },
    added: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'string' }, to: { type: 'string' },
          fromColumns: { type: 'array', items: { type: 'string' } }, toColumns: { type: 'array', items: { type: 'string' } },
          confidence: { type: 'number', minimum: 0, maximum: 1 }, explanation: { type: 'string' },
        },
      },
    },
  },
} as const;

export interface ValidatedClaim {
  from: TableInfo;
  fromColumns: ColumnInfo[];
  to: TableInfo;
  toColumns: ColumnInfo[];
  confidence: number;
  explanation?: string;
}

export interface ValidationOutcome {
  ranked: Array<{ id: string; confidence: number; explanation?: string }>;
  added: ValidatedClaim[];
  dropped: Array<{ claim: unknown; reason: string }>;
}

/** `a.b.c` → table a.b, column c; `b.c` → table b, column c; a lone column with explicit columns list → table. */
function resolveSide(index: ColumnIndex, ref: string, columns: string[] | undefined): { table: TableInfo; cols: ColumnInfo[] } | string {
  const parts = ref.split('.').map((p) => p.replace(/^"|"$/g, ''));
  let schema: string | undefined;
  let table: string;
  let colNames = columns;
  if (colNames?.length) {
    if (parts.length > 2) return `too many name parts in "${ref}"`;
    [schema, table] = parts.length === 2 ? [parts[0], parts[1]!] : [undefined, parts[0]!];
  } else {
    if (parts.length < 2 || parts.length > 3) return `"${ref}" is not table.column or schema.table.column`;
    colNames = [parts[parts.length - 1]!];
    table = parts[parts.length - 2]!;
    schema = parts.length === 3 ? parts[0] : undefined;
  }
  const t = findTable(index, schema, table);
  if (!t) return `table "${schema ? `${schema}.` : ''}${table}" is not in the catalog`;
  const cols = colNames.map((c) => t.byName.get(c.toLowerCase()));
  const missing = colNames.filter((_, i) => !cols[i]);
  if (missing.length) return `column(s) ${missing.join(', ')} not in ${t.def.name}`;
  return { table: t, cols: cols as ColumnInfo[] };
}

function clamp01(x: unknown, dflt: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : dflt;
}

/** Validates raw model output (already JSON-parsed, untrusted) against the catalog. */
export function validateModelProposals(catalog: CatalogSnapshot | ColumnIndex, raw: unknown, knownIds: ReadonlySet<string> = new Set()): ValidationOutcome {
  const index = 'tableByKey' in catalog ? catalog : buildColumnIndex(catalog.tables);
  const out: ValidationOutcome = { ranked: [], added: [], dropped: [] };
  if (!raw || typeof raw !== 'object') {
    out.dropped.push({ claim: raw, reason: 'model output is not an object' });
    return out;
  }
  const r = raw as { ranked?: unknown; added?: unknown };
  for (const item of Array.isArray(r.ranked) ? r.ranked : []) {
    const it = item as { id?: unknown; confidence?: unknown; explanation?: unknown };
    if (typeof it?.id !== 'string' || !knownIds.has(it.id)) { out.dropped.push({ claim: item, reason: 'ranked id is not one of the proposals' }); continue; }
    out.ranked.push({ id: it.id, confidence: clamp01(it.confidence, 0.5), explanation: typeof it.explanation === 'string' ? it.explanation : undefined });
  }
  for (const item of Array.isArray(r.added) ? r.added : []) {
    const c = item as Partial<ModelJoinClaim>;
    if (typeof c?.from !== 'string' || typeof c.to !== 'string') { out.dropped.push({ claim: item, reason: 'claim lacks from/to strings' }); continue; }
    const strList = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
    const from = resolveSide(index, c.from, strList(c.fromColumns));
    const to = resolveSide(index, c.to, strList(c.toColumns));
    if (typeof from === 'string' || typeof to === 'string') { out.dropped.push({ claim: item, reason: typeof from === 'string' ? from : (to as string) }); continue; }
    if (from.cols.length !== to.cols.length) { out.dropped.push({ claim: item, reason: 'from and to have different column counts' }); continue; }
    if (from.table === to.table && from.cols.every((col, i) => col === to.cols[i])) { out.dropped.push({ claim: item, reason: 'a column cannot join itself' }); continue; }
    out.added.push({ from: from.table, fromColumns: from.cols, to: to.table, toColumns: to.cols, confidence: clamp01(c.confidence, 0.5), explanation: typeof c.explanation === 'string' ? c.explanation : undefined });
  }
  return out;
}

/** Highest score a proposal can reach on a model's word alone. */
export const MODEL_ONLY_MAX_SCORE = 0.6;

/** Merges a validated review into the proposals: explanations and a bounded score nudge; model-only additions marked. */
export function mergeModelReview(proposals: readonly JoinProposal[], review: ValidationOutcome): JoinProposal[] {
  const byId = new Map(proposals.map((p) => [p.id, { ...p, evidence: [...p.evidence] }]));
  for (const r of review.ranked) {
    const p = byId.get(r.id);
    if (!p) continue;
    const nudge = (r.confidence - 0.5) * 0.2; // the model moves a score by at most ±0.1
    p.evidence.push({ kind: 'model', detail: r.explanation ?? `model confidence ${r.confidence}`, weight: round3(nudge) });
    p.score = round3(Math.max(0, Math.min(1, p.score + nudge)));
    if (r.explanation) p.explanation = r.explanation;
  }
  for (const a of review.added) {
    const fromColumns = a.fromColumns.map((c) => c.name);
    const toColumns = a.toColumns.map((c) => c.name);
    const id = proposalId(a.from.ref, fromColumns, a.to.ref, toColumns);
    const existing = byId.get(id);
    if (existing) {
      existing.evidence.push({ kind: 'model', detail: a.explanation ?? 'also proposed by the model', weight: 0 });
      continue;
    }
    const toUnique = a.to.keys.some((k) => k.columns.length === a.toColumns.length && k.columns.every((c) => a.toColumns.includes(c)));
    byId.set(id, {
      id, from: a.from.ref, fromColumns, to: a.to.ref, toColumns, direction: 'from-references-to',
      cardinality: toUnique ? 'many-to-one' : 'many-to-many', cardinalitySource: 'inferred',
      score: round3(a.confidence * MODEL_ONLY_MAX_SCORE),
      evidence: [{ kind: 'model', detail: a.explanation ?? 'proposed by the model only', weight: round3(a.confidence * MODEL_ONLY_MAX_SCORE) }],
      source: 'model-only', explanation: a.explanation,
      joinSql: buildJoinSql(a.from.ref, fromColumns, a.to.ref, toColumns),
      cardinalitySql: buildCardinalitySql(a.from.ref, fromColumns, a.to.ref, toColumns),
    });
  }
  return [...byId.values()].sort((x, y) => y.score - x.score || x.id.localeCompare(y.id));
}
