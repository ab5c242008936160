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

/** Evidence items of one kind a candidate lists at least before alike items are only counted (see CandidateSet.add). */
export const EVIDENCE_LISTED_PER_KIND = 30;

/**
 * Below this, 1 − miss is exactly 1 in floating point (the representable neighbour of 1 below it is 1 − 2⁻⁵³, and
 * 1 − x for x ≤ 2⁻⁵⁴ rounds to 1), so no further support can move the score (see scoreEvidence).
 */
const SATURATED_MISS = Number.EPSILON / 4;

/** What CandidateSet keeps beside a candidate to add evidence in constant time. */
interface EvidenceBook {
  /** kind/detail/file/line of every item in the candidate's list, for the duplicate check. */
  keys: Set<string>;
  /** How many items of the candidate's list the book has seen (others may push to the list directly). */
  seen: number;
  /** Items listed per kind, and the `…and N more` item and its count per kind. */
  listed: Map<Evidence['kind'], number>;
  more: Map<Evidence['kind'], { item: Evidence; count: number }>;
  /** scoreEvidence's product of (1 − weight) over the listed support, in list order. */
  miss: number;
}

const unlistedDetail = (count: number) => `…and ${count.toLocaleString('en-US')} more of this kind, not listed`;

/** How many items of its kind an `…and N more` item of CandidateSet.add counts (0 for any other item). */
export function unlistedCount(e: Evidence): number {
  return e.unlisted ?? 0;
}

const evidenceKey = (e: Evidence) => JSON.stringify([e.kind, e.detail, e.file, e.line]);

/** Support that scoreEvidence multiplies into its miss: positive weight, name matches apart (only the best counts). */
const isSupport = (e: Evidence) => e.kind !== 'name-match' && e.weight > 0;

export class CandidateSet {
  private readonly byId = new Map<string, Candidate>();
  private readonly books = new WeakMap<Candidate, EvidenceBook>();

  /**
   * Adds evidence to the candidate of these columns (made on first use); an item equal in kind, detail, file and line
   * to one listed is not added again. Once a candidate lists EVIDENCE_LISTED_PER_KIND items of a kind and its support
   * already saturates the score, further support of that kind (one join written at 40,000 sites) is only counted, in
   * one `…and N more` item of weight 0: the score stays exactly what the whole list would give (1 − miss is already 1
   * and stays 1), every kind present stays present, and the list stays short.
   */
  add(from: TableInfo, fromColumns: ColumnInfo[], to: TableInfo, toColumns: ColumnInfo[], evidence: Evidence, nameRank = 0): Candidate {
    const id = proposalId(from.ref, fromColumns.map((c) => c.name), to.ref, toColumns.map((c) => c.name));
    let cand = this.byId.get(id);
    if (!cand) {
      cand = { id, from, fromColumns, to, toColumns, evidence: [], nameRank: 0 };
      this.byId.set(id, cand);
    }
    const book = this.bookOf(cand);
    const key = evidenceKey(evidence);
    if (!book.keys.has(key)) {
      const listed = book.listed.get(evidence.kind) ?? 0;
      if (isSupport(evidence) && listed >= EVIDENCE_LISTED_PER_KIND && book.miss < SATURATED_MISS) {
        let more = book.more.get(evidence.kind);
        if (!more) {
          more = { item: { kind: evidence.kind, detail: '', weight: 0 }, count: 0 };
          book.more.set(evidence.kind, more);
          cand.evidence.push(more.item);
        }
        more.count++;
        more.item.unlisted = more.count;
        more.item.detail = unlistedDetail(more.count);
        // an equal item later is a duplicate, as it would be had this one been listed
        book.keys.add(key);
      } else {
        cand.evidence.push(evidence);
        this.catchUp(cand, book);
      }
    }
    cand.nameRank = Math.max(cand.nameRank, nameRank);
    return cand;
  }

  private bookOf(cand: Candidate): EvidenceBook {
    let book = this.books.get(cand);
    if (!book) {
      book = { keys: new Set(), seen: 0, listed: new Map(), more: new Map(), miss: 1 };
      this.books.set(cand, book);
    }
    this.catchUp(cand, book);
    return book;
  }

  /** Books the items pushed to the candidate's list since last time (here, or directly by other steps). */
  private catchUp(cand: Candidate, book: EvidenceBook): void {
    for (; book.seen < cand.evidence.length; book.seen++) {
      const e = cand.evidence[book.seen]!;
      // an `…and N more` item is a note, not evidence: out of the duplicate check and the counts
      if (book.more.get(e.kind)?.item === e) continue;
      book.keys.add(evidenceKey(e));
      book.listed.set(e.kind, (book.listed.get(e.kind) ?? 0) + 1);
      if (isSupport(e)) book.miss *= 1 - Math.min(e.weight, 0.999);
    }
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
