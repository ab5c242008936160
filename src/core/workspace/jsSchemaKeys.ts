import type { JoinPair, QualifiedName } from '../sql/types';
import type { Token } from './codeConstants/lexer';
import { callArguments, isId, isPunct, matchClose, namedArgument, plainStringArgument, plainStringList, type TokenRange } from './codeConstants/matchers';
import type { OrmEntity } from './facts';
import { compositeOrmKey, tableNamed, tableOf, type OrmFacts } from './ormEntities';

/**
 * Keys that TypeScript/JavaScript schema code declares:
 * - knex migrations: `knex.schema.createTable('orders', (t) => { … })` (and `.table`/`.alterTable`, after
 *   `.withSchema('sales')`), with `t.integer('customer_id').references('id').inTable('customers')` (`.on(…)` alike),
 *   `.references('customers.id')`, and `t.foreign('x').references('t.id')` or lists of columns;
 * - Drizzle tables: `export const orders = pgTable('orders', { customerId: integer('customer_id').references(() =>
 *   customers.id) }, (t) => [foreignKey({ columns: [t.a, t.b], foreignColumns: [tills.a, tills.b] })])`
 *   (`mysqlTable`, `sqliteTable`, `pgSchema('sales').table(…)` too). A table variable is an entity: a reference to one
 *   of another file is placed on its table and column once the workspace is read.
 */
export function jsSchemaKeys(tokens: Token[], text: string, file: string): OrmFacts {
  const out: OrmFacts = { entities: [], joins: [] };
  if (text.includes('references(') && /\b(createTable|alterTable|table)\s*\(/.test(text)) out.joins.push(...knexKeys(tokens, file));
  // every Drizzle table is an entity (a file of tables that reference none is where others' references land)
  if (/\b(pgTable|mysqlTable|sqliteTable|singlestoreTable|pgSchema|mysqlSchema)\s*\(/.test(text)) drizzleTables(tokens, file, out);
  return out;
}

/** `a.b.c(…)`: the call whose name is at `at` (after a `.`), its arguments. */
function argsAt(tokens: Token[], at: number): TokenRange[] | undefined {
  return isPunct(tokens[at + 1], '(') ? callArguments(tokens, at + 1) : undefined;
}

function stringOf(tokens: Token[], range: TokenRange | undefined): string | undefined {
  return plainStringArgument(tokens, range)?.value;
}

/** `'a'` or `['a', 'b']`: plain names. */
function namesOf(tokens: Token[], range: TokenRange | undefined): string[] | undefined {
  const one = stringOf(tokens, range);
  const names = one !== undefined ? [one] : plainStringList(tokens, range);
  return names?.length && names.every((n) => /^[\w.]+$/.test(n)) ? names : undefined;
}

/** The body of a callback argument: `(t) => { … }`, `t => { … }`, `function (t) { … }`; its parameter and range. */
function callbackOf(tokens: Token[], [from, to]: TokenRange): { param: string; from: number; to: number } | undefined {
  let k = from;
  if (isId(tokens[k], 'async')) k++;
  if (isId(tokens[k], 'function')) k++;
  if (isPunct(tokens[k], '(')) {
    const close = matchClose(tokens, k);
    const param = tokens[k + 1];
    if (param?.type !== 'id' || close > to) return undefined;
    k = close + 1;
    if (isPunct(tokens[k], ':')) return undefined; // a typed return is no schema callback here
    return bodyAfter(tokens, k, to, param.value);
  }
  if (tokens[k]?.type === 'id') return bodyAfter(tokens, k + 1, to, tokens[k]!.value);
  return undefined;
}

function bodyAfter(tokens: Token[], k: number, to: number, param: string): { param: string; from: number; to: number } | undefined {
  if (isPunct(tokens[k], '=>')) k++;
  if (isPunct(tokens[k], '{')) return { param, from: k + 1, to: Math.min(matchClose(tokens, k), to) };
  return k < to ? { param, from: k, to } : undefined;
}

/** A call chain `x.a(…).b(…)…` starting at token `start` (the receiver): each link's name and arguments. */
function chainFrom(tokens: Token[], start: number, to: number): Array<{ method: string; args: TokenRange[]; line: number }> {
  const chain: Array<{ method: string; args: TokenRange[]; line: number }> = [];
  let k = start + 1;
  while (k < to && isPunct(tokens[k], '.') && tokens[k + 1]?.type === 'id') {
    const args = argsAt(tokens, k + 1);
    if (!args) break;
    chain.push({ method: tokens[k + 1]!.value, args, line: tokens[k + 1]!.line });
    k = matchClose(tokens, k + 2) + 1;
  }
  return chain;
}

const KNEX_TABLE_METHODS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table']);

function knexKeys(tokens: Token[], file: string): JoinPair[] {
  const out: JoinPair[] = [];
  const via = 'migration-foreign-key' as const;
  for (let i = 1; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id' || !KNEX_TABLE_METHODS.has(t.value) || !isPunct(tokens[i - 1], '.')) continue;
    const args = argsAt(tokens, i);
    const name = args && stringOf(tokens, args[0]);
    const body = args?.[1] && callbackOf(tokens, args[1]);
    if (!name || !body || !/^\w+$/.test(name)) continue;
    const schema = withSchemaBefore(tokens, i);
    const table = tableOf(schema, name);
    for (let k = body.from; k < body.to; k++) {
      if (!isId(tokens[k], body.param) || !isPunct(tokens[k + 1], '.') || (k > body.from && isPunct(tokens[k - 1], '.'))) continue;
      const chain = chainFrom(tokens, k, body.to);
      if (!chain.length) continue;
      const link = (m: string) => chain.find((l) => l.method === m);
      const references = link('references');
      if (references) {
        const first = chain[0]!;
        const columns = first.method === 'foreign' ? namesOf(tokens, first.args[0]) : [stringOf(tokens, first.args[0])].filter((c): c is string => !!c && /^\w+$/.test(c));
        const refs = namesOf(tokens, references.args[0]);
        const inTable = stringOf(tokens, (link('inTable') ?? link('on'))?.args[0]);
        if (columns?.length && refs?.length === columns.length) {
          // `references('customers.id')`, or `references('id').inTable('customers')`
          const target = inTable ? { table: tableNamed(inTable), columns: refs } : splitQualified(refs);
          if (target) out.push(...compositeOrmKey(table, columns, target.table, target.columns, { file, line: first.line }, { via }));
        }
      }
    }
    i = body.to;
  }
  return out;
}

/** `['customers.id']` / `['t.a', 't.b']`: one table (maybe schema-qualified) and its columns. */
function splitQualified(refs: string[]): { table: QualifiedName; columns: string[] } | undefined {
  const parts = refs.map((r) => {
    const dot = r.lastIndexOf('.');
    return dot > 0 ? { table: r.slice(0, dot), column: r.slice(dot + 1) } : undefined;
  });
  if (parts.some((p) => !p) || new Set(parts.map((p) => p!.table)).size !== 1) return undefined;
  return { table: tableNamed(parts[0]!.table), columns: parts.map((p) => p!.column) };
}

/** `knex.schema.withSchema('sales').createTable(…)`: the schema named earlier in the chain. */
function withSchemaBefore(tokens: Token[], i: number): string | undefined {
  for (let k = i - 1; k > 0 && k > i - 12; k--) {
    if (isPunct(tokens[k], ';')) return undefined;
    if (isId(tokens[k], 'withSchema') && isPunct(tokens[k + 1], '(')) return stringOf(tokens, callArguments(tokens, k + 1)[0]);
  }
  return undefined;
}

const DRIZZLE_TABLES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'singlestoreTable']);

interface DrizzleTable {
  variable: string;
  table: QualifiedName;
  /** Property → column. */
  columns: Map<string, string>;
  /** The `.primaryKey()` column. */
  key?: string;
  line: number;
}

function drizzleTables(tokens: Token[], file: string, out: OrmFacts): void {
  const tables = new Map<string, DrizzleTable>();
  const pending: Array<{ from: DrizzleTable; columns: string[]; target: string; targetProps: string[]; line: number }> = [];
  /** `pgSchema('sales')` assigned to a variable: its schema. */
  const schemas = new Map<string, string>();
  for (let i = 0; i < tokens.length - 3; i++) {
    const t = tokens[i]!;
    if (t.type !== 'id') continue;
    if (t.value === 'pgSchema' || t.value === 'mysqlSchema') {
      const name = stringOf(tokens, argsAt(tokens, i)?.[0]);
      const variable = isPunct(tokens[i - 1], '=') ? tokens[i - 2] : undefined;
      if (name && variable?.type === 'id') schemas.set(variable.value, name);
      continue;
    }
    // `const orders = pgTable('orders', {…}, (t) => …)` or `= sales.table('orders', …)`
    const viaSchema = t.value === 'table' && isPunct(tokens[i - 1], '.') && tokens[i - 2]?.type === 'id' && schemas.has(tokens[i - 2]!.value);
    if (!DRIZZLE_TABLES.has(t.value) && !viaSchema) continue;
    const start = viaSchema ? i - 2 : i;
    const variable = isPunct(tokens[start - 1], '=') && tokens[start - 2]?.type === 'id' ? tokens[start - 2]!.value : undefined;
    const args = argsAt(tokens, i);
    const name = stringOf(tokens, args?.[0]);
    const open = args?.[1] && columnsObject(tokens, args[1]);
    if (!variable || !args || !name || open === undefined) continue;
    const table: DrizzleTable = { variable, table: tableOf(viaSchema ? schemas.get(tokens[i - 2]!.value) : undefined, name), columns: new Map(), line: t.line };
    tables.set(variable, table);
    // columns: `prop: integer('column')…` (or `t.integer(…)` in the callback form); `prop: integer()` takes the
    // property's name
    for (const [from, to] of callArguments(tokens, open)) {
      const prop = tokens[from];
      if (!(prop?.type === 'id' || prop?.type === 'str') || !isPunct(tokens[from + 1], ':') || tokens[from + 2]?.type !== 'id') continue;
      const builder = isPunct(tokens[from + 3], '.') && tokens[from + 4]?.type === 'id' ? from + 4 : from + 2;
      const column = stringOf(tokens, argsAt(tokens, builder)?.[0]) ?? prop.value;
      table.columns.set(prop.value, column);
      for (let k = from + 3; k < to - 1 && !table.key; k++) if (isId(tokens[k], 'primaryKey') && isPunct(tokens[k - 1], '.')) table.key = column;
      // `.references(() => customers.id)`
      for (let k = from + 3; k < to - 1; k++) {
        if (!isId(tokens[k], 'references') || !isPunct(tokens[k - 1], '.')) continue;
        const target = arrowTarget(tokens, argsAt(tokens, k)?.[0]);
        if (target) pending.push({ from: table, columns: [prop.value], target: target.variable, targetProps: [target.prop], line: tokens[k]!.line });
      }
    }
    // the table's extra config: `foreignKey({ columns: [t.a], foreignColumns: [other.x] })`
    const config = args[2];
    if (config) {
      for (let k = config[0]; k < config[1]; k++) {
        if (!isId(tokens[k], 'foreignKey') || !isPunct(tokens[k + 1], '(') || !isPunct(tokens[k + 2], '{')) continue;
        const fields = callArguments(tokens, k + 2);
        const own = memberList(tokens, namedArgument(tokens, fields, 'columns'));
        const foreign = memberList(tokens, namedArgument(tokens, fields, 'foreignColumns'));
        if (own && foreign && own.length === foreign.length && new Set(foreign.map((f) => f.variable)).size === 1) {
          pending.push({ from: table, columns: own.map((o) => o.prop), target: foreign[0]!.variable, targetProps: foreign.map((f) => f.prop), line: tokens[k]!.line });
        }
      }
    }
    i = matchClose(tokens, i + 1);
  }
  for (const t of tables.values()) {
    const entity: OrmEntity = { name: t.variable, table: t.table, idColumn: t.key, line: t.line };
    const renamed = [...t.columns].filter(([prop, column]) => prop !== column);
    if (renamed.length) entity.fieldColumns = Object.fromEntries(renamed);
    out.entities.push(entity);
  }
  for (const p of pending) {
    const columns = p.columns.map((c) => p.from.columns.get(c) ?? c);
    const target = tables.get(p.target);
    const at = { file, line: p.line };
    // a table of this file is placed now; one of another file by its entity once the workspace is read
    if (target) out.joins.push(...compositeOrmKey(p.from.table, columns, target.table, p.targetProps.map((x) => target.columns.get(x) ?? x), at));
    else out.joins.push(...compositeOrmKey(p.from.table, columns, tableOf(undefined, p.target), p.targetProps, at, { toEntity: p.target }));
  }
}

/** The columns' object of a table: `{ … }`, or the callback form `(t) => ({ … })`; the index of its `{`. */
function columnsObject(tokens: Token[], [from, to]: TokenRange): number | undefined {
  if (isPunct(tokens[from], '{')) return from;
  const arrow = isPunct(tokens[from], '(') && tokens[from + 1]?.type === 'id' && isPunct(tokens[from + 2], ')') ? from + 3 : tokens[from]?.type === 'id' ? from + 1 : -1;
  if (!isPunct(tokens[arrow], '=>') || !isPunct(tokens[arrow + 1], '(') || !isPunct(tokens[arrow + 2], '{') || arrow + 2 >= to) return undefined;
  return arrow + 2;
}

/** `() => customers.id`: the table variable and property referenced. */
function arrowTarget(tokens: Token[], range: TokenRange | undefined): { variable: string; prop: string } | undefined {
  if (!range) return undefined;
  const [from, to] = range;
  if (!isPunct(tokens[from], '(') || !isPunct(tokens[from + 1], ')') || !isPunct(tokens[from + 2], '=>')) return undefined;
  let k = from + 3;
  if (isPunct(tokens[k], '{') && isId(tokens[k + 1], 'return')) k += 2; // `() => { return customers.id; }`
  if (tokens[k]?.type !== 'id' || !isPunct(tokens[k + 1], '.') || tokens[k + 2]?.type !== 'id' || k + 3 > to) return undefined;
  return { variable: tokens[k]!.value, prop: tokens[k + 2]!.value };
}

/** `[t.a, t.b]` / `[tills.a, tills.b]`: each member's object and property. */
function memberList(tokens: Token[], value: TokenRange | undefined): Array<{ variable: string; prop: string }> | undefined {
  if (!value) return undefined;
  const open = value[0];
  if (!isPunct(tokens[open], '[')) return undefined;
  const members = callArguments(tokens, open).map(([a, b]) => (b - a === 3 && tokens[a]!.type === 'id' && isPunct(tokens[a + 1], '.') && tokens[a + 2]!.type === 'id' ? { variable: tokens[a]!.value, prop: tokens[a + 2]!.value } : undefined));
  return members.length && members.every((m) => m) ? (members as Array<{ variable: string; prop: string }>) : undefined;
}
