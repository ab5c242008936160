/**
 * Whether formatted SQL still means what its input meant, as the database and as dbt's Jinja see it. sql-formatter
 * lays SQL out by its Redshift grammar and does not know every operator a workspace uses, nor that whitespace next to
 * a Jinja tag is part of what the template renders; this is what lets Quarry refuse a formatting rather than change
 * a query.
 */
import { tokenize, type Token } from './tokenizer';

/** What separates a token from the one before it: nothing, spaces, or a line break. */
const enum Gap {
  None = 0,
  Space = 1,
  Line = 2,
}

interface Placed {
  token: Token;
  /** The gap before the token once dbt has rendered the text (see laidOut). */
  before: Gap;
  /** Its index among all placed tokens (see withoutSilentTags). */
  index: number;
}

const DASH = 45;

function isJinja(t: Token): boolean {
  return t.kind === 'jinja';
}

/** `{{ … }}`: renders text (a `{% %}` statement or `{# #}` comment renders none of its own). */
function isExpression(t: Token): boolean {
  return t.kind === 'jinja' && t.text.startsWith('{{');
}

/** Punctuation whose spacing no rendering changes the meaning of. */
function isLoosePunct(t: Token): boolean {
  return t.kind === 'punct' && (t.text === '(' || t.text === ')' || t.text === ',' || t.text === ';' || t.text === '[' || t.text === ']');
}

function isString(t: Token): boolean {
  return t.kind === 'string' || t.kind === 'dollarString';
}

/**
 * The tokens but whitespace, each with the gap before it as Jinja renders the text: a tag opened with `{%-`, `{{-` or
 * `{#-` removes the whitespace before it, one closed with `-%}`, `-}}` or `-#}` the whitespace after it.
 */
function laidOut(tokens: Token[]): Placed[] {
  const out: Placed[] = [];
  let gap = Gap.None;
  let stripNext = false;
  for (const t of tokens) {
    if (t.kind === 'whitespace') {
      gap = Math.max(gap, t.text.includes('\n') ? Gap.Line : Gap.Space);
      continue;
    }
    const stripsBefore = isJinja(t) && t.text.charCodeAt(2) === DASH;
    out.push({ token: t, before: stripNext || stripsBefore ? Gap.None : gap, index: out.length });
    stripNext = isJinja(t) && t.text.length >= 5 && t.text.charCodeAt(t.text.length - 3) === DASH;
    gap = Gap.None;
  }
  return out;
}

/** What must stay equal for two tokens to mean the same: case is free in keywords and plain names, layout in comments. */
function meaning(t: Token): string {
  switch (t.kind) {
    case 'keyword':
    case 'identifier':
      return t.value ?? t.text.toLowerCase();
    case 'comment':
      return t.text.replace(/\s+/g, ' ').trim();
    default:
      return t.text;
  }
}

function shown(t: Token | undefined): string {
  if (!t) return 'nothing';
  const text = t.text.replace(/\s+/g, ' ');
  return `\`${text.length > 40 ? text.slice(0, 40) + '…' : text}\``;
}

function at(t: Token): string {
  return `at line ${t.line}, column ${t.column}`;
}

/** The text as Jinja renders its whitespace, every tag kept in place; and where each placed token starts in it. */
function rendered(placed: Placed[]): { text: string; starts: number[] } {
  let text = '';
  const starts: number[] = [];
  for (const p of placed) {
    text += p.before === Gap.Line ? '\n' : p.before === Gap.Space ? ' ' : '';
    starts.push(text.length);
    text += p.token.text;
  }
  return { text, starts };
}

/** The placed token whose rendered text holds `offset`. */
function placedAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A `{% … %}` statement or `{# … #}` comment: renders no text of its own where it stands. */
function isSilentTag(t: Token): boolean {
  return t.kind === 'jinja' && !t.text.startsWith('{{');
}

/**
 * The placed tokens without silent tags, each gap the widest of those it stood for: `a{% if x %}b` renders `ab` (or
 * `a`), `a {% if x %}b` renders `a b`; that is what decides whether its neighbours touch.
 */
function withoutSilentTags(placed: Placed[]): Placed[] {
  const out: Placed[] = [];
  let gap = Gap.None;
  for (const p of placed) {
    gap = Math.max(gap, p.before);
    if (isSilentTag(p.token)) continue;
    out.push({ token: p.token, before: gap, index: p.index });
    gap = Gap.None;
  }
  return out;
}

/** Tokens that must keep a line break after them when the input had one (see meaningChange). */
function needsLineAfter(prev: Token, cur: Token): boolean {
  return isExpression(prev) || (isString(prev) && isString(cur));
}

/**
 * The output with the line breaks put back that the formatter took out where they carry meaning: after `{{ … }}`
 * (`(\n  {{ sql }}\n)` became `({{ sql }})`, and a model ending in a `--` comment then comments out the `)`), and
 * between two string literals (only a line break makes `'a'\n'b'` one string). `output` must hold the input's
 * tokens (it is returned as it is otherwise).
 */
export function keepLineBreaks(input: Token[], output: string): string {
  const a = withoutSilentTags(laidOut(input));
  const placed = laidOut(tokenize(output));
  const b = withoutSilentTags(placed);
  if (a.length !== b.length) return output;
  let fixed = '';
  let from = 0;
  for (let k = 1; k < a.length; k++) {
    if (a[k]!.before !== Gap.Line || b[k]!.before === Gap.Line || !needsLineAfter(a[k - 1]!.token, a[k]!.token)) continue;
    // the first gap on the way to the next token that no whitespace control takes away
    let after = b[k - 1]!.index;
    while (after < b[k]!.index - 1 && strips(placed[after]!.token, placed[after + 1]!.token)) after++;
    const prev = placed[after]!.token;
    const next = placed[after + 1]!.token;
    const lineStart = output.lastIndexOf('\n', b[k - 1]!.token.offset - 1) + 1;
    const indent = /^[ \t]*/.exec(output.slice(lineStart))![0];
    fixed += output.slice(from, prev.end) + '\n' + indent;
    from = next.offset;
  }
  return from === 0 ? output : fixed + output.slice(from);
}

/** True when whitespace control removes the whitespace between these two neighbours. */
function strips(left: Token, right: Token): boolean {
  return (isJinja(left) && left.text.length >= 5 && left.text.charCodeAt(left.text.length - 3) === DASH) || (isJinja(right) && right.text.charCodeAt(2) === DASH);
}

/**
 * Why `output` (the formatting of the text whose tokens are `input`) does not mean what the input means, or undefined
 * when it does. The output must hold the input's tokens in order (dbt Jinja blocks byte-identical), but for
 * whitespace, the case of keywords and plain names and the layout inside comments; and where whitespace is meaning,
 * keep it:
 * - a Jinja expression glued to a name, an operator or another expression stays glued, and one apart stays apart
 *   (`{{ prefix }}_amount` is one column, `{{ prefix }} _amount` two);
 * - a line break after `{{ … }}`, or between two string literals, stays (see keepLineBreaks);
 * - no `--` comment takes in code that a tag's whitespace control brings onto its line.
 */
export function meaningChange(input: Token[], output: string): string | undefined {
  const a = laidOut(input);
  const b = laidOut(tokenize(output));
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k]?.token;
    const y = b[k]?.token;
    if (x && y && meaning(x) === meaning(y)) continue;
    if ((x && isJinja(x)) || (y && isJinja(y))) return 'the formatter would change dbt Jinja blocks';
    const where = x ?? a[a.length - 1]?.token;
    return `the formatter would change the SQL${where ? ' ' + at(where) : ''} (${shown(x)} would become ${shown(y)})`;
  }
  const va = withoutSilentTags(a);
  const vb = withoutSilentTags(b);
  for (let k = 1; k < va.length; k++) {
    const prev = va[k - 1]!.token;
    const cur = va[k]!.token;
    const was = va[k]!.before;
    const now = vb[k]!.before;
    if ((isExpression(prev) || isExpression(cur)) && !isLoosePunct(prev) && !isLoosePunct(cur) && (was === Gap.None) !== (now === Gap.None)) {
      const what = was === Gap.None ? 'split' : 'join';
      return `the formatter would ${what} ${shown(prev)} and ${shown(cur)} ${at(cur)}, which changes what dbt renders`;
    }
    if (needsLineAfter(prev, cur) && was === Gap.Line && now !== Gap.Line) {
      return `the formatter would remove the line break after ${shown(prev)} ${at(prev)}`;
    }
  }
  const ra = rendered(a);
  const rb = rendered(b);
  const ta = tokenize(ra.text, { skipWhitespace: true });
  const tb = tokenize(rb.text, { skipWhitespace: true });
  for (let k = 0; k < Math.max(ta.length, tb.length); k++) {
    const x = ta[k];
    const y = tb[k];
    if (x && y && meaning(x) === meaning(y)) continue;
    const near = a[placedAt(ra.starts, (x ?? ta[ta.length - 1])?.offset ?? 0)]?.token;
    return `the formatter would change the SQL as dbt renders it${near ? ' ' + at(near) : ''}: a -- comment would take in the code after it`;
  }
  return undefined;
}
