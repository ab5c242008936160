import type { ConstantMap } from '../facts';
import { numericValue, type Token } from './lexer';

/** Token-pattern helpers shared by the per-language constant extractors. */

export type Entry = ConstantMap['entries'][number];
export type Language = ConstantMap['language'];

/** Maps with fewer entries than this are noise (a lone `case 1: return 'x'`). */
export const MIN_ENTRIES = 2;

export interface CodeRead {
  code: string | number;
  next: number;
  line: number;
}

/** Reads a code: an optional minus and a number, or a string. */
export function readCode(tokens: Token[], i: number, allowString = true): CodeRead | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.type === 'punct' && t.value === '-' && tokens[i + 1]?.type === 'num') {
    const v = numericValue(tokens[i + 1]);
    return v === undefined ? undefined : { code: -v, next: i + 2, line: t.line };
  }
  if (t.type === 'num') {
    const v = numericValue(t);
    return v === undefined ? undefined : { code: v, next: i + 1, line: t.line };
  }
  if (allowString && t.type === 'str' && !t.interpolated) {
    // numeric strings used as keys ('1' => 'Foo') count as numbers, but not '05' or '0200': written so, they are text
    // codes, and `WHEN 5` would not match the column's '05'
    const code = /^-?(?:0|[1-9]\d*)$/.test(t.value) && t.value !== '-0' ? Number(t.value) : t.value;
    return { code, next: i + 1, line: t.line };
  }
  return undefined;
}

export function isPunct(t: Token | undefined, v: string): boolean {
  return !!t && t.type === 'punct' && t.value === v;
}

export function isId(t: Token | undefined, v?: string): boolean {
  return !!t && t.type === 'id' && (v === undefined || t.value === v);
}

/** Index of the token closing the bracket opened at `open` (counting brackets of its kind only), or tokens.length. */
export function matchClose(tokens: Token[], open: number): number {
  let closes = closeIndexes.get(tokens);
  if (!closes) closeIndexes.set(tokens, (closes = bracketCloses(tokens)));
  return closes[open] ?? tokens.length;
}

/** A range of tokens [from, to): an argument of a call. */
export type TokenRange = [number, number];

/**
 * The arguments of the call whose `(` is at `open`, split at its top-level commas; no more than `reach` tokens are
 * read (an unclosed call in a broken file would otherwise run to its end).
 */
export function callArguments(tokens: Token[], open: number, reach = Infinity): TokenRange[] {
  const close = Math.min(matchClose(tokens, open), open + reach);
  const args: TokenRange[] = [];
  let from = open + 1;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) k = matchClose(tokens, k);
    else if (isPunct(t, ',')) {
      args.push([from, k]);
      from = k + 1;
    }
  }
  if (close > from) args.push([from, close]);
  return args;
}

/** The string an argument is, when it is one string literal without interpolation. */
export function plainStringArgument(tokens: Token[], range: TokenRange | undefined): Token | undefined {
  if (!range || range[1] - range[0] !== 1) return undefined;
  const t = tokens[range[0]]!;
  return t.type === 'str' && !t.interpolated ? t : undefined;
}

/**
 * The strings of a bracketed list that is the whole of `range` (`['a', 'b']`; with `tuples`, `('a', 'b')` too), each
 * item one plain string literal; undefined for anything else.
 */
export function plainStringList(tokens: Token[], range: TokenRange | undefined, tuples = false): string[] | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (!(isPunct(tokens[from], '[') || (tuples && isPunct(tokens[from], '('))) || matchClose(tokens, from) !== to - 1) return undefined;
  const values: string[] = [];
  for (const item of callArguments(tokens, from)) {
    const s = plainStringArgument(tokens, item);
    if (!s) return undefined;
    values.push(s.value);
  }
  return values;
}

/**
 * The value of the named argument `name: …` among a call's arguments (PHP named arguments, keywords, object keys), or
 * with `=`, `name = …` (Python keyword arguments, Java and C# annotation arguments).
 */
export function namedArgument(tokens: Token[], args: readonly TokenRange[], name: string, separator: ':' | '=' = ':'): TokenRange | undefined {
  for (const [from, to] of args) if (isId(tokens[from], name) && isPunct(tokens[from + 1], separator)) return [from + 2, to];
  return undefined;
}

/**
 * For each token index below `count`, the innermost of `spans` ([from, to), properly nested) that holds it: one sweep,
 * the spans open at a token being a stack.
 */
export function innermostSpan<T extends { from: number; to: number }>(count: number, spans: readonly T[]): (i: number) => T | undefined {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const at = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    while (next < sorted.length && sorted[next]!.from <= i) stack.push(next++);
    while (stack.length && sorted[stack[stack.length - 1]!]!.to <= i) stack.pop();
    if (stack.length) at[i] = stack[stack.length - 1]!;
  }
  return (i) => (at[i]! >= 0 ? sorted[at[i]!] : undefined);
}

/**
 * The tokens at the top level of the brackets opened at `open` (a body, a parameter list): blocks, argument lists and
 * index or attribute brackets stepped over whole.
 */
export function* topLevel(tokens: Token[], open: number): Generator<number> {
  const close = matchClose(tokens, open);
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === '{' || t.value === '(' || t.value === '[')) k = matchClose(tokens, k);
    else yield k;
  }
}

/**
 * The maps a language's constant reader finds, and how it adds one: a map of fewer than MIN_ENTRIES entries is noise
 * and is left out.
 */
export function constantMaps(language: Language, file: string): { maps: ConstantMap[]; add(name: string, shape: string, entries: Entry[], at: Token): void } {
  const maps: ConstantMap[] = [];
  return {
    maps,
    add(name, shape, entries, at) {
      if (entries.length >= MIN_ENTRIES) maps.push({ name, language, shape, entries, origin: { kind: 'code', file, line: at.line } });
    },
  };
}

/** Per token list, where each opening bracket closes: matchers look brackets up again and again (nested `match`, enums). */
const closeIndexes = new WeakMap<Token[], Int32Array>();

function bracketCloses(tokens: Token[]): Int32Array {
  const closes = new Int32Array(tokens.length).fill(tokens.length);
  const stacks: Record<string, number[]> = { '(': [], '[': [], '{': [] };
  const opener: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    const stack = stacks[t.value];
    if (stack) stack.push(i);
    else if (opener[t.value]) {
      const open = stacks[opener[t.value]!]!.pop();
      if (open !== undefined) closes[open] = i;
    }
  }
  return closes;
}

const CONTROL = new Set(['if', 'while', 'for', 'foreach', 'switch', 'catch', 'elseif', 'match', 'synchronized', 'function', 'fn']);

/** Name of the function/method whose body contains token `i`, if it can be seen. */
export function enclosingFunctionName(tokens: Token[], i: number): string | undefined {
  const parents = enclosingBraceIndexes(tokens);
  for (let brace = parents[i]!; brace >= 0; brace = parents[brace]!) {
    const name = functionNameBeforeBrace(tokens, brace);
    if (name) return name;
  }
  return undefined;
}

/** Per token list, the `{` each token is inside (-1 at the top): a file of many switches looks its functions up in constant time. */
const braceParents = new WeakMap<Token[], Int32Array>();

function enclosingBraceIndexes(tokens: Token[]): Int32Array {
  let parents = braceParents.get(tokens);
  if (parents) return parents;
  parents = new Int32Array(tokens.length);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === '}') open.pop();
    parents[i] = open.length ? open[open.length - 1]! : -1;
    if (t.type === 'punct' && t.value === '{') open.push(i);
  }
  braceParents.set(tokens, parents);
  return parents;
}

function functionNameBeforeBrace(tokens: Token[], brace: number): string | undefined {
  // skip a return type / throws clause: `): string {`, `) throws X {`
  let k = brace - 1;
  for (let steps = 0; k >= 0 && steps < 8 && !isPunct(tokens[k], ')'); steps++, k--) {
    const t = tokens[k]!;
    if (t.type === 'punct' && (t.value === ';' || t.value === '{' || t.value === '}' || t.value === '=')) return undefined;
  }
  if (!isPunct(tokens[k], ')')) return undefined;
  let depth = 0;
  for (; k >= 0; k--) {
    const t = tokens[k]!;
    if (isPunct(t, ')')) depth++;
    else if (isPunct(t, '(') && --depth === 0) break;
  }
  let before = k - 1;
  if (isId(tokens[before], 'async')) before--;
  // an arrow function is named by what it is assigned to: `const label = (code) => {`, `label: (code) => {`
  if ((isPunct(tokens[before], '=') || isPunct(tokens[before], ':')) && isPunct(tokens[brace - 1], '=>')) before--;
  const nameTok = tokens[before];
  if (!nameTok || nameTok.type !== 'id' || CONTROL.has(nameTok.value)) return undefined;
  return nameTok.value;
}

/**
 * Index of the `<` opening the type arguments that close with the `>` (or `>>`, lexed as one) at `close`, when they
 * are a few names, dots, commas, brackets and unions; else -1.
 */
function typeArgumentsStart(tokens: Token[], close: number): number {
  let depth = 0;
  for (let j = close; j >= 0 && j > close - 24; j--) {
    const x = tokens[j]!;
    if (isPunct(x, '>')) depth++;
    else if (isPunct(x, '>>')) depth += 2;
    else if (isPunct(x, '<')) {
      if (--depth === 0) return j;
    } else if (x.type !== 'id' && !isPunct(x, ',') && !isPunct(x, '.') && !isPunct(x, '[') && !isPunct(x, ']') && !isPunct(x, '|')) break;
  }
  return -1;
}

/**
 * The variable/constant a literal starting at `i` is assigned to: `$map = [`, `const MAP = {`, `MAP: Dict = {`,
 * `'key' => [`, `return [` (→ enclosing function), `choices=[` (→ the field being declared).
 */
export function assignedName(tokens: Token[], i: number): string | undefined {
  let k = i - 1;
  // skip `as const` / type assertions are after the literal, not before; skip `new Map(` and `array`/`Map.of(`
  // and the type arguments of `new Map<number, string>(`
  for (;;) {
    if (k >= 0 && (isPunct(tokens[k], '(') || isId(tokens[k], 'array') || isId(tokens[k], 'new') || isId(tokens[k], 'Map') || isId(tokens[k], 'of') || isPunct(tokens[k], '.'))) k--;
    else if ((isPunct(tokens[k], '>') || isPunct(tokens[k], '>>')) && isPunct(tokens[k + 1], '(')) {
      const open = typeArgumentsStart(tokens, k);
      if (open < 0) break;
      k = open - 1;
    } else break;
  }
  const t = tokens[k];
  if (!t) return undefined;
  if (isId(t, 'return')) return enclosingFunctionName(tokens, k);
  if (isPunct(t, '=>') && tokens[k - 1]?.type === 'str') return tokens[k - 1]!.value;
  if (isPunct(t, ':') && (tokens[k - 1]?.type === 'str' || tokens[k - 1]?.type === 'id')) return tokens[k - 1]!.value;
  if (!isPunct(t, '=')) return undefined;
  // walk back over a type annotation `NAME: Dict[int, str] =` or `Record<number, string>`
  let j = k - 1;
  let depth = 0;
  for (let steps = 0; j >= 0 && steps < 24; steps++, j--) {
    const x = tokens[j]!;
    if (x.type === 'punct' && (x.value === ']' || x.value === '>' || x.value === ')' || x.value === '}')) depth++;
    else if (x.type === 'punct' && (x.value === '[' || x.value === '<' || x.value === '(' || x.value === '{')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && x.type === 'id') {
      if (isPunct(tokens[j - 1], ':') && tokens[j - 2]?.type === 'id') {
        j -= 2;
      }
      break;
    }
  }
  const nameTok = tokens[j];
  if (!nameTok || nameTok.type !== 'id') return undefined;
  if (nameTok.value === 'choices') {
    // Django: `status = models.IntegerField(choices=[...])` → `status`
    let d = 0;
    for (let m = j - 1; m >= 0; m--) {
      const x = tokens[m]!;
      if (isPunct(x, ')')) d++;
      else if (isPunct(x, '(')) {
        if (d === 0) {
          for (let p = m - 1; p >= 0 && p > m - 8; p--) if (isPunct(tokens[p], '=') && tokens[p - 1]?.type === 'id') return tokens[p - 1]!.value;
          break;
        }
        d--;
      }
    }
  }
  return nameTok.value;
}

/**
 * `case CODE: return 'Label';` (PHP, Java, JS/TS), also `case CODE: $x = 'Label'; break;` and Java's `case CODE -> "Label"`.
 * Cases stacked on one body (`case 1: case 2: return 'A'`) share its label; a case whose first statement gives no
 * label (`throw`, `return null`, a call) gives none to its codes. One map per switch with at least MIN_ENTRIES
 * labelled cases; a nested switch makes its own.
 */
export function switchMaps(tokens: Token[], language: Language, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isId(tokens[i], 'switch') || !isPunct(tokens[i + 1], '(')) continue;
    const closeParen = matchClose(tokens, i + 1);
    const open = closeParen + 1;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    if (close >= tokens.length) continue; // unclosed (a file being typed): its cases would run on through the file
    const entries = switchEntries(tokens, open, close);
    if (entries.length >= MIN_ENTRIES) {
      const subject = tokens.slice(i + 2, closeParen).map((t) => t.value).join('');
      const name = enclosingFunctionName(tokens, i) ?? subject;
      maps.push({ name, language, shape: 'switch', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
  }
  return maps;
}

function switchEntries(tokens: Token[], open: number, close: number): Entry[] {
  const entries: Entry[] = [];
  const pending: CodeRead[] = [];
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (isId(t, 'switch') && isPunct(tokens[k + 1], '(')) {
      // a nested switch is read on its own; its statement is not a label of this one's case
      const body = matchClose(tokens, k + 1) + 1;
      k = isPunct(tokens[body], '{') ? matchClose(tokens, body) : k;
      pending.length = 0;
      continue;
    }
    if (isId(t, 'case')) {
      // `case 1:`, `case 1 ->`, and Java's `case 2, 3 ->`
      const codes: CodeRead[] = [];
      let code = readCode(tokens, k + 1);
      while (code && isPunct(tokens[code.next], ',')) {
        codes.push(code);
        code = readCode(tokens, code.next + 1);
      }
      if (code && (isPunct(tokens[code.next], ':') || isPunct(tokens[code.next], '->'))) {
        pending.push(...codes, code);
        k = code.next;
      } else pending.length = 0;
      continue;
    }
    if (isId(t, 'default')) {
      pending.length = 0;
      continue;
    }
    if (pending.length === 0) continue;
    // the case body's first statement: a label, or nothing for these codes
    const end = statementEnd(tokens, k, close);
    let label: Token | undefined;
    for (let m = k; m < end && !label; m++) label = labelAt(tokens, m);
    if (label && label.value.trim()) for (const p of pending) entries.push({ code: p.code, label: label.value, line: p.line });
    pending.length = 0;
    k = end - 1;
  }
  return entries;
}

/** Where the statement starting at `k` ends (before `close`): after its `;`, or at the next `case`/`default`, or a block's end. */
function statementEnd(tokens: Token[], k: number, close: number): number {
  for (let m = k; m < close; m++) {
    const t = tokens[m]!;
    if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) m = matchClose(tokens, m);
    else if (isPunct(t, ';')) return m + 1;
    else if (m > k && (isId(t, 'case') || isId(t, 'default'))) return m;
  }
  return close;
}

/** A label right after `case X:` — `return 'L'`, `-> 'L'`, `$x = 'L'`, `x = "L"`, or one of these through a translation call. */
function labelAt(tokens: Token[], k: number): Token | undefined {
  const t = tokens[k]!;
  if (isId(t, 'return') || isPunct(t, '=')) {
    const label = labelToken(tokens, k + 1);
    return label && endsStatement(tokens[label.next]) ? label.token : undefined;
  }
  if (isPunct(tokens[k - 1], '->') && k > 0) {
    const label = labelToken(tokens, k);
    return label && endsStatement(tokens[label.next]) ? label.token : undefined;
  }
  return undefined;
}

function endsStatement(t: Token | undefined): boolean {
  return !t || isPunct(t, ';') || isPunct(t, '}') || isId(t, 'case') || isId(t, 'break');
}

/**
 * Functions that translate a label, and which argument holds it: gettext and its Django/Flask forms, Laravel's,
 * WordPress's and Magento's `__()`, Symfony's `trans()`; `pgettext(context, label)` and Yii's `Yii::t(category, label)`
 * hold it second.
 */
export const TRANSLATORS: ReadonlyMap<string, number> = new Map([
  ['_', 0], ['__', 0], ['_l', 0], ['gettext', 0], ['gettext_lazy', 0], ['ugettext', 0], ['ugettext_lazy', 0], ['gettext_noop', 0],
  ['lazy_gettext', 0], ['_x', 0], ['esc_html__', 0], ['esc_attr__', 0], ['trans', 0], ['pgettext', 1], ['pgettext_lazy', 1],
]);

/**
 * The label at `k`: a plain string, or a translation call holding one (`_('Open')`, `pgettext_lazy('order', 'Open')`,
 * `Yii::t('app', 'Open')`, `__('Open', 'domain')`), with the index after it.
 */
export function labelToken(tokens: Token[], k: number): { token: Token; next: number } | undefined {
  const t = tokens[k];
  if (!t) return undefined;
  if (t.type === 'str') return t.interpolated ? undefined : { token: t, next: k + 1 };
  let call = k;
  let argument = t.type === 'id' ? TRANSLATORS.get(t.value) : undefined;
  if (isId(t, 'Yii') && isPunct(tokens[k + 1], '::') && isId(tokens[k + 2], 't')) {
    call = k + 2;
    argument = 1;
  }
  if (argument === undefined || !isPunct(tokens[call + 1], '(')) return undefined;
  const args = callArguments(tokens, call + 1, 64);
  const label = plainStringArgument(tokens, args[argument]);
  return label ? { token: label, next: matchClose(tokens, call + 1) + 1 } : undefined;
}

/**
 * A bracketed list of `CODE sep 'Label'` pairs, e.g. PHP `[1 => 'Foo']`, Python `{1: 'Foo'}`, TS `{ 1: 'Foo' }`.
 * Returns entries when every element of the literal is such a pair.
 */
export function keyValueLiteral(
  tokens: Token[],
  open: number,
  sep: string,
  resolveKey?: (tokens: Token[], k: number) => CodeRead | undefined,
): { entries: Entry[]; close: number } | undefined {
  // cheap rejection before scanning for the closing bracket: the first element must be `code sep 'label'`
  const first = resolveKey?.(tokens, open + 1) ?? readCode(tokens, open + 1);
  if (!first || !isPunct(tokens[first.next], sep) || !labelToken(tokens, first.next + 1)) return undefined;
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  let resolved = false;
  let k = open + 1;
  while (k < close) {
    const viaResolver = resolveKey?.(tokens, k);
    if (viaResolver) resolved = true;
    const code = viaResolver ?? readCode(tokens, k);
    if (!code || !isPunct(tokens[code.next], sep)) return undefined;
    const label = labelToken(tokens, code.next + 1);
    if (!label) return undefined;
    entries.push({ code: code.code, label: label.token.value, line: code.line });
    k = label.next;
    if (isPunct(tokens[k], ',')) k++;
    else if (k !== close) return undefined;
  }
  // a map needs a code that is a number, or written as one ('05'); all-string maps are usually config, not code tables
  if (!resolved && !entries.some((e) => typeof e.code === 'number' || /^-?\d+$/.test(e.code))) return undefined;
  return { entries, close };
}

/**
 * A list of pairs: Python `((1, 'A'), (2, 'B'))`, `[(1, 'A')]`, TS `[[1, 'A'], [2, 'B']]`; labels maybe translated
 * (`(1, _('A'))`), codes maybe names `resolveKey` knows (`(DRAFT, _('Draft'))`).
 */
export function pairListLiteral(
  tokens: Token[],
  open: number,
  resolveKey?: (tokens: Token[], k: number) => CodeRead | undefined,
): { entries: Entry[]; close: number } | undefined {
  const head = tokens[open + 1];
  if (!isPunct(head, '(') && !isPunct(head, '[')) return undefined;
  const first = resolveKey?.(tokens, open + 2) ?? readCode(tokens, open + 2);
  if (!first || !isPunct(tokens[first.next], ',') || !labelToken(tokens, first.next + 1)) return undefined;
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  let k = open + 1;
  while (k < close) {
    const t = tokens[k];
    if (!isPunct(t, '(') && !isPunct(t, '[')) return undefined;
    const code = resolveKey?.(tokens, k + 1) ?? readCode(tokens, k + 1);
    if (!code || !isPunct(tokens[code.next], ',')) return undefined;
    const labelRead = labelToken(tokens, code.next + 1);
    if (!labelRead) return undefined;
    const label = labelRead.token;
    let end = labelRead.next;
    if (isPunct(tokens[end], ',')) end++;
    if (!isPunct(tokens[end], ')') && !isPunct(tokens[end], ']')) return undefined;
    entries.push({ code: code.code, label: label.value, line: code.line });
    k = end + 1;
    if (isPunct(tokens[k], ',')) k++;
    else if (k !== close) return undefined;
  }
  return { entries, close };
}
