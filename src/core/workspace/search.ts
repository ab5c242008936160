/**
 * BM25 lexical retrieval over overlapping line windows of workspace files.
 * Identifier-aware: `customer_id` and `customerId` index as the whole identifier plus `customer` and `id`.
 */

export interface SearchHit {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  score: number;
  /** Query terms found in the passage. */
  terms: string[];
}

export interface SearchOptions {
  /** Lines per passage (default 40). */
  windowLines?: number;
  /** Lines shared by consecutive passages (default 10). */
  overlapLines?: number;
}

interface Chunk {
  file: string;
  startLine: number;
  endLine: number;
  length: number;
  terms: Map<string, number>;
}

const K1 = 1.2;
const B = 0.75;
/** English function words of questions (`which orders were delivered late`), and SQL's own in every query: no evidence. */
const STOP = new Set([
  'the', 'and', 'a', 'an', 'of', 'to', 'in', 'is', 'it', 'on', 'for', 'as', 'at', 'by', 'be', 'this', 'that', 'or',
  'which', 'what', 'who', 'whom', 'whose', 'how', 'when', 'why', 'were', 'was', 'are', 'been', 'being', 'am', 'do',
  'does', 'did', 'have', 'has', 'had', 'with', 'there', 'their', 'they', 'them', 'these', 'those', 'than', 'then',
  'into', 'about', 'any', 'all', 'some', 'can', 'could', 'would', 'should', 'will', 'we', 'our', 'you', 'your', 'my',
  'me', 'he', 'she', 'his', 'her', 'its', 'if', 'but', 'so', 'not', 'no', 'per', 'each', 'every', 'show', 'list', 'find',
  'select', 'from', 'where',
]);
const WORD = /[A-Za-z_][A-Za-z0-9_$]*|\d+/g;

/** Lower-cased terms of a text: each identifier whole, and its snake_case / camelCase parts. */
export function searchTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const whole = word.toLowerCase();
    if (whole.length < 2 && !/\d/.test(whole)) continue;
    if (!STOP.has(whole)) out.push(whole);
    const parts = word
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .split(/[_$]+/)
      .map((p) => p.toLowerCase())
      .filter((p) => p.length >= 2 && !STOP.has(p));
    if (parts.length > 1) for (const p of parts) if (p !== whole) out.push(p);
  }
  return out;
}

export class SearchIndex {
  private readonly windowLines: number;
  private readonly step: number;
  private readonly chunks = new Map<number, Chunk>();
  private readonly byFile = new Map<string, number[]>();
  private readonly postings = new Map<string, Map<number, number>>();
  private nextId = 0;
  private totalLength = 0;

  constructor(options: SearchOptions = {}) {
    this.windowLines = Math.max(1, options.windowLines ?? 40);
    this.step = Math.max(1, this.windowLines - Math.max(0, options.overlapLines ?? 10));
  }

  get documentCount(): number {
    return this.byFile.size;
  }

  get passageCount(): number {
    return this.chunks.size;
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  /** Adds or replaces a file's passages. */
  addDocument(file: string, text: string): void {
    this.removeDocument(file);
    const lines = text.split(/\r?\n/);
    const ids: number[] = [];
    for (let start = 0; start < lines.length; start += this.step) {
      const end = Math.min(lines.length, start + this.windowLines);
      const terms = new Map<string, number>();
      let length = 0;
      for (const t of searchTerms(lines.slice(start, end).join('\n'))) {
        terms.set(t, (terms.get(t) ?? 0) + 1);
        length++;
      }
      if (length > 0) {
        const id = this.nextId++;
        this.chunks.set(id, { file, startLine: start + 1, endLine: end, length, terms });
        this.totalLength += length;
        for (const [t, tf] of terms) {
          let p = this.postings.get(t);
          if (!p) this.postings.set(t, (p = new Map()));
          p.set(id, tf);
        }
        ids.push(id);
      }
      if (end >= lines.length) break;
    }
    this.byFile.set(file, ids);
  }

  removeDocument(file: string): void {
    const ids = this.byFile.get(file);
    if (!ids) return;
    for (const id of ids) {
      const c = this.chunks.get(id);
      if (!c) continue;
      for (const t of c.terms.keys()) {
        const p = this.postings.get(t);
        p?.delete(id);
        if (p && p.size === 0) this.postings.delete(t);
      }
      this.totalLength -= c.length;
      this.chunks.delete(id);
    }
    this.byFile.delete(file);
  }

  /** Ranked passages; overlapping passages of one file collapse to the best one. */
  search(query: string, limit = 20): SearchHit[] {
    const terms = [...new Set(searchTerms(query))];
    const n = this.chunks.size;
    if (!terms.length || !n) return [];
    const avg = this.totalLength / n;
    const scores = new Map<number, { score: number; terms: string[] }>();
    for (const t of terms) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.size + 0.5) / (p.size + 0.5));
      for (const [id, tf] of p) {
        const c = this.chunks.get(id)!;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * c.length) / avg));
        const acc = scores.get(id);
        if (acc) {
          acc.score += s;
          acc.terms.push(t);
        } else scores.set(id, { score: s, terms: [t] });
      }
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    const hits: SearchHit[] = [];
    for (const [id, s] of ranked) {
      const c = this.chunks.get(id)!;
      if (hits.some((h) => h.file === c.file && h.startLine <= c.endLine && c.startLine <= h.endLine)) continue;
      hits.push({ file: c.file, startLine: c.startLine, endLine: c.endLine, score: s.score, terms: s.terms });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}
