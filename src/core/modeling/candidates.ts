/** Candidate = a possible join with the evidence gathered so far. Shared by all evidence sources. */
import type { ColumnInfo, TableInfo } from './columnIndex';
import { proposalId, type Evidence } from './types';

export interface Candidate {
  id: string;
  from: TableInfo;
  fromColumns: ColumnInfo[];
  to: TableInfo;
  toColumns: ColumnInfo[];
  evidence: Evidence[];
  /** Name-match quality used to break ties (higher is better); 0 when no name evidence. */
  nameRank: number;
  /** Declared relationship type from a dbt test's meta, if any. */
  declaredCardinality?: string;
}

export class CandidateSet {
  private readonly byId = new Map<string, Candidate>();

  add(from: TableInfo, fromColumns: ColumnInfo[], to: TableInfo, toColumns: ColumnInfo[], evidence: Evidence, nameRank = 0): Candidate {
    const id = proposalId(from.ref, fromColumns.map((c) => c.name), to.ref, toColumns.map((c) => c.name));
    let cand = this.byId.get(id);
    if (!cand) {
      cand = { id, from, fromColumns, to, toColumns, evidence: [], nameRank: 0 };
      this.byId.set(id, cand);
    }
    const dup = cand.evidence.find((e) => e.kind === evidence.kind && e.detail === evidence.detail && e.file === evidence.file && e.line === evidence.line);
    if (!dup) cand.evidence.push(evidence);
    cand.nameRank = Math.max(cand.nameRank, nameRank);
    return cand;
  }

  get(id: string): Candidate | undefined {
    return this.byId.get(id);
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  all(): Candidate[] {
    return [...this.byId.values()];
  }
}

export const HARD_EVIDENCE = new Set(['declared-fk', 'dbt-relationships', 'dbt-semantic', 'orm-relationship', 'query-join']);

export function hasHardEvidence(c: Candidate): boolean {
  return c.evidence.some((e) => HARD_EVIDENCE.has(e.kind));
}
