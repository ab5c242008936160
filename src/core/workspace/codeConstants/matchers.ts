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
    // numeric strings used as keys ('1' => 'Foo') count as numbers
    const code = /^-?\d+$/.test(t.value) ? Number(t.value) : t.value;
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
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.type !== 'punct') continue;
    if (t.value === '}') depth++;
    else if (t.value === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const name = functionNameBeforeBrace(tokens, j);
      if (name) return name;
    }
  }
  return undefined;
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
  const nameTok = tokens[k - 1];
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
 * One map per switch with at least MIN_ENTRIES labelled cases.
 */
export function switchMaps(tokens: Token[], language: Language, file: string): ConstantMap[] {
  const maps: ConstantMap[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isId(tokens[i], 'switch') || !isPunct(tokens[i + 1], '(')) continue;
    const closeParen = matchClose(tokens, i + 1);
    const subject = tokens.slice(i + 2, closeParen).map((t) => t.value).join('');
    const open = closeParen + 1;
    if (!isPunct(tokens[open], '{')) continue;
    const close = matchClose(tokens, open);
    const entries: Entry[] = [];
    const pending: CodeRead[] = [];
    for (let k = open + 1; k < close; k++) {
      const t = tokens[k]!;
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
        }
        continue;
      }
      if (isId(t, 'default') || isId(t, 'break')) {
        pending.length = 0;
        continue;
      }
      if (pending.length === 0) continue;
      const label = labelAt(tokens, k);
      if (label) {
        for (const p of pending) entries.push({ code: p.code, label, line: p.line });
        pending.length = 0;
      }
    }
    if (entries.length >= MIN_ENTRIES) {
      const name = enclosingFunctionName(tokens, i) ?? subject;
      maps.push({ name, language, shape: 'switch', entries, origin: { kind: 'code', file, line: tokens[i]!.line } });
    }
    i = open;
  }
  return maps;
}

/** A label right after `case X:` — `return 'L'`, `-> 'L'`, `$x = 'L'`, `x = "L"`. */
function labelAt(tokens: Token[], k: number): string | undefined {
  const t = tokens[k]!;
  const next = tokens[k + 1];
  if (isId(t, 'return') && next?.type === 'str' && !next.interpolated && endsStatement(tokens[k + 2])) return next.value;
  if (t.type === 'str' && !t.interpolated && isPunct(tokens[k - 1], '->')) return t.value;
  if (isPunct(t, '=') && next?.type === 'str' && !next.interpolated && endsStatement(tokens[k + 2])) return next.value;
  return undefined;
}

function endsStatement(t: Token | undefined): boolean {
  return !t || isPunct(t, ';') || isPunct(t, '}') || isId(t, 'case') || isId(t, 'break');
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
  if (!first || !isPunct(tokens[first.next], sep) || tokens[first.next + 1]?.type !== 'str') return undefined;
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  let resolved = false;
  let k = open + 1;
  while (k < close) {
    const viaResolver = resolveKey?.(tokens, k);
    if (viaResolver) resolved = true;
    const code = viaResolver ?? readCode(tokens, k);
    if (!code || !isPunct(tokens[code.next], sep)) return undefined;
    const label = tokens[code.next + 1];
    if (!label || label.type !== 'str' || label.interpolated) return undefined;
    entries.push({ code: code.code, label: label.value, line: code.line });
    k = code.next + 2;
    if (isPunct(tokens[k], ',')) k++;
    else if (k !== close) return undefined;
  }
  // a map needs at least one numeric code; all-string maps are usually config, not code tables
  if (!resolved && !entries.some((e) => typeof e.code === 'number')) return undefined;
  return { entries, close };
}

/** A list of pairs: Python `((1, 'A'), (2, 'B'))`, `[(1, 'A')]`, TS `[[1, 'A'], [2, 'B']]`. */
export function pairListLiteral(tokens: Token[], open: number): { entries: Entry[]; close: number } | undefined {
  const head = tokens[open + 1];
  if (!isPunct(head, '(') && !isPunct(head, '[')) return undefined;
  const first = readCode(tokens, open + 2);
  if (!first || !isPunct(tokens[first.next], ',') || tokens[first.next + 1]?.type !== 'str') return undefined;
  const close = matchClose(tokens, open);
  const entries: Entry[] = [];
  let k = open + 1;
  while (k < close) {
    const t = tokens[k];
    if (!isPunct(t, '(') && !isPunct(t, '[')) return undefined;
    const code = readCode(tokens, k + 1);
    if (!code || !isPunct(tokens[code.next], ',')) return undefined;
    const label = tokens[code.next + 1];
    if (!label || label.type !== 'str' || label.interpolated) return undefined;
    let end = code.next + 2;
    if (isPunct(tokens[end], ',')) end++;
    if (!isPunct(tokens[end], ')') && !isPunct(tokens[end], ']')) return undefined;
    entries.push({ code: code.code, label: label.value, line: code.line });
    k = end + 1;
    if (isPunct(tokens[k], ',')) k++;
    else if (k !== close) return undefined;
  }
  return { entries, close };
}
