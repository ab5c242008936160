/**
 * What the catalog works out for views, CTAS tables and dbt models beyond what their files say: the columns a
 * `select *` over one relation stands for, and the types of columns passed on unchanged (`select o.order_id from
 * sales.orders o`), taken from the column they project through any number of views and models, where none is written.
 */
import type { QualifiedName } from '../sql/types';
import { relationKey, type ColumnDef, type TableDef } from './model';
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

/** The names a relation answers to as a dbt node: `model:x`, `seed:x`, `source:src.tbl` (lower case). */
export function dbtNodeNames(t: TableDef): readonly string[] {
  const kind = t.dbt?.resourceType ?? (t.kind === 'dbtModel' ? 'model' : t.kind === 'dbtSeed' ? 'seed' : undefined);
  if (kind === undefined) return NO_NAMES; // most relations: plain tables and views
  const id = t.dbt?.uniqueId;
  const last = id ? id.lastIndexOf('.') : -1;
  if (kind === 'source') {
    // source.<project>.<source>.<table>: the last two parts
    const before = last > 0 ? id!.lastIndexOf('.', last - 1) : -1;
    return before > 0 && id!.indexOf('.') < before ? [`source:${id!.slice(before + 1).toLowerCase()}`] : NO_NAMES;
  }
  return [`${kind}:${(id ? id.slice(last + 1) : t.name).toLowerCase()}`];
}

const NO_NAMES: readonly string[] = [];

export function hasDerivedColumns(t: TableDef): boolean {
  if (t.columnsFrom) return true;
  // only relations built from a query pass columns on (views, CTAS, dbt models): a plain CREATE TABLE never does
  if (t.kind === 'table' && t.definitionSql === undefined) return false;
  for (const c of t.columns) if (c.derivedFrom) return true;
  return false;
}

/**
 * The table with its derived columns worked out again: the columns a `select *` stands for (`columnsFrom`) and the
 * types of the columns that pass another one on. A copy when anything differs from `t` (catalog tables share their
 * columns with the files' facts); undefined when nothing does. The same for a table as parsed and for a copy this
 * made before, so a catalog may keep the copies.
 */
export function withDerivedTypes(t: TableDef, lookup: RelationLookup, memo: DerivedTypeMemo = newDerivedTypeMemo()): TableDef | undefined {
  const list = t.columnsFrom ? withStarColumns(t, lookup, memo) : ownColumns(t);
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
 * The table's own columns (those schema.yml lists, say), each passing on the column of that name of the relation
 * `select *` reads, then that relation's other columns in its order. Own columns stay first and in their order, so
 * that working the list out again from this result gives the same list.
 */
function withStarColumns(t: TableDef, lookup: RelationLookup, memo: DerivedTypeMemo): ColumnDef[] {
  const own = ownColumns(t);
  const names = columnNamesOf(t.columnsFrom!, lookup, memo, 0);
  if (!names) return own;
  const from = t.columnsFrom!;
  const upstream = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out = own.map((c) => {
    const name = upstream.get(c.name.toLowerCase());
    if (name === undefined || c.derivedFrom || c.dataType !== undefined) return c;
    return Object.assign({}, c, { derivedFrom: { table: from, column: name }, fromStar: 'merged' as const });
  });
  const listed = new Set(own.map((c) => c.name.toLowerCase()));
  for (const name of names) if (!listed.has(name.toLowerCase())) out.push({ name, derivedFrom: { table: from, column: name }, fromStar: true, origin: t.origin });
  return out;
}

/** The names of a relation's columns, following its own `select *` (undefined when it cannot be found, or loops). */
function columnNamesOf(name: QualifiedName, lookup: RelationLookup, memo: DerivedTypeMemo, depth: number): string[] | undefined {
  const table = resolve(name, lookup);
  if (!table || depth >= MAX_DEPTH) return undefined;
  const own = table.columns.filter((c) => c.fromStar !== true).map((c) => c.name);
  if (!table.columnsFrom) return own;
  const hit = memo.names.get(table);
  if (hit !== undefined) return hit === IN_PROGRESS ? own : hit;
  memo.names.set(table, IN_PROGRESS);
  const upstream = columnNamesOf(table.columnsFrom, lookup, memo, depth + 1);
  const seen = new Set(upstream?.map((n) => n.toLowerCase()));
  const names = upstream ? [...upstream, ...own.filter((n) => !seen.has(n.toLowerCase()))] : own;
  memo.names.set(table, names);
  return names;
}

function typedColumn(c: ColumnDef, lookup: RelationLookup, memo: DerivedTypeMemo): ColumnDef {
  if (!c.derivedFrom || (c.dataType !== undefined && c.typeFrom === undefined)) return c; // a written type stands
  const found = typeOf(c.derivedFrom.table, c.derivedFrom.column, lookup, 0, memo);
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

/**
 * What one pass over the catalog already found, by table and lower-case column (null: no type; IN_PROGRESS: on the
 * path being followed, so meeting it again is a cycle). Chains of models, each selecting from the one before, are
 * then walked once, and the answers do not depend on the order tables are visited in. Valid for one pass only.
 */
export interface DerivedTypeMemo {
  types: Map<TableDef, Map<string, FoundType | null | typeof IN_PROGRESS>>;
  /** The column names of tables with a `select *`. */
  names: Map<TableDef, string[] | typeof IN_PROGRESS>;
}

export const newDerivedTypeMemo = (): DerivedTypeMemo => ({ types: new Map(), names: new Map() });

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
  const c = table.columns.find((x) => x.name.toLowerCase() === lower);
  let found: FoundType | undefined;
  if (c && c.dataType !== undefined && c.typeFrom === undefined) {
    found = { dataType: c.dataType, typeFamily: c.typeFamily, typeFrom: `${table.schema}.${table.name}.${c.name}` };
  } else if (c?.derivedFrom) found = typeOf(c.derivedFrom.table, c.derivedFrom.column, lookup, depth + 1, memo);
  else if (table.columnsFrom) found = typeOf(table.columnsFrom, column, lookup, depth + 1, memo); // one of its star's
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
  return name === undefined ? [] : [`model:${name}`, `seed:${name}`];
}

/** The names a relation is found by under `key`: its bare name and its dbt node names. */
export function relationNames(key: string, t: TableDef): string[] {
  return [bare(key), ...dbtNodeNames(t)];
}

/** The names the sources of a table's derived columns go by: bare names, and dbt node names for ref() / source(). */
export function sourceNames(t: TableDef): Set<string> {
  const out = new Set<string>();
  const sources = t.columns.map((c) => c.derivedFrom?.table);
  if (t.columnsFrom) sources.push(t.columnsFrom);
  for (const q of sources) {
    if (!q) continue;
    out.add(bare(q.name));
    if (q.dbtRef) for (const n of nodesOfRef(q.dbtRef)) out.add(n);
  }
  return out;
}
