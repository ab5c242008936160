import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ParseDiagnostic } from '../sql/types';

/**
 * A small YAML tree with the line of every node: what the dbt extractors read. Built by a fast reader for the
 * block-style subset dbt properties files are written in, or — for anything outside that subset, and for invalid
 * YAML (to get the library's error messages) — by converting the `yaml` package's Document. The `yaml` lexer costs
 * several ms per 10 KB file; the fast reader is about 20× cheaper.
 */
export type YNode = YMap | YSeq | YScalar;
export type YValue = string | number | boolean | null;
export interface YMap {
  t: 'map';
  line: number;
  keys: YValue[];
  values: YNode[];
}
export interface YSeq {
  t: 'seq';
  line: number;
  items: YNode[];
}
export interface YScalar {
  t: 'scalar';
  line: number;
  value: YValue;
}

export interface YamlTree {
  root: YNode | null;
  diagnostics: ParseDiagnostic[];
  /** True when the fast reader produced the tree (false: the `yaml` package did). */
  fast: boolean;
}

/** Parses YAML text; never throws. `library: true` always uses the `yaml` package (tests compare both paths). */
export function readYamlTree(text: string, file: string, options: { library?: boolean } = {}): YamlTree {
  if (!options.library) {
    const root = readFast(text);
    if (root !== BAIL) return { root, diagnostics: [], fast: true };
  }
  return readWithLibrary(text, file);
}

export function yGet(node: YNode | null | undefined, key: string): YNode | undefined {
  if (node?.t !== 'map') return undefined;
  const i = node.keys.indexOf(key);
  return i < 0 ? undefined : node.values[i];
}

/** The scalar as a string (numbers and booleans stringified); undefined for null, collections and absent nodes. */
export function yStr(node: YNode | null | undefined): string | undefined {
  return node?.t === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

export function yItems(node: YNode | null | undefined): YNode[] {
  return node?.t === 'seq' ? node.items : [];
}

/** Plain JavaScript value of a node (like the `yaml` package's toJSON). */
export function yJs(node: YNode | null | undefined): unknown {
  if (!node) return undefined;
  if (node.t === 'scalar') return node.value;
  if (node.t === 'seq') return node.items.map(yJs);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < node.keys.length; i++) out[String(node.keys[i])] = yJs(node.values[i]);
  return out;
}

// ------------------------------------------------------------------ library path

function readWithLibrary(text: string, file: string): YamlTree {
  const lineCounter = new LineCounter();
  const diagnostics: ParseDiagnostic[] = [];
  let root: YNode | null = null;
  try {
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    for (const e of doc.errors) {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      diagnostics.push({ severity: 'error', message: `Invalid YAML: ${e.message.split('\n')[0]}`, file, line: pos.line, column: pos.col });
    }
    root = convert(doc.contents as Node | null, doc, lineCounter, 0);
  } catch (err) {
    diagnostics.push({ severity: 'error', message: `Invalid YAML: ${(err as Error).message}`, file, line: 1, column: 1 });
  }
  return { root, diagnostics, fast: false };
}

function convert(node: unknown, doc: Document, lc: LineCounter, depth: number): YNode | null {
  if (node === null || node === undefined || depth > 200) return null;
  const range = (node as { range?: [number, number, number] }).range;
  const line = range ? lc.linePos(range[0]).line : 1;
  if (isAlias(node)) return convert(node.resolve(doc), doc, lc, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    const value: YValue = v === undefined || v === null ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    return { t: 'scalar', line, value };
  }
  if (isSeq(node)) return { t: 'seq', line, items: node.items.map((i) => convert(i, doc, lc, depth + 1) ?? { t: 'scalar', line, value: null }) };
  if (isMap(node)) {
    const map: YMap = { t: 'map', line, keys: [], values: [] };
    const merged: YMap[] = [];
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? (pair.key.value as YValue) : pair.key === null ? null : String(pair.key);
      const value = convert(pair.value, doc, lc, depth + 1) ?? { t: 'scalar', line, value: null };
      // `<<: *defaults` (or a list of them): a YAML 1.1 merge key, which dbt's YAML loader applies
      if (k === '<<' && value.t === 'map') merged.push(value);
      else if (k === '<<' && value.t === 'seq' && value.items.every((v) => v.t === 'map')) merged.push(...(value.items as YMap[]));
      else {
        map.keys.push(k);
        map.values.push(value);
      }
    }
    // what the map sets itself wins; among the merged maps, the first that sets a key
    for (const m of merged) {
      m.keys.forEach((k, i) => {
        if (map.keys.includes(k)) return;
        map.keys.push(k);
        map.values.push(m.values[i]!);
      });
    }
    return map;
  }
  return null;
}

// ------------------------------------------------------------------ fast path

const BAIL = Symbol('bail');
class Bail extends Error {}
function bail(): never {
  throw new Bail();
}

/** Reads block mappings/sequences, plain/quoted scalars, one-line flow collections and | > block scalars. */
function readFast(text: string): YNode | null | typeof BAIL {
  try {
    return new FastReader(text).document();
  } catch (err) {
    if (err instanceof Bail) return BAIL;
    throw err;
  }
}

class FastReader {
  private readonly lines: string[];
  private readonly indents: number[];
  /** Index of the line being read; `col` is where reading starts on it (after `- ` of a sequence item). */
  private i = 0;

  constructor(text: string) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.includes('\r')) {
      text = text.replace(/\r\n/g, '\n');
      if (text.includes('\r')) bail(); // a lone CR: leave to the library
    }
    this.lines = text.split('\n');
    this.indents = new Array(this.lines.length);
    for (let k = 0; k < this.lines.length; k++) {
      const line = this.lines[k]!;
      // reads stay inside the string: one past its end deoptimizes the optimized reader (it is hot on a cold index)
      let n = 0;
      while (n < line.length && line.charCodeAt(n) === 32) n++;
      const c = n < line.length ? line.charCodeAt(n) : -1;
      // blank and comment-only lines have indent -1 (skipped outside block scalars)
      if (c < 0 || c === 35 /* # */) this.indents[k] = -1;
      else if (c === 9 /* tab */) bail();
      else this.indents[k] = n;
    }
  }

  document(): YNode | null {
    this.skipBlank();
    if (this.i < this.lines.length && this.lines[this.i]!.startsWith('---')) {
      if (this.lines[this.i]!.trim() !== '---') bail();
      this.i++;
      this.skipBlank();
    }
    if (this.i >= this.lines.length) return null;
    const n = this.indents[this.i]!;
    const root = this.block(n, n);
    this.skipBlank();
    if (this.i < this.lines.length) bail(); // trailing content at a lower indent, `...`, a second document
    return root;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && this.indents[this.i] === -1) this.i++;
  }

  /** The block node whose first token is on line `i` at column `col`, with `indent` as its indentation. */
  private block(indent: number, col: number): YNode {
    const rest = this.lines[this.i]!.slice(col);
    if (rest === '-' || rest.startsWith('- ')) return this.seq(indent, col);
    if (keyEnd(rest) >= 0) return this.map(indent, col);
    bail();
    return undefined as never;
  }

  private seq(indent: number, firstCol: number): YSeq {
    const seq: YSeq = { t: 'seq', line: this.i + 1, items: [] };
    let col = firstCol;
    for (;;) {
      const line = this.lines[this.i]!;
      const itemLine = this.i + 1;
      let p = col + 1;
      while (p < line.length && line.charCodeAt(p) === 32) p++;
      const rest = line.slice(p);
      if (rest === '' || rest.startsWith('#')) {
        this.i++;
        this.skipBlank();
        if (this.i < this.lines.length && this.indents[this.i]! > indent) {
          const n = this.indents[this.i]!;
          seq.items.push(this.block(n, n));
        } else seq.items.push({ t: 'scalar', line: itemLine, value: null });
      } else if (rest === '-' || rest.startsWith('- ')) {
        bail(); // - - nested compact sequence
      } else if (keyEnd(rest) >= 0 && !isFlowOrQuoted(rest)) {
        seq.items.push(this.map(p, p));
      } else {
        seq.items.push(this.value(rest, indent));
      }
      this.skipBlank();
      if (this.i >= this.lines.length) return seq;
      const n = this.indents[this.i]!;
      if (n < indent) return seq;
      if (n > indent) bail();
      const next = this.lines[this.i]!.slice(n);
      if (!(next === '-' || next.startsWith('- '))) return seq; // a key of the parent map (compact sequence)
      col = n;
    }
  }

  private map(indent: number, firstCol: number): YMap {
    const map: YMap = { t: 'map', line: this.i + 1, keys: [], values: [] };
    let col = firstCol;
    for (;;) {
      const line = this.lines[this.i]!;
      const rest = line.slice(col);
      const end = keyEnd(rest);
      if (end < 0 || isFlowOrQuoted(rest)) bail();
      const rawKey = rest.slice(0, end).trimEnd();
      if (!rawKey || KEY_INDICATORS.includes(rawKey[0]!)) bail();
      const key = plainValue(rawKey);
      if (map.keys.includes(key)) bail(); // duplicate keys: let the library decide
      let p = end + 1;
      while (p < rest.length && rest.charCodeAt(p) === 32) p++;
      const after = rest.slice(p);
      let value: YNode;
      if (after === '' || after.startsWith('#')) {
        const keyLine = this.i + 1;
        this.i++;
        this.skipBlank();
        const n = this.i < this.lines.length ? this.indents[this.i]! : -1;
        const nextText = n >= 0 ? this.lines[this.i]!.slice(n) : '';
        if (n > indent) value = this.block(n, n);
        else if (n === indent && (nextText === '-' || nextText.startsWith('- '))) value = this.seq(n, n);
        else value = { t: 'scalar', line: keyLine, value: null };
      } else value = this.value(after, indent);
      map.keys.push(key);
      map.values.push(value);
      this.skipBlank();
      if (this.i >= this.lines.length) return map;
      const n = this.indents[this.i]!;
      if (n < indent) return map;
      if (n > indent) bail();
      col = n;
      const next = this.lines[this.i]!.slice(n);
      if (next === '-' || next.startsWith('- ')) return map; // the parent sequence's next item, or invalid
    }
  }

  /** An inline value starting at `text` on line i; consumes the line (and a block scalar's lines). */
  private value(text: string, indent: number): YNode {
    const line = this.i + 1;
    const c = text[0]!;
    let node: YNode;
    if (c === '|' || c === '>') return this.blockScalar(text, indent);
    if (c === '"' || c === "'") {
      const q = quoted(text, 0);
      if (!q || !trailingOk(text.slice(q.end))) bail();
      node = { t: 'scalar', line, value: q!.value };
    } else if (c === '[') node = { t: 'seq', line, items: flowSeq(text, line) };
    else if (c === '{') node = flowMap(text, line);
    else if ('&*!%@`?,]}'.includes(c) || text.startsWith('- ') || text === '-') bail();
    else {
      const plain = stripComment(text);
      if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t')) bail();
      node = { t: 'scalar', line, value: plainValue(plain) };
    }
    this.i++;
    this.skipBlank();
    // a more-indented line after an inline value is a multi-line scalar: not handled here
    if (this.i < this.lines.length && this.indents[this.i]! > indent) bail();
    return node;
  }

  private blockScalar(header: string, indent: number): YScalar {
    const line = this.i + 1;
    const m = /^([|>])([-+]?)(\s+#.*|\s*)$/.exec(header);
    if (!m || m[2] === '+') bail();
    const literal = m![1] === '|';
    const strip = m![2] === '-';
    this.i++;
    const body: string[] = [];
    let blockIndent = -1;
    let leadingBlank = 0;
    for (; this.i < this.lines.length; this.i++) {
      const raw = this.lines[this.i]!;
      const n = leadingSpaces(raw);
      if (n === raw.length) {
        // whitespace-only line: part of the scalar as an empty line
        if (blockIndent >= 0 && n > blockIndent) bail();
        leadingBlank = Math.max(leadingBlank, n);
        body.push('');
        continue;
      }
      if (blockIndent < 0) {
        if (n <= indent) break;
        blockIndent = n;
        if (leadingBlank > blockIndent) bail();
      } else if (n < blockIndent) break;
      if (raw.charCodeAt(n) === 9) bail();
      if (n > blockIndent && !literal) bail(); // folded more-indented lines keep their breaks: leave to the library
      body.push(raw.slice(blockIndent));
    }
    // trailing empty lines belong to the chomping, not the content
    while (body.length && body[body.length - 1] === '') body.pop();
    if (blockIndent < 0 && body.length === 0) {
      this.skipBlank();
      return { t: 'scalar', line, value: '' };
    }
    let text: string;
    if (literal) text = body.join('\n');
    else {
      text = '';
      for (let k = 0; k < body.length; k++) {
        const l = body[k]!;
        if (l === '') text += '\n';
        else text += k > 0 && body[k - 1] !== '' ? ' ' + l : l;
      }
    }
    this.skipBlank();
    return { t: 'scalar', line, value: strip ? text : text + '\n' };
  }
}

function leadingSpaces(s: string): number {
  let n = 0;
  while (n < s.length && s.charCodeAt(n) === 32) n++;
  return n;
}

function isFlowOrQuoted(rest: string): boolean {
  const c = rest[0];
  return c === '"' || c === "'" || c === '[' || c === '{';
}

/** Offset of the `:` ending a plain mapping key on this line (followed by space or end), or -1. */
function keyEnd(rest: string): number {
  let hash = -2;
  for (let p = rest.indexOf(':'); p >= 0; p = rest.indexOf(':', p + 1)) {
    if (hash === -2) hash = rest.indexOf(' #');
    if (hash >= 0 && hash < p) return -1;
    if (p + 1 === rest.length || rest.charCodeAt(p + 1) === 32) return p;
  }
  return -1;
}

function stripComment(s: string): string {
  const hash = s.indexOf(' #');
  return (hash >= 0 ? s.slice(0, hash) : s).trimEnd();
}

function trailingOk(s: string): boolean {
  const t = s.trimStart();
  return t === '' || (t.startsWith('#') && s.length > t.length);
}

/** Characters that cannot start a plain key (indicators, quotes, flow collections). */
const KEY_INDICATORS = "-?:,[]{}#&*!|>'\"%@`";
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** YAML 1.2 core schema resolution of a plain scalar (what the `yaml` package does by default). */
function plainValue(s: string): YValue {
  const c = s.charCodeAt(0);
  // only these can start a number (digits, sign, `.` of .5/.inf/.nan); anything else is a string, null or a boolean
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) {
    if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
    if (s === 'true' || s === 'True' || s === 'TRUE') return true;
    if (s === 'false' || s === 'False' || s === 'FALSE') return false;
    return s;
  }
  if (CORE_NULL.test(s)) return null;
  if (CORE_BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (CORE_INT.test(s)) return parseInt(s, 10);
  if (CORE_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (CORE_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (CORE_NAN_INF.test(s)) return s.endsWith('nan') || s.endsWith('NaN') || s.endsWith('NAN') ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (CORE_FLOAT_EXP.test(s) || CORE_FLOAT.test(s)) return parseFloat(s);
  return s;
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };

/** A quoted scalar starting at `from` and closed on the same line; undefined when not closed or unusual. */
function quoted(s: string, from: number): { value: string; end: number } | undefined {
  const q = s[from];
  let out = '';
  for (let p = from + 1; p < s.length; p++) {
    const ch = s[p]!;
    if (q === "'") {
      if (ch === "'") {
        if (s[p + 1] === "'") {
          out += "'";
          p++;
          continue;
        }
        return { value: out, end: p + 1 };
      }
      out += ch;
      continue;
    }
    if (ch === '"') return { value: out, end: p + 1 };
    if (ch === '\\') {
      const e = s[p + 1] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(p + 2, p + 6))) {
        out += String.fromCharCode(parseInt(s.slice(p + 2, p + 6), 16));
        p += 5;
        continue;
      }
      const r = ESCAPES[e];
      if (r === undefined) return undefined;
      out += r;
      p++;
      continue;
    }
    out += ch;
  }
  return undefined;
}

/** `[a, 'b', 3]` on one line with scalar items only. */
function flowSeq(text: string, line: number): YNode[] {
  const items: YNode[] = [];
  let p = 1;
  for (;;) {
    while (text[p] === ' ') p++;
    if (text[p] === ']') break;
    const item = flowScalar(text, p, line);
    items.push(item.node);
    p = item.end;
    while (text[p] === ' ') p++;
    if (text[p] === ',') p++;
    else if (text[p] === ']') break;
    else bail();
  }
  if (!trailingOk(text.slice(p + 1))) bail();
  return items;
}

/** `{a: 1, b: 'x'}` on one line with scalar values only. */
function flowMap(text: string, line: number): YMap {
  const map: YMap = { t: 'map', line, keys: [], values: [] };
  let p = 1;
  for (;;) {
    while (text[p] === ' ') p++;
    if (text[p] === '}') break;
    const colon = text.indexOf(': ', p);
    if (colon < 0) bail();
    const rawKey = text.slice(p, colon).trim();
    if (!rawKey || /[,[\]{}#&*!|>'"%@`?:]/.test(rawKey)) bail();
    const key = plainValue(rawKey);
    if (map.keys.includes(key)) bail();
    const item = flowScalar(text, colon + 2, line);
    map.keys.push(key);
    map.values.push(item.node);
    p = item.end;
    while (text[p] === ' ') p++;
    if (text[p] === ',') p++;
    else if (text[p] === '}') break;
    else bail();
  }
  if (!trailingOk(text.slice(p + 1))) bail();
  return map;
}

function flowScalar(text: string, p: number, line: number): { node: YScalar; end: number } {
  while (text[p] === ' ') p++;
  const c = text[p];
  if (c === '"' || c === "'") {
    const q = quoted(text, p);
    if (!q) bail();
    return { node: { t: 'scalar', line, value: q!.value }, end: q!.end };
  }
  let e = p;
  while (e < text.length && !',]}'.includes(text[e]!)) e++;
  const raw = text.slice(p, e).trim();
  if (!raw || /[[{#&*!|>'"%@`?]|: |:$/.test(raw) || raw.startsWith('- ')) bail();
  return { node: { t: 'scalar', line, value: plainValue(raw) }, end: e };
}
