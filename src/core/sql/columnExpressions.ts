import { typeFamilyOf } from './dataTypes';
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

/** Functions whose result type does not depend on their arguments (Redshift's, which PostgreSQL shares here). */
const RESULT_TYPES: Record<string, string> = {
  count: 'bigint', row_number: 'bigint', rank: 'bigint', dense_rank: 'bigint', ntile: 'integer', datediff: 'bigint',
  length: 'integer', char_length: 'integer', len: 'integer', strpos: 'integer', position: 'integer',
  now: 'timestamp', getdate: 'timestamp', sysdate: 'timestamp', date_trunc: 'timestamp', dateadd: 'timestamp', to_timestamp: 'timestamp',
  to_date: 'date', to_char: 'varchar', md5: 'varchar(32)', concat: 'varchar', initcap: 'varchar', replace: 'varchar', substring: 'varchar',
  left: 'varchar', right: 'varchar', lpad: 'varchar', rpad: 'varchar', split_part: 'varchar',
  regexp_replace: 'varchar', regexp_substr: 'varchar', translate: 'varchar', reverse: 'varchar', repeat: 'varchar',
  concat_ws: 'varchar', listagg: 'varchar', string_agg: 'varchar', json_extract_path_text: 'varchar', to_number: 'numeric',
  percent_rank: 'double precision', cume_dist: 'double precision', date_part: 'double precision', random: 'double precision',
  last_day: 'date', convert_timezone: 'timestamp', bool_or: 'boolean', bool_and: 'boolean',
  // over a plain column these pass its type on (see TRANSPARENT_FUNCTIONS); over an expression they make a string
  lower: 'varchar', upper: 'varchar', trim: 'varchar', btrim: 'varchar', ltrim: 'varchar', rtrim: 'varchar',
};
/** Functions whose result has the type of their first argument. */
const FIRST_ARGUMENT_TYPE = new Set(['coalesce', 'nvl', 'isnull', 'nullif', 'min', 'max', 'any_value', 'first_value', 'last_value', 'lag', 'lead', 'abs', 'greatest', 'least']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/** Aggregates and rounding functions whose result type follows from their argument's (see numericFunctionType). */
export type NumericFunction = 'sum' | 'avg' | 'round' | 'ceil' | 'ceiling' | 'floor' | 'trunc';
const NUMERIC_FUNCTIONS = new Set<string>(['sum', 'avg', 'round', 'ceil', 'ceiling', 'floor', 'trunc']);

/**
 * The type of `sum`, `avg` or a rounding function over a value of `type`, where Redshift and PostgreSQL agree on its
 * family: a decimal stays `numeric`, a float gives `double precision`, and `sum` of a smallint or integer a `bigint`;
 * `trunc` of a timestamp is a `date`.
 * Undefined where they part (`sum(bigint)`: bigint in Redshift, numeric in PostgreSQL; `avg` or `round` of an
 * integer) or when the argument is not a number.
 */
export function numericFunctionType(fn: NumericFunction, type: string): string | undefined {
  const family = typeFamilyOf(type);
  // Redshift's TRUNC of a timestamp is its day (the embedded engine's trunc(timestamp) too)
  if (fn === 'trunc' && (family === 'timestamp' || family === 'date')) return 'date';
  if (family === 'numeric') return 'numeric';
  if (family === 'float') return 'double precision';
  if (fn === 'sum' && family === 'integer' && !/^\s*(bigint|int8)\b/i.test(type)) return 'bigint';
  return undefined;
}

/** A type after functions listed outermost first (`['sum', 'avg']` over x is `sum(avg(x))`, as CTEs can nest them). */
export function afterFunctions(type: string | undefined, functions: readonly NumericFunction[] | undefined): string | undefined {
  if (!functions) return type;
  for (let i = functions.length - 1; i >= 0 && type !== undefined; i--) type = numericFunctionType(functions[i]!, type);
  return type;
}

/**
 * How a computed value's type follows from what it is made of: a type; the column whose type it takes, after
 * `functions` (outermost first); or arithmetic over operands (`quantity * unit_price`, `sum(a) / count(*)`), written
 * with `ops` between them, after `functions`. `C` is how a column is named: as written, resolved, or in the catalog.
 */
export type TypeTerm<C> =
  | { type: string }
  | { column: C; functions?: NumericFunction[] }
  | { operands: Array<TypeTerm<C>>; ops: string[]; functions?: NumericFunction[] };

/** What expressionType tells (see TypeTerm). */
export type EvidentType = TypeTerm<RawColumn>;

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const NUMERIC_RANK: Partial<Record<string, number>> = { integer: 1, numeric: 2, float: 3 };

/**
 * The type of arithmetic over values of these types, where Redshift and PostgreSQL agree on its family: a float makes
 * it `double precision`, else a decimal `numeric`, else integers give `bigint` when one is, else `integer` (integer
 * division stays integer in both). Undefined over anything but numbers (dates, text): their rules differ.
 */
export function arithmeticType(types: readonly string[]): string | undefined {
  let rank = 0;
  let big = false;
  for (const t of types) {
    const r = NUMERIC_RANK[typeFamilyOf(t)];
    if (r === undefined) return undefined;
    rank = Math.max(rank, r);
    if (r === 1 && /^\s*(bigint|int8)\b/i.test(t)) big = true;
  }
  return rank === 3 ? 'double precision' : rank === 2 ? 'numeric' : rank === 1 ? (big ? 'bigint' : 'integer') : undefined;
}

/** A term's type when it has no columns left to look up; undefined when it has, or has no agreed type. */
export function closedType<C>(term: TypeTerm<C>): string | undefined {
  if ('type' in term) return term.type;
  if ('column' in term) return undefined;
  const types: string[] = [];
  for (const o of term.operands) {
    const t = closedType(o);
    if (t === undefined) return undefined;
    types.push(t);
  }
  return afterFunctions(arithmeticType(types), term.functions);
}

/** The term under one more numeric function. */
export function underFunction<C>(fn: NumericFunction, term: TypeTerm<C>): TypeTerm<C> | undefined {
  if ('type' in term) {
    const type = numericFunctionType(fn, term.type);
    return type === undefined ? undefined : { type };
  }
  return { ...term, functions: [fn, ...(term.functions ?? [])] };
}
const BOOLEAN_WORDS = new Set(['and', 'or', 'not', 'is', 'in', 'like', 'ilike', 'between', 'exists', 'similar']);

/**
 * The type an expression evidently has, for an output column that is neither a plain column nor cast as a whole: a
 * literal, a function with a fixed result type (`count(*)`, `row_number() over (…)`), a comparison or other boolean
 * expression, `||`, or a CASE whose branches are literals; or the column whose type it takes without passing it on
 * (`coalesce(amount, 0)`, `max(updated_at)`). Undefined when it cannot be told.
 */
/** `{{ dbt_utils.generate_surrogate_key([…]) }}`, its older name `surrogate_key`, and `{{ dbt.hash(x) }}`. */
const HASH_MACRO = /^\{\{[-+]?\s*(?:dbt_utils\s*\.\s*(?:generate_surrogate_key|surrogate_key)|dbt\s*\.\s*hash)\s*\(/;

export function expressionType(tokens: Token[], from: number, to: number, depth = 0): EvidentType | undefined {
  if (from >= to || depth > 8) return undefined;
  const first = tokens[from]!;
  if (to - from === 1) {
    if (first.kind === 'number') return { type: /[.eE]/.test(first.text) ? 'numeric' : 'integer' };
    if (first.kind === 'string' || first.kind === 'dollarString') return { type: 'varchar' };
    if (isWordToken(first, 'true') || isWordToken(first, 'false')) return { type: 'boolean' };
    if (isWordToken(first, 'current_date')) return { type: 'date' };
    if (isWordToken(first, 'current_timestamp') || isWordToken(first, 'sysdate') || isWordToken(first, 'localtimestamp')) return { type: 'timestamp' };
    // dbt's hashed keys: md5 of the parts, 32 hex characters on both warehouses
    if (first.kind === 'jinja' && HASH_MACRO.test(first.text)) return { type: 'varchar(32)' };
    return undefined;
  }
  // at the top level: a comparison or boolean word makes a boolean, `||` a string (CASE … END counts as one operand)
  let boolean = false;
  let concat = false;
  let arithmetic = false;
  forEachTopLevel(tokens, from, to, (t) => {
    if ((t.kind === 'operator' && COMPARISONS.has(t.text)) || (t.kind === 'keyword' && BOOLEAN_WORDS.has(t.value!))) return (boolean = true);
    if (t.kind === 'operator' && t.text === '||') concat = true;
    if (t.kind === 'operator' && ARITHMETIC.has(t.text)) arithmetic = true;
    return false;
  });
  if (boolean) return { type: 'boolean' };
  if (concat) return { type: 'varchar' };
  if (arithmetic) return arithmeticTerm(tokens, from, to, depth);
  // (expression)
  if (first.kind === 'punct' && first.text === '(' && closeOf(tokens, from, to) === to - 1) return operandTerm(tokens, from + 1, to - 1, depth + 1);
  // CASE … END: the type of its first THEN that can be told
  if (isWordToken(first, 'case') && isWordToken(tokens[to - 1], 'end')) {
    for (let i = from + 1; i < to - 1; i++) {
      if (!isWordToken(tokens[i], 'then') && !isWordToken(tokens[i], 'else')) continue;
      let end = i + 1;
      let inner = 0;
      for (; end < to - 1; end++) {
        const t = tokens[end]!;
        if ((t.kind === 'punct' && t.text === '(') || isWordToken(t, 'case')) inner++;
        else if ((t.kind === 'punct' && t.text === ')') || (isWordToken(t, 'end') && inner > 0)) inner--;
        else if (inner === 0 && (isWordToken(t, 'when') || isWordToken(t, 'else'))) break;
      }
      const branch = wholeCast(tokens, i + 1, end) ?? expressionType(tokens, i + 1, end, depth + 1);
      if (typeof branch === 'string') return { type: branch };
      if (branch && !('column' in branch)) return branch;
      const column = columnExpression(tokens, i + 1, end);
      if (column) return column.castType ? { type: column.castType } : { column: column.col };
    }
    return undefined;
  }
  // name( … ) [over ( … ) | over window]
  if (!isNameToken(first) || tokens[from + 1]?.kind !== 'punct' || tokens[from + 1]!.text !== '(') return undefined;
  let close = closeOf(tokens, from + 1, to);
  if (close < 0) return undefined;
  const afterCall = close;
  // `listagg(x, ',') within group (order by …)`: the ordering belongs to the call
  if (isWordToken(tokens[close + 1], 'within') && isWordToken(tokens[close + 2], 'group') && tokens[close + 3]?.kind === 'punct' && tokens[close + 3]!.text === '(') {
    close = closeOf(tokens, close + 3, to);
    if (close < 0) return undefined;
  }
  const rest = to - close - 1;
  const windowed = rest > 0 && isWordToken(tokens[close + 1], 'over') && (rest === 2 || closeOf(tokens, close + 2, to) === to - 1);
  if (rest > 0 && !windowed) return undefined;
  const name = first.value!;
  const fixed = RESULT_TYPES[name];
  if (fixed) return { type: fixed };
  const fn = NUMERIC_FUNCTIONS.has(name) ? (name as NumericFunction) : undefined;
  if (!fn && !FIRST_ARGUMENT_TYPE.has(name)) return undefined;
  let argStart = from + 2;
  if (fn && isWordToken(tokens[argStart], 'distinct')) argStart++;
  let argEnd = argStart;
  for (let level2 = 0; argEnd < afterCall; argEnd++) {
    const t = tokens[argEnd]!;
    if (t.kind === 'punct' && t.text === '(') level2++;
    else if (t.kind === 'punct' && t.text === ')') level2--;
    else if (level2 === 0 && t.kind === 'punct' && t.text === ',') break;
  }
  const arg = operandTerm(tokens, argStart, argEnd, depth + 1);
  return fn && arg ? underFunction(fn, arg) : arg;
}

/** The term of one operand: a column (cast or not), a whole cast, or what expressionType tells. */
function operandTerm(tokens: Token[], from: number, to: number, depth: number): EvidentType | undefined {
  const plain = columnExpression(tokens, from, to);
  const cast = plain ? plain.castType : wholeCast(tokens, from, to);
  if (cast !== undefined) return { type: cast };
  return plain ? { column: plain.col } : expressionType(tokens, from, to, depth);
}

/** `a * b - c`: its operands' terms between the top-level operators (a leading sign belongs to the first). */
function arithmeticTerm(tokens: Token[], from: number, to: number, depth: number): EvidentType | undefined {
  const operands: EvidentType[] = [];
  const ops: string[] = [];
  let start = from;
  const take = (end: number): boolean => {
    if (end === start) return operands.length === 0; // a leading sign
    const term = operandTerm(tokens, start, end, depth + 1);
    if (!term) return false;
    operands.push(term);
    return true;
  };
  let failed = false;
  forEachTopLevel(tokens, from, to, (t, i) => {
    if (t.kind !== 'operator' || !ARITHMETIC.has(t.text)) return false;
    if (i === start && operands.length > 0) return false; // `a * -b`: a sign
    if (!take(i)) return (failed = true);
    if (i > start) ops.push(t.text);
    start = i + 1;
    return false;
  });
  if (failed || !take(to) || operands.length === 0) return undefined;
  if (operands.length === 1) return operands[0];
  const term: EvidentType = { operands, ops };
  const closed = closedType(term);
  if (closed !== undefined) return { type: closed };
  // operands all known and not numbers (dates, text): no agreed type
  return operands.every((o) => 'type' in o) ? undefined : term;
}

/**
 * Calls `visit` with each token of [from, to) outside brackets and CASE … END (those tokens themselves left out),
 * until it returns true.
 */
function forEachTopLevel(tokens: Token[], from: number, to: number, visit: (t: Token, i: number) => boolean): void {
  let level = 0;
  let cases = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') level++;
    else if (t.kind === 'punct' && t.text === ')') level--;
    else if (isWordToken(t, 'case')) cases++;
    else if (isWordToken(t, 'end')) cases--;
    else if (level === 0 && cases === 0 && visit(t, i)) return;
  }
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
