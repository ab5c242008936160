/**
 * Join proposals as dbt `relationships` tests with dbterd-style `meta.relationship_type`, as plain data for the
 * YAML writer (a later issue). dbt ≥ 1.10 nests test arguments under `arguments:`; the writer decides the layout.
 */
import type { Cardinality, JoinProposal } from './types';

export interface DbtRelationshipTest {
  /** The model (or source table) the test belongs to: the referencing side. */
  model: string;
  column: string;
  /** `ref('customers')` */
  to: string;
  field: string;
  /** dbterd reads this from the test's meta. */
  relationshipType: Cardinality;
  /** Where the proposal stands, for a YAML comment. */
  score: number;
  proposalId: string;
}

/** Single-column proposals only: dbt's relationships test checks one column. */
export function toDbtRelationshipTests(proposals: readonly JoinProposal[], minScore = 0): DbtRelationshipTest[] {
  return proposals
    .filter((p) => p.fromColumns.length === 1 && p.score >= minScore)
    .map((p) => ({
      model: p.from.table,
      column: p.fromColumns[0]!,
      to: `ref('${p.to.table}')`,
      field: p.toColumns[0]!,
      relationshipType: p.cardinality,
      score: p.score,
      proposalId: p.id,
    }));
}

/** The test entry as it appears under a column's `data_tests:` (plain object, YAML-ready). */
export function dbtTestEntry(t: DbtRelationshipTest): Record<string, unknown> {
  return { relationships: { arguments: { to: t.to, field: t.field }, config: { meta: { relationship_type: t.relationshipType } } } };
}
