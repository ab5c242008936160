/** Join inference entry point: catalog + workspace joins → coherent, scored, explained proposals. */
import { resolveUnqualifiedSides } from '../catalog/joinUsage';
import { isWarehouseRelation, type CatalogSnapshot } from '../catalog/model';
import type { JoinPair } from '../sql/types';
import { CandidateSet, hasHardEvidence, type Candidate } from './candidates';
import { isLineagePair } from './lineage';
import { makeCoherent, type ScoredCandidate } from './coherence';
import { buildColumnIndex, resolveTable, type ColumnIndex } from './columnIndex';
import { buildCardinalitySql, buildJoinSql } from './joinSql';
import { addNameCandidates, buildNameIndex } from './nameMatching';
import { inferCardinality, scoreEvidence } from './score';
import type { JoinProposal } from './types';
import { addDbtRelationships, addDeclaredForeignKeys, addQueryJoins, addSemanticEntities } from './workspaceEvidence';

export interface InferJoinsOptions {
  /** Joins seen in workspace SQL / dbt models (IndexSnapshot.joins). */
  joins?: readonly JoinPair[];
  /** Proposals scoring below this are left out (default 0.5). */
  minScore?: number;
  /** Evidence sources to use (default all). `names` = name/type matching. */
  sources?: { declared?: boolean; queries?: boolean; dbt?: boolean; names?: boolean };
  /** dbt lineage pairs (see lineage.ts): name-only candidates between a model and its upstream are passthroughs. */
  lineage?: ReadonlySet<string>;
  /** Reuse an index built earlier (benchmarks, repeated calls on one catalog). */
  index?: ColumnIndex;
}

export const DEFAULT_MIN_SCORE = 0.5;

export function inferJoins(catalog: CatalogSnapshot, options: InferJoinsOptions = {}): JoinProposal[] {
  const src = { declared: true, queries: true, dbt: true, names: true, ...options.sources };
  // ephemeral dbt models are in no warehouse: nothing joins to them
  const index = options.index ?? buildColumnIndex(catalog.tables.filter(isWarehouseRelation));
  const set = new CandidateSet();
  // sides a query left unqualified among several relations are placed on the one that has the column
  const joins = options.joins?.length && src.queries ? resolveUnqualifiedSides(options.joins, (q) => resolveTable(index, q)?.def) : [];
  if (src.declared) addDeclaredForeignKeys(index, set);
  if (src.dbt) {
    addDbtRelationships(index, set);
    addSemanticEntities(index, set);
  }
  if (joins.length) addQueryJoins(index, joins, set);
  if (src.names) addNameCandidates(index, buildNameIndex(index), set);
  if (joins.length) addQueryEvidenceToComposites(set.all(), joins);

  const lineage = options.lineage;
  const kept = lineage?.size
    ? set.all().filter((cand) => hasHardEvidence(cand) || !isLineagePair(lineage, cand.from.def, cand.to.def))
    : set.all();
  const scored: ScoredCandidate[] = kept.map((cand) => ({ cand, score: scoreEvidence(cand.evidence) }));
  const coherent = makeCoherent(scored);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  return coherent
    .filter((s) => s.score >= minScore)
    .map(toProposal)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

function addQueryEvidenceToComposites(cands: Candidate[], joins: readonly JoinPair[]): void {
  const seen = new Map<string, JoinPair>();
  const key = (t: string | undefined, c: string) => `${(t ?? '').toLowerCase()}.${c.toLowerCase()}`;
  for (const j of joins) {
    const l = key(j.left.table?.name, j.left.column);
    const r = key(j.right.table?.name, j.right.column);
    seen.set(`${l}=${r}`, j);
    seen.set(`${r}=${l}`, j);
  }
  for (const c of cands) {
    // a composite the query itself gave already says so
    if (c.fromColumns.length < 2 || c.evidence.some((e) => e.kind === 'query-join')) continue;
    const hits = c.fromColumns.map((f, i) => seen.get(`${key(c.from.def.name, f.name)}=${key(c.to.def.name, c.toColumns[i]!.name)}`));
    if (hits.every(Boolean)) {
      const first = hits[0]!;
      c.evidence.push({ kind: 'query-join', detail: `all ${hits.length} key columns joined together`, file: first.origin.file, line: first.origin.line, weight: 0.8 });
    }
  }
}

function toProposal(s: ScoredCandidate): JoinProposal {
  const c = s.cand;
  const fromColumns = c.fromColumns.map((x) => x.name);
  const toColumns = c.toColumns.map((x) => x.name);
  const { cardinality, source } = inferCardinality(c);
  return {
    id: c.id,
    from: c.from.ref,
    fromColumns,
    to: c.to.ref,
    toColumns,
    direction: 'from-references-to',
    cardinality,
    cardinalitySource: source,
    score: s.score,
    evidence: c.evidence,
    source: 'evidence',
    joinSql: buildJoinSql(c.from.ref, fromColumns, c.to.ref, toColumns),
    cardinalitySql: buildCardinalitySql(c.from.ref, fromColumns, c.to.ref, toColumns),
  };
}
