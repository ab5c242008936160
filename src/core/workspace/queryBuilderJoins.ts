import type { JoinPair, QualifiedName, TableRef } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isPunct, matchClose, plainStringArgument, type TokenRange } from './codeConstants/matchers';

/**
 * Joins written with a query builder rather than in SQL: Laravel's and knex's `join('customers as c', 'c.id', '=',
 * 'o.customer_id')` (the operator may be left out, as knex and Kysely allow), Doctrine DBAL's `innerJoin('o',
 * 'customers', 'c', 'c.id = o.customer_id')`, TypeORM's `innerJoin('customers', 'c', 'c.id = o.customer_id')` and
 * Laravel's `join('customers', function ($join) { $join->on('c.id', '=', 'o.customer_id'); })`. Columns are resolved
 * through the aliases the same statement gives its tables (`DB::table('orders as o')`, `from('orders', 'o')`,
 * `knex('orders as o')`, the joins' own tables). Only string literals are read: a table or column held in a variable
 * is not known, and such a join gives nothing.
 */

type JoinType = NonNullable<JoinPair['joinType']>;

const JOIN_METHODS: Record<string, JoinType> = {
  join: 'inner',
  innerJoin: 'inner',
  leftJoin: 'left',
  leftOuterJoin: 'left',
  rightJoin: 'right',
  rightOuterJoin: 'right',
  fullOuterJoin: 'full',
};

/** Calls that name the statement's base table: Laravel `DB::table()`, `from()`, knex's `knex()`, Kysely's `selectFrom()`… */
const TABLE_METHODS = new Set(['table', 'from', 'knex', 'selectFrom', 'updateTable', 'deleteFrom', 'insertInto']);

const OPERATORS = new Set(['=', '==']);

const DECLARES = new Set(['function', 'fn', 'def']);

/**
 * Tokens read around one join call, each way (its statement; a closure's body): a real builder statement is a few
 * hundred, and the bound keeps a file of thousands of nested, unclosed closures linear.
 */
const REACH = 1000;

export interface BuilderJoins {
  joins: JoinPair[];
  tableRefs: TableRef[];
}

/** A call of one of JOIN_METHODS, as a native search finds it: files with none are spared the scan. */
const ANY_JOIN_CALL = /[jJ]oin\s*\(/;

/** Query-builder joins of a PHP or TypeScript/JavaScript file, from its text and tokens. */
export function queryBuilderJoins(text: string, tokens: Token[], lang: 'php' | 'typescript', file: string): BuilderJoins {
  const out: BuilderJoins = { joins: [], tableRefs: [] };
  if (!ANY_JOIN_CALL.test(text)) return out;
  const arrow = lang === 'php' ? '->' : '.';
  const referenced = new Set<string>();
  const reference = (table: QualifiedName, line: number): void => {
    const key = `${table.schema ?? ''}.${table.name}|${line}`.toLowerCase();
    if (referenced.has(key)) return;
    referenced.add(key);
    out.tableRefs.push({ ...table, origin: { kind: 'code', file, line } });
  };
  let statement: { end: number; scope: Scope } | undefined;
  for (let i = 1; i < tokens.length - 1; i++) {
    // a method call first (few tokens are), then its name: reading every name would cost the file's whole scan again
    if (!isPunct(tokens[i - 1], arrow) || !isPunct(tokens[i + 1], '(')) continue;
    const t = tokens[i]!;
    if (t.type !== 'id' || !Object.hasOwn(JOIN_METHODS, t.value)) continue;
    // a chain of joins is one statement: its tables are read once (a chain of thousands stays linear)
    if (!statement || i >= statement.end) {
      const [start, end] = statementAround(tokens, i);
      statement = { end, scope: scopeOf(tokens, start, end) };
    }
    const scope = statement.scope;
    const joinType = JOIN_METHODS[t.value]!;
    const args = callArguments(tokens, i + 1, REACH);
    const strings = args.map((range) => plainStringArgument(tokens, range));
    const joined = joinedTable(strings.map((t) => t?.value));
    for (const cond of conditionsOf(tokens, args, strings, lang)) {
      const left = columnOf(cond.left, scope, cond.equality);
      const right = columnOf(cond.right, scope, cond.equality);
      if (!left || !right || sameTable(left.table, right.table)) continue;
      // a join's condition names the table it joins (a `path.join('src', 'a.b', 'c.d')` does not)
      if (joined && !sameTable(left.table, joined) && !sameTable(right.table, joined)) continue;
      const pair: JoinPair = { left, right, clause: 'on', joinType, origin: { kind: 'code', file, line: cond.line }, via: 'query-builder' };
      if (cond.shared) pair.condition = { line: t.line, column: 1 };
      out.joins.push(pair);
      // only tables seen joined are references: a `.join('…')` of strings or paths names none
      reference(left.table, cond.line);
      reference(right.table, cond.line);
    }
  }
  return out;
}

interface Condition {
  left: string;
  right: string;
  line: number;
  /** One of several conditions of the same join (a closure's `on()`s): they may cover a composite key together. */
  shared?: boolean;
  /** Written with its `=` (as an argument or in a condition string): a query builder's, not some other `join()`. */
  equality: boolean;
}

/** The equality conditions of a join call, from its arguments (token ranges, and the string each one is). */
function conditionsOf(tokens: Token[], args: TokenRange[], strings: Array<Token | undefined>, lang: 'php' | 'typescript'): Condition[] {
  const str = (k: number): Token | undefined => strings[k];
  const n = args.length;
  // (table, first, '=', second)
  if (n === 4 && str(0) && str(1) && OPERATORS.has(str(2)?.value ?? '') && str(3)) return [{ left: str(1)!.value, right: str(3)!.value, line: str(1)!.line, equality: true }];
  // (fromAlias, table, alias, 'a.x = b.y') — Doctrine
  if (isDoctrineJoin(strings.map((t) => t?.value))) return sqlConditions(str(3)!);
  if (n === 3 && str(0) && str(1) && str(2)) {
    // (table, alias, 'a.x = b.y') — TypeORM; else (table, first, second)
    if (/=/.test(str(2)!.value)) return sqlConditions(str(2)!);
    return [{ left: str(1)!.value, right: str(2)!.value, line: str(1)!.line, equality: false }];
  }
  // (table, function ($join) { $join->on('a', '=', 'b'); … }) — Laravel
  if (n === 2 && str(0)) {
    const [from, to] = args[1]!;
    const found: Condition[] = [];
    const arrow = lang === 'php' ? '->' : '.';
    for (let k = from; k < Math.min(to, from + REACH) - 1; k++) {
      const on = tokens[k]!;
      if (on.type !== 'id' || !isPunct(tokens[k - 1], arrow) || !isPunct(tokens[k + 1], '(')) continue;
      // a join inside the closure has its own conditions: stepped over whole (nested closures stay linear)
      if (Object.hasOwn(JOIN_METHODS, on.value)) {
        k = matchClose(tokens, k + 1);
        continue;
      }
      if (on.value !== 'on') continue;
      const inner = callArguments(tokens, k + 1, REACH);
      const s = (x: number): Token | undefined => plainStringArgument(tokens, inner[x]);
      if (inner.length === 3 && s(0) && OPERATORS.has(s(1)?.value ?? '') && s(2)) found.push({ left: s(0)!.value, right: s(2)!.value, line: s(0)!.line, equality: true });
      else if (inner.length === 2 && s(0) && s(1)) found.push({ left: s(0)!.value, right: s(1)!.value, line: s(0)!.line, equality: false });
    }
    if (found.length > 1) for (const c of found) c.shared = true;
    return found;
  }
  return [];
}

/** `c.id = o.customer_id AND c.kind = o.kind`: its equalities of two qualified columns (an OR gives none). */
function sqlConditions(tok: Token): Condition[] {
  if (/\bor\b/i.test(tok.value)) return [];
  const found: Condition[] = [];
  for (const part of tok.value.split(/\s+and\s+/i)) {
    const m = /^\s*\(?\s*([\w.`"]+)\s*=\s*([\w.`"]+)\s*\)?\s*$/.exec(part);
    if (m) found.push({ left: m[1]!, right: m[2]!, line: tok.contentLine, equality: true });
  }
  if (found.length > 1) for (const c of found) c.shared = true;
  return found;
}

/**
 * Tables of a statement by the names its columns may use: each alias, and each table's own name. `aliased` when it
 * gives any table an alias: a qualifier it does not know is then an alias from elsewhere, not a table's name.
 */
interface Scope {
  tables: Map<string, QualifiedName>;
  aliased: boolean;
}

function scopeOf(tokens: Token[], start: number, end: number): Scope {
  const scope: Scope = { tables: new Map(), aliased: false };
  const add = (table: QualifiedName, alias: string | undefined): void => {
    scope.tables.set(table.name.toLowerCase(), table);
    if (alias) {
      scope.tables.set(alias.toLowerCase(), table);
      scope.aliased = true;
    }
  };
  for (let k = start; k < end - 1; k++) {
    const t = tokens[k]!;
    if (t.type !== 'id' || !isPunct(tokens[k + 1], '(')) continue;
    // a method of the chain or a bare call (`knex('orders as o')`), not a declaration of one
    if (!Object.hasOwn(JOIN_METHODS, t.value) && !TABLE_METHODS.has(t.value)) continue;
    if (k > 0 && tokens[k - 1]!.type === 'id' && DECLARES.has(tokens[k - 1]!.value)) continue;
    const args = callArguments(tokens, k + 1, REACH).map((range) => plainStringArgument(tokens, range)?.value);
    if (Object.hasOwn(JOIN_METHODS, t.value) && isDoctrineJoin(args)) {
      const table = tableName(args[1]!);
      if (table) add(table.table, args[2]);
      continue;
    }
    const first = args[0];
    const table = first === undefined ? undefined : tableName(first);
    if (!table) continue;
    // Doctrine's `from('orders', 'o')` and TypeORM's `innerJoin('customers', 'c', …)` give the alias apart
    const apart = !table.alias && args.length >= 2 && args[1] !== undefined && /^[A-Za-z_]\w*$/.test(args[1]) ? args[1] : undefined;
    add(table.table, table.alias ?? apart);
  }
  return scope;
}

/** Doctrine DBAL's join, by the strings its arguments are: (fromAlias, table, alias, condition), the third no operator. */
function isDoctrineJoin(args: Array<string | undefined>): boolean {
  return args.length === 4 && args.every((a) => a !== undefined) && !OPERATORS.has(args[2]!);
}

/** The table a join call joins, by the strings its arguments are: its first, or a Doctrine join's second. */
function joinedTable(args: Array<string | undefined>): QualifiedName | undefined {
  const text = isDoctrineJoin(args) ? args[1] : args[0];
  return text === undefined ? undefined : tableName(text)?.table;
}

/** `shop.orders as o`, `orders o`, `orders`: the table and its alias; undefined for anything else. */
function tableName(text: string): { table: QualifiedName; alias?: string } | undefined {
  const m = /^\s*([A-Za-z_][\w$]*)(?:\.([A-Za-z_][\w$]*))?(?:\s+(?:as\s+)?([A-Za-z_]\w*))?\s*$/i.exec(text);
  if (!m) return undefined;
  const table: QualifiedName = m[2] ? { schema: m[1]!, name: m[2] } : { name: m[1]! };
  return { table, alias: m[3] };
}

/**
 * `o.customer_id` resolved through the statement's tables. `orders.customer_id` in a condition written with its `=`,
 * where the statement gives no aliases (an Eloquent model's query: its own table is not written), names the table
 * `orders`. Else undefined.
 */
function columnOf(text: string, scope: Scope, tableNames: boolean): { table: QualifiedName; column: string } | undefined {
  const parts = text.replace(/[`"]/g, '').trim().split('.');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
  const column = parts.pop()!;
  const qualifier = parts.pop()!;
  const table = scope.tables.get(qualifier.toLowerCase());
  if (!table) return scope.aliased || !tableNames ? undefined : { table: parts.length ? { schema: parts[0]!, name: qualifier } : { name: qualifier }, column };
  if (parts.length && table.schema && parts[0]!.toLowerCase() !== table.schema.toLowerCase()) return undefined;
  return { table, column };
}

function sameTable(a: QualifiedName, b: QualifiedName): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && (a.schema ?? '').toLowerCase() === (b.schema ?? '').toLowerCase();
}

/** The statement holding token `i`: from after the `;`, `{` or `}` before it to the `;` or unmatched close after it. */
function statementAround(tokens: Token[], i: number): [number, number] {
  let start = i;
  for (let depth = 0; start > 0 && start > i - REACH; start--) {
    const t = tokens[start - 1]!;
    if (t.type !== 'punct') continue;
    if (t.value === ')' || t.value === ']') depth++;
    else if (t.value === '(' || t.value === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (t.value === ';' || t.value === '{' || t.value === '}')) break;
  }
  let end = i;
  for (let depth = 0; end < tokens.length && end < i + REACH; end++) {
    const t = tokens[end]!;
    if (t.type !== 'punct') continue;
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
    else if (t.value === ')' || t.value === ']' || t.value === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.value === ';') break;
  }
  return [start, end];
}
