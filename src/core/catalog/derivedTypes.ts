/**
 * What the catalog works out for views, CTAS tables and dbt models beyond what their files say: the columns a
 * `*` over catalog relations stands for, and the types of columns passed on unchanged (`select o.order_id from
 * sales.orders o`), taken from the column they project through any number of views and models, where none is written.
 */
import { afterFunctions, arithmeticType, type NumericFunction } from '../sql/columnExpressions';
import { typeFamilyOf } from '../sql/dataTypes';
import type { QualifiedName } from '../sql/types';
import { dbtResourceName, relationKey, type CatalogTypeTerm, type ColumnDef, type StarSource, type TableDef } from './model';
import { bare } from './nameIndex';

/** How the catalog finds relations (by key, by bare name, by dbt node) without scanning them all. */
export interface RelationLookup {
  table(key: string): TableDef | undefined;
  /** Keys of the relations with this bare name (lower case). */
  keysNamed(name: string): Iterable<string>;
  /** Keys of the relations a dbt node name stands for (see dbtNodeNames). */
  keysOfNode(node: string): Iterable<string>;
}

/** A guard for the stack only: a column's chain is one path, ended by a typed column, a dead end or a cycle. */
const MAX_DEPTH = 1000;

/**
 * The names a relation answers to as a dbt node: `model:x`, `seed:x`, `snapshot:x`, `source:src.tbl`; a model's
 * version `model:x.v2`, and the latest also `model:x` (lower case).
 */
export function dbtNodeNames(t: TableDef): readonly string[] {
  const kind = t.dbt?.resourceType ?? (t.kind === 'dbtModel' ? 'model' : t.kind === 'dbtSeed' ? 'seed' : t.kind === 'dbtSnapshot' ? 'snapshot' : undefined);
  if (kind === undefined) return NO_NAMES; // most relations: plain tables and views
  const version = t.dbt?.version;
  if (version && kind === 'model') {
    const of = version.of.toLowerCase();
    return version.latest ? [`model:${of}.v${version.v}`, `model:${of}`] : [`model:${of}.v${version.v}`];
  }
  const id = t.dbt?.uniqueId;
  const last = id ? id.lastIndexOf('.') : -1;
  if (kind === 'source') {
    // source.<project>.<source>.<table>: the last two parts
    const before = last > 0 ? id!.lastIndexOf('.', last - 1) : -1;
    return before > 0 && id!.indexOf('.') < before ? [`source:${id!.slice(before + 1).toLowerCase()}`] : NO_NAMES;
  }
  return [`${kind}:${dbtResourceName(t).toLowerCase()}`];
}

const NO_NAMES: readonly string[] = [];

export function hasDerivedColumns(t: TableDef): boolean {
  if (t.starsFrom) return true;
  if (!passesColumnsOn(t)) return false;
  for (const c of t.columns) if (c.derivedFrom || c.typeTerm) return true;
  return false;
}

/** Only relations built from a query pass columns on (views, CTAS, dbt models): a plain CREATE TABLE never does. */
function passesColumnsOn(t: TableDef): boolean {
  return t.kind !== 'table' || t.definitionSql !== undefined;
}

/**
 * The table with its derived columns worked out again: the columns its stars stand for (`starsFrom`) and the
 * types of the columns that pass another one on. A copy when anything differs from `t` (catalog tables share their
 * columns with the files' facts); undefined when nothing does. The same for a table as parsed and for a copy this
 * made before, so a catalog may keep the copies.
 */
export function withDerivedTypes(t: TableDef, lookup: RelationLookup, memo: DerivedTypeMemo = newDerivedTypeMemo()): TableDef | undefined {
  const list = t.starsFrom ? withStarColumns(t, t.starsFrom, lookup, memo) : ownColumns(t);
  const columns = list.map((c) => typedColumn(c, lookup, memo));
  return sameColumns(columns, t.columns) ? undefined : Object.assign({}, t, { columns });
}

/** A table's columns as parsed: without the ones a `select *` filled in, and without what derivation added. */
function ownColumns(t: TableDef): ColumnDef[] {
  let out: ColumnDef[] | undefined;
  t.columns.forEach((c, i) => {
    if (c.fromStar === undefined && c.typeFrom === undefined) {
      out?.push(c);
      return;
    }
    out ??= t.columns.slice(0, i);
    if (c.fromStar === true) return;
    const own = Object.assign({}, c);
    if (own.typeFrom !== undefined) {
      delete own.dataType;
      delete own.typeFamily;
      delete own.typeFrom;
    }
    if (own.fromStar === 'merged') {
      delete own.derivedFrom;
      delete own.fromStar;
    }
    out.push(own);
  });
  return out ?? t.columns;
}

/**
 * The table's own columns with each star's columns in its place. An own column named like a star's column (schema.yml
 * describing it, say) passes that column on where it stands; the star then brings only its other columns. Own
 * columns stay in their order, so that working the list out again from this result gives the same list.
 */
function withStarColumns(t: TableDef, stars: StarSource[], lookup: RelationLookup, memo: DerivedTypeMemo): ColumnDef[] {
  const own = ownColumns(t);
  const named = stars.map((s) => starColumns(s, columnNamesOf(s.from, lookup, memo, 0)));
  const starOf = new Map<string, { table: QualifiedName; column: string }>(); // lower-case name → the first star's
  stars.forEach((s, i) => {
    for (const [name, column] of named[i] ?? []) if (!starOf.has(name.toLowerCase())) starOf.set(name.toLowerCase(), { table: s.from, column });
  });
  const merged = own.map((c) => {
    const from = starOf.get(c.name.toLowerCase());
    if (from === undefined || c.derivedFrom || c.dataType !== undefined) return c;
    return Object.assign({}, c, { derivedFrom: from, fromStar: 'merged' as const });
  });
  const taken = new Set(own.map((c) => c.name.toLowerCase()));
  const out: ColumnDef[] = [];
  let k = 0;
  stars.forEach((s, i) => {
    const at = Math.min(s.at ?? merged.length, merged.length);
    while (k < at) out.push(merged[k++]!);
    for (const [name, column] of named[i] ?? []) {
      const lower = name.toLowerCase();
      if (taken.has(lower)) continue;
      taken.add(lower);
      out.push({ name, derivedFrom: { table: s.from, column }, fromStar: true, origin: t.origin });
    }
  });
  while (k < merged.length) out.push(merged[k++]!);
  return out;
}

/**
 * The columns a star brings, as [the name it comes out as, the relation's column]: all of the relation's, or those
 * dbt_utils.star keeps (`except`, case-insensitive as the macro compares) under its `prefix` and `suffix`.
 */
function starColumns(s: StarSource, names: string[] | undefined): Array<[string, string]> | undefined {
  if (!names) return undefined;
  if (!s.except && !s.prefix && !s.suffix) return names.map((n) => [n, n]);
  const except = new Set((s.except ?? []).map((e) => e.toLowerCase()));
  const out: Array<[string, string]> = [];
  for (const n of names) if (!except.has(n.toLowerCase())) out.push([`${s.prefix ?? ''}${n}${s.suffix ?? ''}`, n]);
  return out;
}

/** The relation's column a star brings out as `lower` (lower case), without listing them all: a lookup per column. */
function starColumnFor(s: StarSource, names: string[] | undefined, lower: string): string | undefined {
  if (!names) return undefined;
  const prefix = (s.prefix ?? '').toLowerCase();
  const suffix = (s.suffix ?? '').toLowerCase();
  if (!lower.startsWith(prefix) || !lower.endsWith(suffix) || lower.length < prefix.length + suffix.length) return undefined;
  const bare = lower.slice(prefix.length, lower.length - suffix.length);
  const name = names.find((n) => n.toLowerCase() === bare);
  return name !== undefined && !s.except?.some((e) => e.toLowerCase() === bare) ? name : undefined;
}

/** The names of a relation's columns, its stars' in their places (undefined when it cannot be found, or loops). */
function columnNamesOf(name: QualifiedName, lookup: RelationLookup, memo: DerivedTypeMemo, depth: number): string[] | undefined {
  const table = resolve(name, lookup);
  if (!table || depth >= MAX_DEPTH) return undefined;
  return namesOfTable(table, lookup, memo, depth);
}

function namesOfTable(table: TableDef, lookup: RelationLookup, memo: DerivedTypeMemo, depth: number): string[] {
  const own = table.columns.filter((c) => c.fromStar !== true).map((c) => c.name);
  if (!table.starsFrom) return own;
  const hit = memo.names.get(table);
  if (hit === IN_PROGRESS) {
    memo.cycles++; // a star cycle: the relation met again brings its own columns only
    return own;
  }
  if (hit !== undefined) return hit;
  memo.names.set(table, IN_PROGRESS);
  const cyclesBefore = memo.cycles;
  const taken = new Set(own.map((n) => n.toLowerCase()));
  const names: string[] = [];
  let k = 0;
  for (const s of table.starsFrom) {
    const at = Math.min(s.at ?? own.length, own.length);
    while (k < at) names.push(own[k++]!);
    for (const [n] of starColumns(s, columnNamesOf(s.from, lookup, memo, depth + 1)) ?? []) {
      if (taken.has(n.toLowerCase())) continue;
      taken.add(n.toLowerCase());
      names.push(n);
    }
  }
  while (k < own.length) names.push(own[k++]!);
  // what met a cycle depends on where the walk entered it: kept only when it did not, so no answer depends on the order
  if (memo.cycles === cyclesBefore) memo.names.set(table, names);
  else memo.names.delete(table);
  return names;
}

function typedColumn(c: ColumnDef, lookup: RelationLookup, memo: DerivedTypeMemo): ColumnDef {
  if ((!c.derivedFrom && !c.typeTerm) || (c.dataType !== undefined && c.typeFrom === undefined)) return c; // a written type stands
  const found = c.derivedFrom
    ? throughFunctions(typeOf(c.derivedFrom.table, c.derivedFrom.column, lookup, 0, memo), c.derivedFrom.functions)
    : termType(c.typeTerm!, lookup, 0, memo);
  if (found?.dataType === c.dataType && found?.typeFamily === c.typeFamily && found?.typeFrom === c.typeFrom) return c;
  const copy = Object.assign({}, c);
  if (found) Object.assign(copy, found);
  else {
    delete copy.dataType;
    delete copy.typeFamily;
    delete copy.typeFrom;
  }
  return copy;
}

/** Whether two column lists say the same (derivation makes new objects for what it did not change). */
function sameColumns(a: ColumnDef[], b: ColumnDef[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.name !== y.name || x.dataType !== y.dataType || x.typeFamily !== y.typeFamily || x.typeFrom !== y.typeFrom || x.fromStar !== y.fromStar) return false;
    if (x.comment !== y.comment || x.nullable !== y.nullable || x.origin !== y.origin) return false;
    const f = x.derivedFrom;
    const g = y.derivedFrom;
    if (f !== g && (!f || !g || f.column !== g.column || f.table !== g.table)) return false;
  }
  return true;
}

type FoundType = Required<Pick<ColumnDef, 'dataType' | 'typeFrom'>> & Pick<ColumnDef, 'typeFamily'>;

/** The type of arithmetic over catalog columns, taken from them all: `(s.o.quantity * s.o.unit_price)`. */
function termType(term: CatalogTypeTerm, lookup: RelationLookup, depth: number, memo: DerivedTypeMemo): FoundType | undefined {
  if ('type' in term) return { dataType: term.type, typeFamily: typeFamilyOf(term.type), typeFrom: term.type };
  if ('column' in term) return throughFunctions(typeOf(term.column.table, term.column.column, lookup, depth + 1, memo), term.functions);
  const found: FoundType[] = [];
  for (const o of term.operands) {
    const f = termType(o, lookup, depth + 1, memo);
    if (!f) return undefined;
    found.push(f);
  }
  const dataType = arithmeticType(found.map((f) => f.dataType));
  if (dataType === undefined) return undefined;
  const written = found.map((f, i) => (i === 0 ? f.typeFrom : `${term.ops[i - 1] ?? '?'} ${f.typeFrom}`)).join(' ');
  // in brackets unless a function's call brackets it already: `(a * b)`, `sum(a * b)`
  const typeFrom = found.length === 1 || term.functions?.length ? written : `(${written})`;
  return throughFunctions({ dataType, typeFamily: typeFamilyOf(dataType), typeFrom }, term.functions);
}

/** A found type after `sum`/`avg` (outermost first): their result type, taken from `sum(schema.table.column)`. */
function throughFunctions(found: FoundType | undefined, functions: readonly NumericFunction[] | undefined): FoundType | undefined {
  if (!found || !functions?.length) return found;
  const dataType = afterFunctions(found.dataType, functions);
  if (dataType === undefined) return undefined;
  const typeFrom = functions.reduceRight((inner, a) => `${a}(${unbracketed(inner)})`, found.typeFrom);
  return { dataType, typeFamily: typeFamilyOf(dataType), typeFrom };
}

/** `(a * b)` → `a * b`, for a call's brackets to stand in for them; anything else as it is. */
function unbracketed(text: string): string {
  if (!text.startsWith('(')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i === text.length - 1 ? text.slice(1, -1) : text;
  }
  return text;
}

/**
 * What one pass over the catalog already found, by table and lower-case column (null: no type; IN_PROGRESS: on the
 * path being followed, so meeting it again is a cycle). Chains of models, each selecting from the one before, are
 * then walked once, and the answers do not depend on the order tables are visited in. Valid for one pass only.
 */
export interface DerivedTypeMemo {
  types: Map<TableDef, Map<string, FoundType | null | typeof IN_PROGRESS>>;
  /** The column names of tables with a `*`. */
  names: Map<TableDef, string[] | typeof IN_PROGRESS>;
  /** Star cycles met so far (see namesOfTable). */
  cycles: number;
}

export const newDerivedTypeMemo = (): DerivedTypeMemo => ({ types: new Map(), names: new Map(), cycles: 0 });

const IN_PROGRESS = 0;

function typeOf(name: QualifiedName, column: string, lookup: RelationLookup, depth: number, memo: DerivedTypeMemo): FoundType | undefined {
  const table = resolve(name, lookup);
  if (!table || depth >= MAX_DEPTH) return undefined;
  const lower = column.toLowerCase();
  let known = memo.types.get(table);
  if (!known) memo.types.set(table, (known = new Map()));
  const hit = known.get(lower);
  if (hit !== undefined) return hit === IN_PROGRESS || hit === null ? undefined : hit;
  known.set(lower, IN_PROGRESS);
  // a star's column (filled in, or listed and merged) is looked up through the stars again, as the table was parsed:
  // a copy met here may date from before this pass, when another star had the column
  const listed = table.columns.find((x) => x.name.toLowerCase() === lower && x.fromStar !== true);
  const c = listed?.fromStar === 'merged' ? undefined : listed;
  let found: FoundType | undefined;
  if (c && c.dataType !== undefined && c.typeFrom === undefined) {
    found = { dataType: c.dataType, typeFamily: c.typeFamily, typeFrom: `${table.schema}.${table.name}.${c.name}` };
  } else if (c?.derivedFrom && passesColumnsOn(table)) found = throughFunctions(typeOf(c.derivedFrom.table, c.derivedFrom.column, lookup, depth + 1, memo), c.derivedFrom.functions);
  else if (c?.typeTerm && passesColumnsOn(table)) found = termType(c.typeTerm, lookup, depth + 1, memo);
  else if (table.starsFrom) {
    // one of its stars' columns: the first star whose relation has it
    for (const star of table.starsFrom) {
      const source = starColumnFor(star, columnNamesOf(star.from, lookup, memo, depth + 1), lower);
      if (source === undefined) continue;
      found = typeOf(star.from, source, lookup, depth + 1, memo);
      break;
    }
  }
  known.set(lower, found ?? null);
  return found;
}

/** The one relation a name stands for (dbt ref/source through their node names; a bare name: `public`, else the only one). */
function resolve(q: QualifiedName, lookup: RelationLookup): TableDef | undefined {
  const ref = q.dbtRef;
  if (ref) {
    const nodes = nodesOfRef(ref);
    let key: string | undefined;
    let count = 0;
    for (const node of nodes) {
      for (const k of lookup.keysOfNode(node)) {
        key = k;
        count++;
      }
    }
    if (count === 1) return lookup.table(key!);
    if (count > 1) return undefined; // a ref() that could mean two nodes: no guess
  }
  if (q.schema) return lookup.table(relationKey(q.schema, q.name));
  const inPublic = lookup.table(relationKey(undefined, q.name));
  if (inPublic) return inPublic;
  let only: string | undefined;
  for (const k of lookup.keysNamed(q.name.toLowerCase())) {
    if (only !== undefined) return undefined;
    only = k;
  }
  return only === undefined ? undefined : lookup.table(only);
}

/** The dbt node names a `ref()` (a model or a seed) or `source()` call can stand for (see dbtNodeNames). */
function nodesOfRef(ref: NonNullable<QualifiedName['dbtRef']>): string[] {
  if (ref.kind === 'source') return ref.args.length >= 2 ? [`source:${ref.args[0]!.toLowerCase()}.${ref.args[1]!.toLowerCase()}`] : [];
  const name = ref.args[ref.args.length - 1]?.toLowerCase();
  if (name === undefined) return [];
  if (ref.version !== undefined) return [`model:${name}.v${ref.version}`];
  return [`model:${name}`, `seed:${name}`, `snapshot:${name}`];
}

/** The names a relation is found by under `key`: its bare name and its dbt node names. */
export function relationNames(key: string, t: TableDef): string[] {
  return [bare(key), ...dbtNodeNames(t)];
}

/** The names the sources of a table's derived columns go by: bare names, and dbt node names for ref() / source(). */
export function sourceNames(t: TableDef): Set<string> {
  const out = new Set<string>();
  const sources = t.columns.map((c) => c.derivedFrom?.table);
  for (const c of t.columns) if (c.typeTerm) termTables(c.typeTerm, sources);
  for (const star of t.starsFrom ?? []) sources.push(star.from);
  for (const q of sources) {
    if (!q) continue;
    out.add(bare(q.name));
    if (q.dbtRef) for (const n of nodesOfRef(q.dbtRef)) out.add(n);
  }
  return out;
}

/** The relations a term's columns are in. */
function termTables(term: CatalogTypeTerm, out: Array<QualifiedName | undefined>): void {
  if ('column' in term) out.push(term.column.table);
  else if ('operands' in term) for (const o of term.operands) termTables(o, out);
}
