/**
 * BM25 lexical retrieval over overlapping line windows of workspace files.
 * Identifier-aware: `customer_id` and `customerId` index as the whole identifier plus `customer` and `id` (and
 * `is_active` as itself and `active`: a part counts when the identifier has more than one, stop word or not).
 *
 * Sized for 50k-file workspaces on the extension host's thread:
 * - a file is tokenized once, in one pass over its bytes (words are ASCII, so UTF-8 and Latin-1 bytes tokenize as
 *   their decoded text does), into a stream of term ids; each window's term frequencies are counted from that stream;
 * - one term dictionary, an open-addressing hash over the terms' bytes: a word seen before allocates nothing, and a
 *   lower-case snake_case word's parts are looked up once per term, not once per occurrence;
 * - passages live in typed arrays; each term's postings — (passage, tf), passage ids delta-encoded as varints — are
 *   appended to growing slices of one shared byte pool (under 2 bytes a posting; no object per window or posting);
 * - removing a file marks its passages dead: searches skip them (document frequencies count live passages only, so
 *   scores are those of a rebuild), and postings, passages and terms are rewritten without them by the first search
 *   after they outnumber the live postings (or by the removal that makes them four times as many).
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

/** What the index holds, for benchmarks and tests. */
export interface SearchIndexStats {
  documents: number;
  passages: number;
  terms: number;
  /** Postings of live passages. */
  postings: number;
  /** Postings of removed passages not yet compacted away. */
  deadPostings: number;
  /** Bytes of the postings pool. */
  poolBytes: number;
}

const K1 = 1.2;
const B = 0.75;
/** English function words of questions (`which orders were delivered late`), and SQL's own in every query: no evidence. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'the', 'and', 'a', 'an', 'of', 'to', 'in', 'is', 'it', 'on', 'for', 'as', 'at', 'by', 'be', 'this', 'that', 'or',
  'which', 'what', 'who', 'whom', 'whose', 'how', 'when', 'why', 'were', 'was', 'are', 'been', 'being', 'am', 'do',
  'does', 'did', 'have', 'has', 'had', 'with', 'there', 'their', 'they', 'them', 'these', 'those', 'than', 'then',
  'into', 'about', 'any', 'all', 'some', 'can', 'could', 'would', 'should', 'will', 'we', 'our', 'you', 'your', 'my',
  'me', 'he', 'she', 'his', 'her', 'its', 'if', 'but', 'so', 'not', 'no', 'per', 'each', 'every', 'show', 'list', 'find',
  'select', 'from', 'where',
]);

// ------------------------------------------------------------------ tokenizer

const OTHER = 0;
const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;
const UNDERSCORE = 4;
const DOLLAR = 5;
const CLASS = new Uint8Array(256);
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = LOWER;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
CLASS[95] = UNDERSCORE;
CLASS[36] = DOLLAR;
const NEWLINE = 10;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const encoder = new TextEncoder();
const ascii = new TextDecoder('latin1');

/** What scan() found, reused from call to call: term ids, and per line the index of its first term (lineFirst[lines] = count). */
const found = { ids: new Int32Array(4096), count: 0, lineFirst: new Int32Array(1024), lines: 0 };

/** Scratch longer than this is let go after use (a 9 MB file would otherwise keep ~10 MB of it). */
const SCRATCH_KEEP = 1 << 18;

function releaseScratch(): void {
  if (found.ids.length > SCRATCH_KEEP) found.ids = new Int32Array(4096);
  if (found.lineFirst.length > SCRATCH_KEEP) found.lineFirst = new Int32Array(1024);
}

/** Keeps a term's id, unless it is a stop word's or (-1) absent from the dictionary. */
function keep(dict: TermDictionary, id: number): void {
  if (id >= 0 && !dict.stop[id]) pushTerm(id);
}

function pushTerm(id: number): void {
  const n = found.count;
  if (n === found.ids.length) found.ids = grownInt32(found.ids, n * 2);
  found.ids[n] = id;
  found.count = n + 1;
}

/**
 * One pass over the bytes: words are `[A-Za-z_][A-Za-z0-9_$]*` or digit runs. Each word of two or more characters
 * (any digit run) is a term, and so are its parts of two or more characters — split at `_`/`$` and at camelCase
 * boundaries (`orderTotal`, `HTTPServer` → `HTTP`, `Server`) — when it has more than one. Each term's id in `dict`
 * (added when `create`) goes to `found`; stop words, and terms absent when not `create`, are left out.
 */
function scan(b: Uint8Array, dict: TermDictionary, create: boolean): void {
  const n = b.length;
  let lines = 0;
  let lineFirst = found.lineFirst;
  if (found.ids.length < n >> 2) found.ids = new Int32Array(n >> 2); // a term per 4 bytes (code has one per 6)
  found.count = 0;
  lineFirst[0] = 0;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    const k = CLASS[c]!;
    if (k === OTHER || k === DOLLAR) {
      if (c === NEWLINE) {
        if (lines + 2 >= lineFirst.length) found.lineFirst = lineFirst = grownInt32(lineFirst, lineFirst.length * 2);
        lineFirst[++lines] = found.count;
      }
      i++;
      continue;
    }
    const s = i++;
    let h = Math.imul(FNV_OFFSET ^ (k === UPPER ? c | 0x20 : c), FNV_PRIME);
    if (k === DIGIT) {
      while (i < n && CLASS[b[i]!] === DIGIT) h = Math.imul(h ^ b[i++]!, FNV_PRIME);
      keep(dict, dict.find(b, s, i, h, create));
      continue;
    }
    let split = k === UNDERSCORE;
    let upper = k === UPPER;
    for (; i < n; i++) {
      const d = b[i]!;
      const kd = CLASS[d]!;
      if (kd === OTHER) break;
      if (kd === UPPER) {
        split = upper = true;
        h = Math.imul(h ^ (d | 0x20), FNV_PRIME);
      } else {
        if (kd >= UNDERSCORE) split = true;
        h = Math.imul(h ^ d, FNV_PRIME);
      }
    }
    if (i - s < 2) continue;
    const id = dict.find(b, s, i, h, create);
    keep(dict, id);
    if (!split) continue;
    // a lower-case word's parts are its term's: found once per term (camelCase ones depend on the case, found each time)
    if (upper || id < 0) parts(b, s, i, dict, create);
    else if (!dict.pushParts(id)) {
      const first = found.count;
      parts(b, s, i, dict, create);
      if (create) dict.setParts(id, found.ids, first, found.count);
    }
  }
  if (lines + 2 >= lineFirst.length) found.lineFirst = lineFirst = grownInt32(lineFirst, lines + 2);
  lineFirst[lines + 1] = found.count;
  found.lines = lines + 1;
}

/** The parts of identifier [s, e), when it has more than one. */
function parts(b: Uint8Array, s: number, e: number, dict: TermDictionary, create: boolean): void {
  const first = found.count;
  let count = 0;
  let start = -1;
  for (let j = s; j <= e; j++) {
    const k = j < e ? CLASS[b[j]!]! : UNDERSCORE; // the end closes the last part as a separator would
    let cut = k === UNDERSCORE || k === DOLLAR;
    if (!cut && start >= 0 && k === UPPER) {
      const p = CLASS[b[j - 1]!];
      cut = p === LOWER || p === DIGIT || (p === UPPER && j + 1 < e && CLASS[b[j + 1]!] === LOWER);
    }
    if (cut && start >= 0) {
      count++;
      if (j - start >= 2) keep(dict, dict.find(b, start, j, hashOf(b, start, j), create));
    }
    if (cut) start = k === UPPER ? j : -1;
    else if (start < 0) start = j;
  }
  if (count < 2) found.count = first; // one part is the word itself
}

function hashOf(b: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 0x20 : c), FNV_PRIME);
  }
  return h;
}

/** Lower-cased terms of a text: each identifier whole, and its snake_case / camelCase parts. */
export function searchTerms(text: string): string[] {
  const dict = new TermDictionary();
  scan(encoder.encode(text), dict, true);
  const out: string[] = [];
  for (let k = 0; k < found.count; k++) out.push(dict.text(found.ids[k]!));
  releaseScratch();
  return out;
}

// ------------------------------------------------------------------ term dictionary

/**
 * Lower-cased terms ↔ dense ids: the terms' bytes in one arena, and an open-addressing table of (hash, id + 1) pairs.
 * The stop words are ids too, flagged, so one lookup tells both.
 */
class TermDictionary {
  private hashes = new Int32Array(1024);
  /** Term id's bytes are arena[offsets[id], offsets[id + 1]). */
  private offsets = new Int32Array(1025);
  private arena = new Uint8Array(16384);
  private count = 0;
  /** Per term, its parts' ids partIds[partsAt[id] - 1 …] (0: not known yet) and how many. */
  private partsAt = new Int32Array(1024);
  private partsCount = new Int32Array(1024);
  private partIds = new Int32Array(1024);
  private partIdsUsed = 0;
  stop = new Uint8Array(1024);
  /** Per slot: the hash, then the term id + 1 (0: empty). */
  private table = new Int32Array(2 * 4096);

  constructor() {
    for (const w of STOP_WORDS) {
      const b = encoder.encode(w);
      this.stop[this.find(b, 0, b.length, hashOf(b, 0, b.length), true)] = 1;
    }
  }

  get size(): number {
    return this.count;
  }

  text(id: number): string {
    return ascii.decode(this.arena.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  }

  /** Appends the parts of term `id` to `found`, when known. */
  pushParts(id: number): boolean {
    const at = this.partsAt[id]! - 1;
    if (at < 0) return false;
    for (let k = at, end = at + this.partsCount[id]!; k < end; k++) pushTerm(this.partIds[k]!);
    return true;
  }

  setParts(id: number, ids: Int32Array, from: number, to: number): void {
    if (this.partIdsUsed + (to - from) > this.partIds.length) this.partIds = grownInt32(this.partIds, Math.max(this.partIds.length * 2, this.partIdsUsed + (to - from)));
    this.partIds.set(ids.subarray(from, to), this.partIdsUsed);
    this.partsAt[id] = this.partIdsUsed + 1;
    this.partsCount[id] = to - from;
    this.partIdsUsed += to - from;
  }

  /** Adds term `id` of another dictionary; returns its id here. */
  copy(from: TermDictionary, id: number): number {
    return this.find(from.arena, from.offsets[id]!, from.offsets[id + 1]!, from.hashes[id]!, true);
  }

  /** The id of bytes [s, e) lower-cased, whose hash is `h`; -1 when absent and not `create`. */
  find(b: Uint8Array, s: number, e: number, h: number, create: boolean): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    const len = e - s;
    const arena = this.arena;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = table[2 * slot + 1]!;
      if (v === 0) break;
      if (table[2 * slot] !== h) continue;
      const o = this.offsets[v - 1]!;
      if (this.offsets[v]! - o !== len) continue;
      let k = 0;
      for (; k < len; k++) {
        const c = b[s + k]!;
        if (arena[o + k] !== (c >= 65 && c <= 90 ? c | 0x20 : c)) break;
      }
      if (k === len) return v - 1;
    }
    return create ? this.add(b, s, e, h) : -1;
  }

  private add(b: Uint8Array, s: number, e: number, h: number): number {
    const id = this.count++;
    if (id + 1 === this.hashes.length) {
      this.hashes = grownInt32(this.hashes, this.hashes.length * 2);
      this.offsets = grownInt32(this.offsets, this.hashes.length + 1);
      this.partsAt = grownInt32(this.partsAt, this.hashes.length);
      this.partsCount = grownInt32(this.partsCount, this.hashes.length);
      const stop = new Uint8Array(this.hashes.length);
      stop.set(this.stop);
      this.stop = stop;
    }
    const o = this.offsets[id]!;
    if (o + (e - s) > this.arena.length) {
      const arena = new Uint8Array(Math.max(o + (e - s), this.arena.length * 2));
      arena.set(this.arena);
      this.arena = arena;
    }
    for (let k = s; k < e; k++) {
      const c = b[k]!;
      this.arena[o + k - s] = c >= 65 && c <= 90 ? c | 0x20 : c;
    }
    this.offsets[id + 1] = o + (e - s);
    this.hashes[id] = h;
    if (this.count * 2 > this.table.length >> 1) {
      this.table = new Int32Array(this.table.length * 2);
      for (let t = 0; t < this.count; t++) this.place(t);
    } else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = (this.table.length >> 1) - 1;
    let slot = this.hashes[id]! & mask;
    while (this.table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    this.table[2 * slot] = this.hashes[id]!;
    this.table[2 * slot + 1] = id + 1;
  }
}

function grownInt32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a.subarray(0, Math.min(a.length, size)));
  return out;
}

// ------------------------------------------------------------------ postings

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
const OFFSET = PAGE - 1;
/** Slice sizes by level; the last 4 bytes of a slice point to the next one. */
const SLICE = [8, 16, 32, 64, 128, 256, 512, 1024];
const TOP = SLICE.length - 1;

/**
 * Per term, an append-only list of (passage, tf) in passage order: a varint of `delta * 2 + (tf === 1)`, then the tf
 * when it is not 1. Lists grow in slices of a shared pool of 64 KB pages (addresses are page * 64K + offset).
 */
class Postings {
  private pages: Uint8Array[] = [];
  private used = PAGE;
  head = new Int32Array(0);
  private pos = new Int32Array(0);
  private end = new Int32Array(0);
  private last = new Int32Array(0);
  private level = new Uint8Array(0);
  /** Postings written per term, dead ones included. */
  count = new Int32Array(0);

  get bytes(): number {
    return this.pages.length * PAGE;
  }

  ensureTerms(n: number): void {
    if (n <= this.head.length) return;
    const size = Math.max(n, this.head.length * 2, 1024);
    this.head = grownInt32(this.head, size);
    this.pos = grownInt32(this.pos, size);
    this.end = grownInt32(this.end, size);
    this.last = grownInt32(this.last, size);
    this.count = grownInt32(this.count, size);
    const level = new Uint8Array(size);
    level.set(this.level);
    this.level = level;
  }

  append(t: number, passage: number, tf: number): void {
    if (this.count[t] === 0) {
      const at = this.alloc(SLICE[0]!);
      this.head[t] = at;
      this.pos[t] = at;
      this.end[t] = at + SLICE[0]! - 4;
      this.level[t] = 0;
      this.last[t] = -1;
    }
    const tf1 = tf === 1;
    this.put(t, (passage - this.last[t]!) * 2 + (tf1 ? 1 : 0));
    if (!tf1) this.put(t, tf);
    this.last[t] = passage;
    this.count[t]!++;
  }

  /** Live postings of a term, in passage order, into `ids`/`tfs` (at least count[t] long); returns how many. */
  decode(t: number, alive: Uint8Array, ids: Int32Array, tfs: Int32Array): number {
    const pages = this.pages;
    const total = this.count[t]!;
    let pos = this.head[t]!;
    let level = 0;
    let end = pos + SLICE[0]! - 4;
    let passage = -1;
    let n = 0;
    let read = 0;
    let pendingTf = false;
    while (read < total) {
      let v = 0;
      let shift = 0;
      let byte: number;
      do {
        if (pos === end) {
          pos = this.pointerAt(end);
          if (level < TOP) level++;
          end = pos + SLICE[level]! - 4;
        }
        byte = pages[pos >>> PAGE_BITS]![pos & OFFSET]!;
        pos++;
        v |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      let tf = 1;
      if (pendingTf) {
        tf = v;
        pendingTf = false;
      } else {
        passage += v >>> 1;
        if ((v & 1) === 0) {
          pendingTf = true;
          continue;
        }
      }
      read++;
      if (alive[passage]) {
        ids[n] = passage;
        tfs[n] = tf;
        n++;
      }
    }
    return n;
  }

  private put(t: number, value: number): void {
    let v = value;
    let pos = this.pos[t]!;
    let end = this.end[t]!;
    for (;;) {
      if (pos === end) {
        const level = Math.min(this.level[t]! + 1, TOP);
        const next = this.alloc(SLICE[level]!);
        for (let k = 0; k < 4; k++) this.pages[(end + k) >>> PAGE_BITS]![(end + k) & OFFSET] = (next >>> (8 * k)) & 0xff;
        this.level[t] = level;
        pos = next;
        end = next + SLICE[level]! - 4;
      }
      this.pages[pos >>> PAGE_BITS]![pos & OFFSET] = v > 0x7f ? (v & 0x7f) | 0x80 : v;
      pos++;
      if (v <= 0x7f) break;
      v >>>= 7;
    }
    this.pos[t] = pos;
    this.end[t] = end;
  }

  private pointerAt(at: number): number {
    const page = this.pages[at >>> PAGE_BITS]!;
    const o = at & OFFSET;
    return page[o]! | (page[o + 1]! << 8) | (page[o + 2]! << 16) | (page[o + 3]! << 24);
  }

  private alloc(size: number): number {
    if (this.used + size > PAGE) {
      this.pages.push(new Uint8Array(PAGE));
      this.used = 0;
    }
    const at = (this.pages.length - 1) * PAGE + this.used;
    this.used += size;
    return at;
  }
}

// ------------------------------------------------------------------ index

/** Dead postings below this are never worth a compaction. */
const COMPACT_MIN = 4096;

export class SearchIndex {
  private readonly windowLines: number;
  private readonly step: number;
  private dict = new TermDictionary();
  private postings = new Postings();
  // passages, by id (ids grow; a removed file's passages stay, dead, until a compaction renumbers)
  private passages = 0;
  private pDoc = new Int32Array(1024);
  private pStart = new Int32Array(1024);
  private pEnd = new Int32Array(1024);
  private pLength = new Int32Array(1024);
  private pAlive = new Uint8Array(1024);
  // documents, by id; a file's passages are the contiguous ids [docFirst, docFirst + docPassages)
  private docFile: string[] = [];
  private docFirst: number[] = [];
  private docPassages: number[] = [];
  private docPostings: number[] = [];
  private readonly byFile = new Map<string, number>();
  private livePassages = 0;
  private totalLength = 0;
  private livePostings = 0;
  private deadPostings = 0;
  // scratch of addDocument
  private tf = new Int32Array(1024);
  private touched = new Int32Array(1024);

  constructor(options: SearchOptions = {}) {
    this.windowLines = Math.max(1, options.windowLines ?? 40);
    this.step = Math.max(1, this.windowLines - Math.max(0, options.overlapLines ?? 10));
  }

  get documentCount(): number {
    return this.byFile.size;
  }

  get passageCount(): number {
    return this.livePassages;
  }

  get stats(): SearchIndexStats {
    return {
      documents: this.byFile.size,
      passages: this.livePassages,
      terms: this.dict.size,
      postings: this.livePostings,
      deadPostings: this.deadPostings,
      poolBytes: this.postings.bytes,
    };
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  /** Adds or replaces a file's passages: its text, or its bytes (UTF-8 or Latin-1, as read from disk). */
  addDocument(file: string, content: string | Uint8Array): void {
    this.removeDocument(file);
    // a plain Uint8Array view (a Node Buffer is a subclass: the loops below stay monomorphic)
    const bytes = typeof content === 'string' ? encoder.encode(content) : new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
    const dict = this.dict;
    scan(bytes, dict, true);
    const toks = found.ids;
    const lines = found.lines;
    const lineFirst = found.lineFirst;
    const doc = this.docFile.length;
    const first = this.passages;
    this.postings.ensureTerms(this.dict.size);
    if (this.tf.length < this.dict.size) this.tf = new Int32Array(Math.max(this.dict.size, this.tf.length * 2));
    const tf = this.tf;
    let postings = 0;
    for (let start = 0; start < lines; start += this.step) {
      const end = Math.min(lines, start + this.windowLines);
      const from = lineFirst[start]!;
      const to = lineFirst[end]!;
      if (this.touched.length < to - from) this.touched = new Int32Array(Math.max(to - from, this.touched.length * 2));
      const touched = this.touched;
      let distinct = 0;
      for (let k = from; k < to; k++) {
        const t = toks[k]!;
        if (tf[t]!++ === 0) touched[distinct++] = t;
      }
      if (to > from) {
        const id = this.newPassage(doc, start + 1, end, to - from);
        for (let k = 0; k < distinct; k++) {
          const t = touched[k]!;
          this.postings.append(t, id, tf[t]!);
          tf[t] = 0;
        }
        postings += distinct;
      }
      if (end >= lines) break;
    }
    this.docFile.push(file);
    this.docFirst.push(first);
    this.docPassages.push(this.passages - first);
    this.docPostings.push(postings);
    this.byFile.set(file, doc);
    this.livePostings += postings;
    releaseScratch();
    if (this.touched.length > SCRATCH_KEEP) this.touched = new Int32Array(1024);
  }

  removeDocument(file: string): void {
    const doc = this.byFile.get(file);
    if (doc === undefined) return;
    const first = this.docFirst[doc]!;
    for (let id = first; id < first + this.docPassages[doc]!; id++) {
      this.pAlive[id] = 0;
      this.livePassages--;
      this.totalLength -= this.pLength[id]!;
    }
    this.livePostings -= this.docPostings[doc]!;
    this.deadPostings += this.docPostings[doc]!;
    this.docFile[doc] = '';
    this.byFile.delete(file);
    // a bound on memory when files keep changing and nobody searches; a search compacts sooner (below)
    if (this.deadPostings > 4 * this.livePostings + COMPACT_MIN) this.compact();
  }

  /** Ranked passages; overlapping passages of one file collapse to the best one. */
  search(query: string, limit = 20): SearchHit[] {
    const qb = encoder.encode(query);
    const terms: number[] = [];
    scan(qb, this.dict, false);
    for (let k = 0; k < found.count; k++) {
      const id = found.ids[k]!;
      if (!terms.includes(id)) terms.push(id);
    }
    releaseScratch();
    if (!terms.length || !this.livePassages) return [];
    if (this.deadPostings > this.livePostings && this.deadPostings > COMPACT_MIN) this.compact();
    const n = this.livePassages;
    const avg = this.totalLength / n;
    const scores = new Float64Array(this.passages);
    const candidates: number[] = [];
    const lists: Array<{ term: number; ids: Int32Array; size: number }> = [];
    for (const t of terms) {
      const total = t < this.postings.count.length ? this.postings.count[t]! : 0;
      if (!total) continue;
      const ids = new Int32Array(total);
      const tfs = new Int32Array(total);
      const df = this.postings.decode(t, this.pAlive, ids, tfs);
      if (!df) continue;
      lists.push({ term: t, ids, size: df });
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let j = 0; j < df; j++) {
        const id = ids[j]!;
        const tf = tfs[j]!;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.pLength[id]!) / avg));
        if (scores[id] === 0) candidates.push(id);
        scores[id]! += s;
      }
    }
    const ranked = this.best(candidates, scores, limit);
    const hits: SearchHit[] = [];
    for (const id of ranked) {
      const file = this.docFile[this.pDoc[id]!]!;
      const startLine = this.pStart[id]!;
      const endLine = this.pEnd[id]!;
      if (hits.some((h) => h.file === file && h.startLine <= endLine && startLine <= h.endLine)) continue;
      const matched = lists.filter((l) => contains(l.ids, l.size, id)).map((l) => this.dict.text(l.term));
      hits.push({ file, startLine, endLine, score: scores[id]!, terms: matched });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  // ------------------------------------------------------------------ internals

  /**
   * The candidates in rank order (score, then file and line, so ties do not depend on the order files were added),
   * as many as `limit` hits can need: a passage overlaps fewer than 2 * ceil(window / step) others of its file.
   */
  private best(candidates: number[], scores: Float64Array, limit: number): number[] {
    const before = (a: number, b: number): boolean => {
      const d = scores[a]! - scores[b]!;
      if (d !== 0) return d > 0;
      const fa = this.docFile[this.pDoc[a]!]!;
      const fb = this.docFile[this.pDoc[b]!]!;
      if (fa !== fb) return fa < fb;
      return this.pStart[a]! < this.pStart[b]!;
    };
    const order = (a: number, b: number): number => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
    const keep = Math.max(1, limit) * (1 + 2 * Math.ceil(this.windowLines / this.step));
    if (candidates.length <= keep) return candidates.sort(order);
    // a heap of the best `keep`, worst on top
    const heap: number[] = [];
    const down = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let w = i;
        if (l < heap.length && before(heap[w]!, heap[l]!)) w = l;
        if (r < heap.length && before(heap[w]!, heap[r]!)) w = r;
        if (w === i) return;
        [heap[i], heap[w]] = [heap[w]!, heap[i]!];
        i = w;
      }
    };
    for (const id of candidates) {
      if (heap.length < keep) {
        heap.push(id);
        for (let i = heap.length - 1; i > 0; ) {
          const p = (i - 1) >> 1;
          if (!before(heap[p]!, heap[i]!)) break;
          [heap[i], heap[p]] = [heap[p]!, heap[i]!];
          i = p;
        }
      } else if (before(id, heap[0]!)) {
        heap[0] = id;
        down(0);
      }
    }
    return heap.sort(order);
  }

  private newPassage(doc: number, startLine: number, endLine: number, length: number): number {
    const id = this.passages++;
    if (id === this.pDoc.length) this.growPassages(id * 2);
    this.pDoc[id] = doc;
    this.pStart[id] = startLine;
    this.pEnd[id] = endLine;
    this.pLength[id] = length;
    this.pAlive[id] = 1;
    this.livePassages++;
    this.totalLength += length;
    return id;
  }

  private growPassages(size: number): void {
    this.pDoc = grownInt32(this.pDoc, size);
    this.pStart = grownInt32(this.pStart, size);
    this.pEnd = grownInt32(this.pEnd, size);
    this.pLength = grownInt32(this.pLength, size);
    const alive = new Uint8Array(size);
    alive.set(this.pAlive.subarray(0, Math.min(size, this.pAlive.length)));
    this.pAlive = alive;
  }

  /** Rewrites postings, passages, documents and terms without what removed files left (ids renumbered, order kept). */
  private compact(): void {
    const oldAlive = this.pAlive;
    const renumber = new Int32Array(this.passages);
    const [pStart, pEnd, pLength] = [this.pStart, this.pEnd, this.pLength];
    const size = Math.max(1024, this.livePassages + (this.livePassages >> 2));
    this.pDoc = new Int32Array(size);
    this.pStart = new Int32Array(size);
    this.pEnd = new Int32Array(size);
    this.pLength = new Int32Array(size);
    this.pAlive = new Uint8Array(size);
    this.passages = 0;
    this.livePassages = 0;
    this.totalLength = 0;
    const docs = { file: [] as string[], first: [] as number[], passages: [] as number[], postings: [] as number[] };
    for (let d = 0; d < this.docFile.length; d++) {
      const file = this.docFile[d]!;
      if (this.byFile.get(file) !== d) continue;
      const doc = docs.file.length;
      const first = this.docFirst[d]!;
      docs.file.push(file);
      docs.first.push(this.passages);
      docs.passages.push(this.docPassages[d]!);
      docs.postings.push(this.docPostings[d]!);
      this.byFile.set(file, doc);
      for (let id = first; id < first + this.docPassages[d]!; id++) renumber[id] = this.newPassage(doc, pStart[id]!, pEnd[id]!, pLength[id]!);
    }
    this.docFile = docs.file;
    this.docFirst = docs.first;
    this.docPassages = docs.passages;
    this.docPostings = docs.postings;
    const dict = new TermDictionary();
    const postings = new Postings();
    let ids = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    for (let t = 0; t < this.dict.size; t++) {
      const total = this.postings.count[t] ?? 0;
      if (!total) continue;
      if (ids.length < total) {
        ids = new Int32Array(total * 2);
        tfs = new Int32Array(total * 2);
      }
      const live = this.postings.decode(t, oldAlive, ids, tfs);
      if (!live) continue;
      const nt = dict.copy(this.dict, t);
      postings.ensureTerms(nt + 1);
      for (let j = 0; j < live; j++) postings.append(nt, renumber[ids[j]!]!, tfs[j]!);
    }
    this.dict = dict;
    this.postings = postings;
    this.deadPostings = 0;
    if (this.tf.length < dict.size) this.tf = new Int32Array(dict.size);
  }
}

/** Whether a sorted prefix of `ids` holds `id`. */
function contains(ids: Int32Array, size: number, id: number): boolean {
  let lo = 0;
  let hi = size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
