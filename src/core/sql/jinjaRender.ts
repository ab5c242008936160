/**
 * The static part of a dbt model's Jinja, rendered as dbt would: `{% set x = <literal> %}`, `{% for x in <list> %}`
 * over a literal list (or a variable set to one), `loop.index`/`first`/`last`/…, `{% if %}` on those, and `{{ x }}` of
 * the variables they bind. This is how models write their pivots (`{% for m in methods %} sum(…) as {{ m }}_amount,
 * {% endfor %}`), whose columns the catalog could not otherwise name. Everything else (`ref()`, `is_incremental()`,
 * macros, filters) is left exactly as written, for the caller to read or refuse; so is a construct it cannot evaluate.
 * Rendered offsets map back to the source (a rendered value to its `{{ }}`), so facts keep their place in the file.
 */
import { textPositions } from '../textPositions';
import { dbtRelationIn } from './jinja';
import { readLiteral, type JinjaLiteral } from './jinjaLiteral';

export interface StaticRender {
  text: string;
  /** Whether anything was rendered (else `text` is the source itself). */
  changed: boolean;
  /** The offset in the source that rendered offset `at` comes from. */
  sourceOffset(at: number): number;
  /** The 1-based line and column in the source that rendered offset `at` comes from. */
  sourcePosition(at: number): { line: number; column: number };
}

/**
 * Unrolled loop bodies beyond this many characters, or past this many nodes rendered, are not rendered (the source
 * stays as written): a real model renders a few thousand nodes.
 */
const MAX_OUTPUT = 4_000_000;
const MAX_STEPS = 20_000;
const MAX_DEPTH = 16;

type Tag = { start: number; end: number; inner: string; trimBefore: boolean; trimAfter: boolean };

type Node =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'expr' | 'opaque'; tag: Tag }
  | { kind: 'set'; tag: Tag; name: string; value: string }
  | { kind: 'for'; open: Tag; close: Tag; target: string; iterable: string; body: Node[]; elseTag?: Tag; elseBody?: Node[] }
  | { kind: 'if'; branches: Array<{ tag: Tag; condition?: string; body: Node[] }>; close: Tag };

class Unrenderable extends Error {}

export function renderStaticJinja(source: string): StaticRender {
  const unchanged = withPositions(source, { text: source, changed: false, sourceOffset: (at) => at });
  // no statement: no variable to render (a model's `{{ ref() }}`s alone are not worth parsing)
  if (!source.includes('{%')) return unchanged;
  let nodes: Node[];
  try {
    nodes = parse(source);
  } catch (err) {
    if (err instanceof Unrenderable) return unchanged;
    throw err;
  }
  if (!nodes.some(hasStatic)) return unchanged;
  const out = new Output(source);
  try {
    renderNodes(nodes, new Map(), out, 0);
  } catch (err) {
    if (err instanceof Unrenderable) return unchanged;
    throw err;
  }
  return out.result();
}

function hasStatic(n: Node): boolean {
  return n.kind === 'set' || n.kind === 'for' || n.kind === 'if';
}

// ---- parsing ----

/** The tags and text of a template, `{% raw %}` bodies as text; throws Unrenderable on an unterminated tag or block. */
function parse(source: string): Node[] {
  const tags = scanTags(source);
  let k = 0;
  let nesting = 0;
  const block = (until: Set<string>): { nodes: Node[]; stop?: Tag; word?: string } => {
    if (++nesting > MAX_DEPTH) throw new Unrenderable(); // deeper blocks than any model writes: left as written
    try {
      return blockAt(until);
    } finally {
      nesting--;
    }
  };
  const blockAt = (until: Set<string>): { nodes: Node[]; stop?: Tag; word?: string } => {
    const nodes: Node[] = [];
    let at = k === 0 ? 0 : tags[k - 1]!.end;
    // whitespace control is lexical, as in Jinja: `-%}` trims the text after the tag, `{%-` the text before it,
    // whether the tag renders once, many times or not at all
    const text = (start: number, end: number, before: Tag | undefined, after: Tag | undefined): void => {
      if (before?.trimAfter) while (start < end && /\s/.test(source[start]!)) start++;
      if (after?.trimBefore) while (end > start && /\s/.test(source[end - 1]!)) end--;
      if (end > start) nodes.push({ kind: 'text', start, end });
    };
    for (; k < tags.length; ) {
      const tag = tags[k]!;
      if (tag.start > at) text(at, tag.start, k === 0 ? undefined : tags[k - 1], tag);
      at = tag.end;
      k++;
      const kind = source.slice(tag.start, tag.start + 2);
      if (kind === '{{') {
        nodes.push({ kind: 'expr', tag });
        continue;
      }
      if (kind === '{#') {
        nodes.push({ kind: 'opaque', tag });
        continue;
      }
      const word = /^[a-z_]+/.exec(tag.inner)?.[0] ?? '';
      if (until.has(word)) return { nodes, stop: tag, word };
      if (word === 'set') {
        const m = /^set\s+([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(tag.inner);
        // `{% set x %}…{% endset %}` captures its body: x holds text this renderer does not keep (an empty value, so
        // the tag stays as written and x is unknown from here), and the body is left for the caller to read
        const block = m ? undefined : /^set\s+([A-Za-z_]\w*)\s*(?:\|[\s\S]*)?$/.exec(tag.inner);
        nodes.push(m ? { kind: 'set', tag, name: m[1]!, value: m[2]! } : block ? { kind: 'set', tag, name: block[1]!, value: '' } : { kind: 'opaque', tag });
      } else if (word === 'for') {
        const m = /^for\s+([A-Za-z_]\w*)\s+in\s+([\s\S]+)$/.exec(tag.inner);
        const inner = block(new Set(['endfor', 'else']));
        if (!inner.stop) throw new Unrenderable();
        let elseTag: Tag | undefined;
        let elseBody: Node[] | undefined;
        let close = inner.stop;
        if (inner.word === 'else') {
          elseTag = inner.stop;
          const rest = block(new Set(['endfor']));
          if (!rest.stop) throw new Unrenderable();
          elseBody = rest.nodes;
          close = rest.stop;
        }
        // `for a, b in …`, `for x in xs if …` and `recursive` loops are not rendered: the loop stays as written
        const plain = m && !/\s(if|recursive)\s|\srecursive$/.test(` ${m[2]!} `);
        nodes.push({ kind: 'for', open: tag, close, target: plain ? m[1]! : '', iterable: plain ? m[2]! : '', body: inner.nodes, elseTag, elseBody });
        at = close.end;
      } else if (word === 'if') {
        const branches: Array<{ tag: Tag; condition?: string; body: Node[] }> = [];
        let branchTag = tag;
        let condition: string | undefined = tag.inner.slice(2).trim();
        for (;;) {
          const inner = block(new Set(['elif', 'else', 'endif']));
          if (!inner.stop) throw new Unrenderable();
          branches.push({ tag: branchTag, condition, body: inner.nodes });
          if (inner.word === 'endif') {
            nodes.push({ kind: 'if', branches, close: inner.stop });
            at = inner.stop.end;
            break;
          }
          branchTag = inner.stop;
          condition = inner.word === 'elif' ? inner.stop.inner.slice(4).trim() : undefined;
        }
      } else if (word === 'raw') {
        // `{% raw %}…{% endraw %}`: nothing inside is Jinja
        const end = /\{%-?\s*endraw\s*-?%\}/g;
        end.lastIndex = tag.end;
        const m = end.exec(source);
        if (!m) throw new Unrenderable();
        nodes.push({ kind: 'opaque', tag: { start: tag.start, end: m.index + m[0].length, inner: '', trimBefore: false, trimAfter: false } });
        at = m.index + m[0].length;
        while (k < tags.length && tags[k]!.start < at) k++;
        if (k < tags.length && tags[k]!.start > at) {
          text(at, tags[k]!.start, undefined, tags[k]);
          at = tags[k]!.start;
        }
      } else if (['endfor', 'endif', 'elif', 'else'].includes(word)) {
        throw new Unrenderable(); // a block closed that this level did not open
      } else nodes.push({ kind: 'opaque', tag });
    }
    if (at < source.length) text(at, source.length, k === 0 ? undefined : tags[k - 1], undefined);
    return { nodes };
  };
  const top = block(new Set());
  return top.nodes;
}

/** Every `{{ }}`, `{% %}` and `{# #}` of the source, in order (quotes inside a tag respected). */
function scanTags(source: string): Tag[] {
  const tags: Tag[] = [];
  const open = /\{[{%#]/g;
  for (let m = open.exec(source); m; m = open.exec(source)) {
    const kind = m[0][1]!;
    const closer = kind === '{' ? '}}' : kind === '%' ? '%}' : '#}';
    let i = m.index + 2;
    let quote = '';
    for (; i < source.length; i++) {
      const c = source[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (kind !== '#' && (c === '"' || c === "'")) quote = c;
      else if (c === closer[0] && source[i + 1] === closer[1]) break;
    }
    if (i >= source.length) throw new Unrenderable();
    const end = i + 2;
    const body = source.slice(m.index + 2, end - 2);
    const trimBefore = body.startsWith('-');
    const trimAfter = body.endsWith('-');
    const inner = body.slice(trimBefore || body.startsWith('+') ? 1 : 0, trimAfter || body.endsWith('+') ? -1 : undefined).trim();
    tags.push({ start: m.index, end, inner, trimBefore, trimAfter });
    open.lastIndex = end;
  }
  return tags;
}

// ---- rendering ----

type Value = JinjaLiteral | LoopInfo | RelationCall;
interface LoopInfo {
  [LOOP]: true;
  index: number;
  length: number;
}
/** `{% set rel = ref('m') %}`: the call, written back as `{{ ref('m') }}` where `{{ rel }}` uses it. */
interface RelationCall {
  [RELATION]: string;
}
type Env = Map<string, Value>;

const RELATION = Symbol('relation');

function isRelation(v: Value | undefined): v is RelationCall {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Partial<RelationCall>)[RELATION] === 'string';
}

/** The loop object of a loop being unrolled, told apart from a dict literal by its `loop` mark (a key no dict gets). */
const LOOP = Symbol('loop');
function isLoop(v: Value | undefined): v is LoopInfo {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Partial<LoopInfo>)[LOOP] === true;
}

/** Rendered text in chunks, each knowing where in the source it comes from. */
class Output {
  private readonly chunks: Array<{ text: string; src: number; linear: boolean }> = [];
  private size = 0;
  private steps = 0;
  changed = false;

  /** Counts a node rendered: nested loops multiply, and a template that would take too long is left as written. */
  step(): void {
    if (++this.steps > MAX_STEPS) throw new Unrenderable();
  }

  constructor(private readonly source: string) {}

  copy(start: number, end: number): void {
    if (start < end) this.push(this.source.slice(start, end), start, true);
  }

  /** A value rendered in place of the tag at `src`. */
  value(text: string, src: number): void {
    this.changed = true;
    if (text) this.push(text, src, false);
  }

  /** A tag rendered away (its whitespace control was applied to the text around it when parsed). */
  dropTag(): void {
    this.changed = true;
  }

  /** A tag kept as written. */
  keepTag(tag: Tag): void {
    this.push(this.source.slice(tag.start, tag.end), tag.start, true);
  }

  private push(text: string, src: number, linear: boolean): void {
    this.size += text.length;
    if (this.size > MAX_OUTPUT) throw new Unrenderable();
    this.chunks.push({ text, src, linear });
  }

  result(): StaticRender {
    if (!this.changed) return withPositions(this.source, { text: this.source, changed: false, sourceOffset: (at) => at });
    const starts: number[] = [];
    let at = 0;
    for (const c of this.chunks) {
      starts.push(at);
      at += c.text.length;
    }
    const chunks = this.chunks;
    const source = this.source;
    return withPositions(source, {
      text: chunks.map((c) => c.text).join(''),
      changed: true,
      sourceOffset(offset: number): number {
        let lo = 0;
        let hi = starts.length - 1;
        if (hi < 0) return Math.min(offset, source.length);
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= offset) lo = mid;
          else hi = mid - 1;
        }
        const c = chunks[lo]!;
        return c.linear ? Math.min(c.src + (offset - starts[lo]!), source.length) : c.src;
      },
    });
  }
}

/** Adds sourcePosition: lines of the source are found once, when a position is first asked for. */
function withPositions(source: string, render: Omit<StaticRender, 'sourcePosition'>): StaticRender {
  const positionOf = textPositions(source);
  return Object.assign(render, { sourcePosition: (at: number) => positionOf(render.sourceOffset(at)) });
}

function renderNodes(nodes: Node[], env: Env, out: Output, depth: number): void {
  if (depth > MAX_DEPTH) throw new Unrenderable();
  for (const n of nodes) {
    out.step();
    switch (n.kind) {
      case 'text':
        out.copy(n.start, n.end);
        break;
      case 'opaque':
        out.keepTag(n.tag);
        break;
      case 'expr': {
        const held = env.get(n.tag.inner.trim());
        if (isRelation(held)) {
          out.value(`{{ ${held[RELATION]} }}`, n.tag.start);
          break;
        }
        const v = evaluate(n.tag.inner, env);
        if (v === undefined || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) out.keepTag(n.tag);
        else out.value(typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v), n.tag.start);
        break;
      }
      case 'set': {
        const call = n.value.trim();
        if (dbtRelationIn(call)) {
          env.set(n.name, { [RELATION]: call });
          out.dropTag();
          break;
        }
        const value = readLiteral(n.value);
        if (value === undefined) {
          env.delete(n.name); // what it holds now is not known: its uses stay as written
          out.keepTag(n.tag);
        } else {
          env.set(n.name, value);
          out.dropTag();
        }
        break;
      }
      case 'for':
        renderFor(n, env, out, depth);
        break;
      case 'if':
        renderIf(n, env, out, depth);
        break;
    }
  }
}

function renderFor(n: Extract<Node, { kind: 'for' }>, env: Env, out: Output, depth: number): void {
  const items = n.target ? evaluate(n.iterable, env) : undefined;
  if (!Array.isArray(items)) {
    // not rendered: the loop as written, its body's static parts rendered with what is known outside it
    const inner: Env = new Map(env);
    if (n.target) inner.delete(n.target);
    inner.delete('loop');
    out.keepTag(n.open);
    renderNodes(n.body, inner, out, depth + 1);
    if (n.elseTag) {
      out.keepTag(n.elseTag);
      renderNodes(n.elseBody ?? [], inner, out, depth + 1);
    }
    out.keepTag(n.close);
    return;
  }
  out.dropTag();
  items.forEach((item, index) => {
    const inner: Env = new Map(env); // a set inside the loop stays inside it, as in Jinja
    inner.set(n.target, item);
    inner.set('loop', { [LOOP]: true, index, length: items.length });
    renderNodes(n.body, inner, out, depth + 1);
  });
  if (items.length === 0 && n.elseTag) {
    out.dropTag();
    renderNodes(n.elseBody ?? [], new Map(env), out, depth + 1); // the loop's scope, as its body's
  }
  out.dropTag();
}

function renderIf(n: Extract<Node, { kind: 'if' }>, env: Env, out: Output, depth: number): void {
  // the first branch whose condition holds, when every condition up to it can be told
  let taken: number | undefined;
  for (let i = 0; i < n.branches.length; i++) {
    const b = n.branches[i]!;
    if (b.condition === undefined) {
      taken = i;
      break;
    }
    const v = evaluate(b.condition, env);
    if (v === undefined) {
      taken = -1;
      break;
    }
    if (truthy(v)) {
      taken = i;
      break;
    }
  }
  if (taken === -1) {
    // not told here (is_incremental(), target.name …): kept as written, each branch's static parts rendered
    for (const b of n.branches) {
      out.keepTag(b.tag);
      renderNodes(b.body, env, out, depth + 1);
    }
    out.keepTag(n.close);
    return;
  }
  out.dropTag();
  if (taken !== undefined) renderNodes(n.branches[taken]!.body, env, out, depth + 1);
  out.dropTag();
}

// ---- expressions: names, loop attributes, literals, not / and / or, == / != ----

function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isLoop(v)) return true;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return !!v;
}

/** The value of a Jinja expression, or undefined when it holds anything this renderer does not know. */
function evaluate(expr: string, env: Env): Value | undefined {
  const text = expr.trim();
  if (!text) return undefined;
  // `a if cond else b` (no else: empty when cond is false), the loosest binding
  const conditional = splitTopLevel(text, ' if ');
  if (conditional.length === 2) {
    const [whenTrue, rest] = conditional as [string, string];
    const branches = splitTopLevel(rest, ' else ');
    if (branches.length > 2) return undefined;
    const cond = evaluate(branches[0]!, env);
    if (cond === undefined) return undefined;
    if (truthy(cond)) return evaluate(whenTrue, env);
    return branches.length === 2 ? evaluate(branches[1]!, env) : '';
  }
  if (conditional.length > 2) return undefined;
  // lowest precedence first: or, and, not, comparison
  for (const op of [' or ', ' and ']) {
    const parts = splitTopLevel(text, op);
    if (parts.length > 1) {
      const values = parts.map((p) => evaluate(p, env));
      if (values.some((v) => v === undefined)) return undefined;
      return op === ' or ' ? values.some((v) => truthy(v!)) : values.every((v) => truthy(v!));
    }
  }
  if (/^not\s/.test(text)) {
    const v = evaluate(text.slice(4), env);
    return v === undefined ? undefined : !truthy(v);
  }
  for (const op of [' not in ', ' in ']) {
    const parts = splitTopLevel(text, op);
    if (parts.length === 2) {
      const [a, b] = parts.map((p) => evaluate(p, env));
      if (a === undefined || b === undefined) return undefined;
      let found: boolean;
      if (Array.isArray(b)) found = b.some((x) => x === a);
      else if (typeof b === 'string' && typeof a === 'string') found = b.includes(a);
      else return undefined;
      return op === ' in ' ? found : !found;
    }
  }
  for (const op of ['==', '!=', '>=', '<=', '>', '<']) {
    const parts = splitTopLevel(text, op);
    if (parts.length === 2) {
      const [a, b] = parts.map((p) => evaluate(p, env));
      if (a === undefined || b === undefined || (a !== null && typeof a === 'object') || (b !== null && typeof b === 'object')) return undefined;
      if (op === '==') return a === b;
      if (op === '!=') return a !== b;
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return op === '>=' ? a >= b : op === '<=' ? a <= b : op === '>' ? a > b : a < b;
    }
  }
  // a few filters: `x | length`, `| upper`, `| lower`, `| trim`, `| string`
  const piped = splitTopLevel(text, '|');
  if (piped.length > 1) {
    let v = evaluate(piped[0]!, env);
    for (const f of piped.slice(1).map((p) => p.trim())) {
      if (v === undefined) return undefined;
      if (f === 'length' || f === 'count') v = Array.isArray(v) || typeof v === 'string' ? v.length : undefined;
      else if (f === 'upper' || f === 'lower' || f === 'trim') v = typeof v === 'string' ? (f === 'upper' ? v.toUpperCase() : f === 'lower' ? v.toLowerCase() : v.trim()) : undefined;
      else if (f === 'string') v = typeof v === 'string' || typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : undefined;
      else return undefined;
    }
    return v;
  }
  if (/^\(.*\)$/s.test(text) && splitTopLevel(text.slice(1, -1), ',').length === 1) return evaluate(text.slice(1, -1), env);
  const loop = /^loop\.([a-z0-9]+)$/.exec(text);
  if (loop) {
    const info = env.get('loop');
    if (!isLoop(info)) return undefined;
    const { index, length } = info;
    const attrs: Record<string, number | boolean> = {
      index: index + 1,
      index0: index,
      revindex: length - index,
      revindex0: length - index - 1,
      first: index === 0,
      last: index === length - 1,
      length,
    };
    return attrs[loop[1]!];
  }
  if (/^[A-Za-z_]\w*$/.test(text)) {
    const v = env.get(text);
    if (v !== undefined) return v;
    const lower = text.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : lower === 'none' ? null : undefined;
  }
  return readLiteral(text);
}

/** `text` split on `sep` outside quotes and brackets. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(from, i));
      from = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}
