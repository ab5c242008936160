/**
 * Join proposals and the evidence behind them. Plain data: proposals cross to webviews, the CLI's JSON output
 * and (later) a language model's prompt, so nothing here holds functions or class instances.
 */

export interface TableRef {
  schema: string;
  table: string;
}

/** Why we believe in a join. `model` marks a claim made by a language model, validated against the catalog. */
export type EvidenceKind =
  | 'declared-fk'
  | 'query-join'
  | 'dbt-relationships'
  /** Entities of dbt semantic models (MetricFlow): a foreign entity and the primary one of the same name. */
  | 'dbt-semantic'
  | 'orm-relationship'
  | 'name-match'
  | 'type-check'
  | 'target-key'
  | 'data'
  | 'model';

export interface Evidence {
  kind: EvidenceKind;
  detail: string;
  file?: string;
  line?: number;
  /** Signed contribution to the score, 0..1 for support, negative for doubt. */
  weight: number;
  /** A note (weight 0), not evidence: how many more items of its kind were found and not listed. */
  unlisted?: number;
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** declared = a constraint or dbt test says so; inferred = from key-ness of the columns; measured = data verification. */
export type CardinalitySource = 'declared' | 'inferred' | 'measured';

export interface VerificationCounts {
  fromTotal: number;
  fromNulls: number;
  fromDistinct: number;
  toTotal: number;
  toNulls: number;
  toDistinct: number;
  /** From-side rows (non-null key) with no match in the target. */
  orphanRows: number;
  orphanDistinct: number;
  /** Most from-rows sharing one key value, and most target rows sharing one key value. */
  maxFromPerKey: number;
  maxToPerKey: number;
}

export interface VerificationResult {
  counts: VerificationCounts;
  /** Share of non-null from-side rows whose value exists in the target (1 when there is nothing to check). */
  containment: number;
  nullRate: number;
  targetUnique: boolean;
  sourceUnique: boolean;
  cardinality?: Cardinality;
  /** Added to the score (negative lowers it). */
  scoreDelta: number;
  /** Plain-language reading of the counts. */
  reading: string;
  engine?: string;
}

export interface JoinProposal {
  /** Stable id: from columns → to columns. */
  id: string;
  /** The referencing side (foreign key, usually the fact / child). */
  from: TableRef;
  fromColumns: string[];
  /** The referenced side (key, usually the dimension / parent). */
  to: TableRef;
  toColumns: string[];
  /** Always from → to: the from columns reference the to columns. */
  direction: 'from-references-to';
  cardinality: Cardinality;
  cardinalitySource: CardinalitySource;
  /** 0..1. */
  score: number;
  evidence: Evidence[];
  /** 'evidence' = found from catalog/workspace evidence; 'model-only' = only a language model proposed it. */
  source: 'evidence' | 'model-only';
  /** SELECT … JOIN … ON … ready to paste. */
  joinSql: string;
  /** One statement returning the counts in VerificationCounts (PostgreSQL and Redshift). */
  cardinalitySql: string;
  verification?: VerificationResult;
  /** Explanation text from a model, when one reranked the proposal. */
  explanation?: string;
}

export function proposalId(from: TableRef, fromColumns: string[], to: TableRef, toColumns: string[]): string {
  const side = (t: TableRef, cols: string[]) => `${t.schema}.${t.table}(${cols.join(',')})`.toLowerCase();
  return `${side(from, fromColumns)}->${side(to, toColumns)}`;
}

export function qualifiedColumn(t: TableRef, column: string): string {
  return `${t.schema}.${t.table}.${column}`;
}
