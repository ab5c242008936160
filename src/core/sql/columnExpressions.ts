import { identifierName, isNameToken } from './identifiers';
import type { Token } from './tokenizer';
import { isWordToken } from './tokenCursor';

/** A column as written: `col`, `t.col`, `schema.table.col`. */
export interface RawColumn {
  /** Qualifier parts before the column (alias, or schema + table), folded like identifiers. */
  qualifier?: string[];
  column: string;
  token?: Token;
}

/** Single-argument wrappers that keep a column's identity for join purposes. */
const TRANSPARENT_FUNCTIONS = new Set(['lower', 'upper', 'trim', 'btrim', 'ltrim', 'rtrim']);

/** Words that are never a bare column. */
const NOT_COLUMNS = new Set(['null', 'true', 'false', 'default', 'current_date', 'current_time', 'current_timestamp', 'current_user', 'localtime', 'localtimestamp', 'session_user', 'user', 'sysdate', 'getdate']);

/**
 * When tokens[from, to) is exactly a column reference, optionally wrapped in `::type`, CAST(... AS type)
 * or a transparent function like lower(), return it with the cast type (if any).
 */
export function columnExpression(tokens: Token[], from: number, to: number, depth = 0): { col: RawColumn; castType?: string } | undefined {
  if (from >= to || depth > 16) return undefined;
  // strip `::type` suffix (type may be several words with a (modifier))
  for (let i = from + 1; i < to; i++) {
    const t = tokens[i];
    if (t.kind === 'operator' && t.text === '::') {
      const inner = columnExpression(tokens, from, i, depth + 1);
      if (!inner || !isTypeTokens(tokens, i + 1, to)) return undefined;
      return { col: inner.col, castType: typeText(tokens, i + 1, to) };
    }
    if (t.kind === 'punct' && t.text === '(') break;
  }
  const first = tokens[from];
  // wrapped in parentheses
  if (first.kind === 'punct' && first.text === '(' && tokens[to - 1].kind === 'punct' && tokens[to - 1].text === ')') {
    return columnExpression(tokens, from + 1, to - 1, depth + 1);
  }
  // cast(x as type) / lower(x)
  if (isNameToken(first) && to - from >= 4 && tokens[from + 1].kind === 'punct' && tokens[from + 1].text === '(' && tokens[to - 1].text === ')') {
    const fn = first.value;
    if (fn === 'cast') {
      for (let i = from + 2; i < to - 1; i++) {
        if (isWordToken(tokens[i], 'as')) {
          const inner = columnExpression(tokens, from + 2, i, depth + 1);
          return inner ? { col: inner.col, castType: typeText(tokens, i + 1, to - 1) } : undefined;
        }
      }
      return undefined;
    }
    if (fn !== undefined && TRANSPARENT_FUNCTIONS.has(fn)) {
      const inner = columnExpression(tokens, from + 2, to - 1, depth + 1);
      return inner ? { col: inner.col } : undefined;
    }
    return undefined;
  }
  const col = plainColumn(tokens, from, to);
  return col ? { col } : undefined;
}

/**
 * The type an expression that is not a plain column is cast to as a whole (`(a + b)::numeric(12,2)`, `sum(x)::int`,
 * `null::varchar(20)`, `cast(... as date)`), else undefined: `x + y::int` casts only `y`.
 */
export function wholeCast(tokens: Token[], from: number, to: number): string | undefined {
  if (to - from < 3) return undefined;
  const first = tokens[from]!;
  if (isWordToken(first, 'cast') && tokens[from + 1]?.kind === 'punct' && tokens[from + 1]!.text === '(' && closeOf(tokens, from + 1, to) === to - 1) {
    let depth = 0;
    for (let i = from + 2; i < to - 1; i++) {
      const t = tokens[i]!;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') depth--;
      else if (depth === 0 && isWordToken(t, 'as')) return isTypeTokens(tokens, i + 1, to - 1) ? typeText(tokens, i + 1, to - 1) : undefined;
    }
    return undefined;
  }
  // the last `::` outside brackets, whose left side is one operand (a literal, name, call, bracketed or CASE … END)
  let depth = 0;
  for (let i = to - 1; i > from; i--) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth++;
    else if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth--;
    else if (depth === 0 && t.kind === 'operator' && t.text === '::') {
      return isTypeTokens(tokens, i + 1, to) && isOneOperand(tokens, from, i) ? typeText(tokens, i + 1, to) : undefined;
    }
  }
  return undefined;
}

/** Index of the `)` closing the `(` at `open`, before `to`; -1 when none. */
function closeOf(tokens: Token[], open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')' && --depth === 0) return i;
  }
  return -1;
}

function isOneOperand(tokens: Token[], from: number, to: number): boolean {
  if (isWordToken(tokens[from], 'case')) return isWordToken(tokens[to - 1], 'end');
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    else if (depth === 0 && (t.kind === 'operator' ? t.text !== '::' : (t.kind === 'keyword' && !NOT_COLUMNS.has(t.value!)) || (t.kind === 'punct' && t.text !== '.'))) return false;
  }
  return true;
}

/** `a`, `a.b`, `a.b.c`, `a.b.c.d` exactly spanning [from, to). */
export function plainColumn(tokens: Token[], from: number, to: number): RawColumn | undefined {
  const n = to - from;
  if (n < 1 || n % 2 === 0 || n > 7) return undefined;
  const names: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if ((i - from) % 2 === 1) {
      if (!(t.kind === 'punct' && t.text === '.')) return undefined;
    } else {
      const name = identifierName(t);
      if (name === undefined) return undefined;
      names.push(name);
    }
  }
  const first = tokens[from];
  if (names.length === 1) {
    if (first.kind === 'keyword' || NOT_COLUMNS.has(names[0])) return undefined;
    return { column: names[0], token: first };
  }
  return { qualifier: names.slice(0, -1), column: names[names.length - 1], token: first };
}

function isTypeTokens(tokens: Token[], from: number, to: number): boolean {
  if (from >= to || !isNameToken(tokens[from])) return false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isNameToken(t) || t.kind === 'number') continue;
    if (t.kind === 'punct' && (t.text === '(' || t.text === ')' || t.text === ',' || t.text === '[' || t.text === ']' || t.text === '.')) continue;
    return false;
  }
  return true;
}

/** Source text of a type written across tokens[from, to), with single spaces between words. */
export function typeText(tokens: Token[], from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const glue = i === from || t.kind === 'punct' || (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']') ? '' : ' ';
    out += glue + t.text;
  }
  return out;
}
