/** Public surface of join inference, verification, the model seam, ERDs and dbt relationship tests. */
export { inferJoins, DEFAULT_MIN_SCORE, type InferJoinsOptions } from './inferJoins';
export type { Cardinality, CardinalitySource, Evidence, EvidenceKind, JoinProposal, TableRef, VerificationCounts, VerificationResult } from './types';
export { buildColumnIndex, type ColumnIndex } from './columnIndex';
export { buildJoinSql, buildCardinalitySql, quoteIdent, CARDINALITY_COLUMNS } from './joinSql';
export { interpretCounts, countsFromPage, applyVerification, verifyProposals, type VerifyOptions } from './verification';
export { validateModelProposals, mergeModelReview, MODEL_REVIEW_JSON_SCHEMA, MODEL_ONLY_MAX_SCORE, type ModelJoinClaim, type ModelReview, type ValidationOutcome } from './modelReview';
export { renderMermaidErd, safeTypeToken, safeNameToken, type ErdOptions } from './erd';
export { toDbtRelationshipTests, dbtTestEntry, relationshipsProperties, type DbtRelationshipTest } from './dbtRelationships';
export { evaluateProposals, microAverage, type KnownRelationship, type EvalFigures } from './evaluation';
