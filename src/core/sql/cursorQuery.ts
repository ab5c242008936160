/**
 * The query block under a cursor, as the query analysis reads it: the relations and CTEs in scope there, and the
 * columns of a CTE or subquery. In SQL a CTE hides a relation of its name within its query, and an unqualified column
 * belongs to the relations of its own query block: hover, go to definition and completion follow this.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { ColumnDef, TableDef } from '../catalog/model';
import { identifierName } from './identifiers';
import { queryScopes, type ScopeSpan } from './queryAnalysis';
import { starItems, throughShape, type CteDef, type QueryShape, type RelationStar, type Scope, type Source } from './queryScope';
import type { Token } from './tokenizer';
import type { ColumnRef, QualifiedName } from './types';

/** Where a name is written in the text: offsets, `end` exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}

/** A column a CTE or subquery outputs. */
export interface QueryColumn {
  name: string;
  /** The catalog column it passes on, when the query leads to one (through `select *` over a ref() or a table too). */
  base?: { table: TableDef; column: ColumnDef };
  /** Where its select list names it (the alias, else the expression), or the list of the query a `*` brings it from. */
  site?: TextSpan;
  /** The CTE or subquery whose select list names it, when a `*` brought it from there. */
  from?: string;
}

/** A CTE of the query under the cursor, described for the editor. */
export interface CteInfo {
  name: string;
  /** Its name in the WITH clause. */
  site?: TextSpan;
  /** Its output columns, in order. */
  columns: QueryColumn[];
  /** A `*` in it stands for columns nobody can list here (an unknown relation): `columns` is not all of them. */
  partial: boolean;
  /** What its query reads (FROM and JOIN of its first block): catalog relations, or other CTEs by name. */
  reads: Array<{ name: string; table?: TableDef; cte?: true }>;
  /** A subquery in a FROM clause, named by its alias (`site`), not a CTE. */
  subquery?: true;
}

/** A CTE as the analysis knows it: its name and definition. */
export interface CteRef {
  name: string;
  def: CteDef;
}

const QUERY_WORDS = new Set(['select', 'with', 'values', 'insert', 'update', 'delete', 'merge']);

/**
 * The scope of the innermost query block around `offset` in a statement's significant tokens, if any. A block reaches
 * up to the token after it: the cursor typing past its last token (`from |`) is still in it.
 */
export function scopeAtCursor(tokens: Token[], offset: number): Scope | undefined {
  const start = queryStart(tokens);
  if (start === undefined) return undefined;
  let inner: ScopeSpan | undefined;
  for (const span of queryScopes(tokens, start, tokens.length)) {
    if (span.from >= span.to || tokens[span.from].offset > offset || offset > (tokens[span.to]?.offset ?? Infinity)) continue;
    if (!inner || span.to - span.from <= inner.to - inner.from) inner = span;
  }
  return inner?.scope;
}

/**
 * Where a statement's query begins: at once for a query or DML statement, after `AS` for `CREATE VIEW … AS` and
 * `CREATE TABLE … AS`; undefined for other statements.
 */
function queryStart(tokens: Token[]): number | undefined {
  let first = 0;
  while (tokens[first]?.kind === 'jinja') first++; // {{ config(...) }} before a dbt model
  const word = tokens[first]?.value;
  if (word === undefined ? tokens[first]?.text === '(' : QUERY_WORDS.has(word)) return first;
  let depth = 0;
  for (let k = first; k < tokens.length - 1; k++) {
    const t = tokens[k];
    if (t.kind === 'punct') depth += t.text === '(' ? 1 : t.text === ')' ? -1 : 0;
    else if (depth === 0 && t.value === 'as' && isQueryOpening(tokens[k + 1])) return k + 1;
  }
  return undefined;
}

function isQueryOpening(t: Token): boolean {
  return t.text === '(' || t.value === 'select' || t.value === 'with';
}

/** The CTE a query source reads (`from orders`, `join orders o`): the one of the scopes around whose shape it has. */
export function cteOfSource(scope: Scope, source: Source): CteRef | undefined {
  if (source.kind !== 'query') return undefined;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const [name, def] of s.ctes) if (def.shape === source.shape) return { name, def };
  }
  return undefined;
}

/** The CTE whose name `token` is in its WITH clause. */
export function cteDefinedBy(scope: Scope, token: Token): CteRef | undefined {
  const name = identifierName(token);
  for (let s: Scope | undefined = scope; s && name !== undefined; s = s.parent) {
    const def = s.ctes.get(name);
    if (def?.token === token) return { name, def };
  }
  return undefined;
}

/**
 * CTEs visible in a scope, innermost first; a name an inner WITH clause takes hides the outer one. Within a CTE's own
 * query only the CTEs defined before it are (it and those after it are not defined yet), and itself in a WITH RECURSIVE.
 */
export function visibleCtes(scope: Scope): CteRef[] {
  const out = new Map<string, CteRef>();
  let child: Scope | undefined;
  for (let s: Scope | undefined = scope; s; child = s, s = s.parent) {
    for (const [name, def] of s.ctes) {
      const inside = !!child && bodyScopes(def.shape).has(child);
      if (!out.has(name) && (!inside || def.recursive)) out.set(name, { name, def });
      if (inside) break;
    }
  }
  return [...out.values()];
}

/** The query blocks of a CTE's query: its select block and those of its UNION branches. */
function bodyScopes(shape: QueryShape, into = new Set<Scope>()): Set<Scope> {
  for (const o of shape.outputs) into.add(o.scope);
  for (const star of shape.stars) into.add(star.scope);
  for (const branch of shape.unionOf ?? []) bodyScopes(branch, into);
  return into;
}

export function describeCte(cte: CteRef, catalog: CatalogIndex): CteInfo {
  const { columns, partial } = queryColumns(cte.def.shape, cte.def.columnAliases, catalog);
  const info: CteInfo = { name: cte.name, columns, partial, reads: readsOf(cte.def.shape, catalog) };
  if (cte.def.token) info.site = spanOf(cte.def.token);
  return info;
}

/** A subquery of a FROM clause described as a CTE is: its alias, columns and what it reads. */
export function describeSubquery(source: Source & { shape: QueryShape }, catalog: CatalogIndex): CteInfo {
  const { columns, partial } = queryColumns(source.shape, source.columnAliases, catalog);
  const info: CteInfo = { name: source.alias, columns, partial, reads: readsOf(source.shape, catalog), subquery: true };
  if (source.aliasToken) info.site = spanOf(source.aliasToken);
  return info;
}

/**
 * The columns a query exposes, in order: those its select list names, and those its stars stand for (the columns of
 * a CTE it reads, or of a catalog relation: a table, a ref()). `columnAliases` renames them by position.
 */
export function queryColumns(shape: QueryShape, columnAliases: string[] | undefined, catalog: CatalogIndex): { columns: QueryColumn[]; partial: boolean } {
  const listed: QueryColumn[] = [];
  let partial = false;
  const own = (o: QueryShape['outputs'][number]): QueryColumn => (o.token ? { name: o.name, site: spanOf(o.token) } : { name: o.name });
  let k = 0;
  for (const star of shape.stars) {
    while (k < star.at && k < shape.outputs.length) listed.push(own(shape.outputs[k++]));
    const items = starItems(star);
    if (!items) partial = true;
    for (const item of items ?? []) {
      if (!('relation' in item)) listed.push(item.at ? { name: item.name, site: spanOf(item.at.token), from: item.at.of } : { name: item.name });
      else {
        const columns = relationStarColumns(item, catalog);
        if (!columns) partial = true;
        listed.push(...(columns ?? []));
      }
    }
  }
  while (k < shape.outputs.length) listed.push(own(shape.outputs[k++]));
  const renamed = columnAliases ? listed.map((c, i): QueryColumn => ({ ...c, name: columnAliases[i] ?? c.name })) : listed;
  const columns = renamed.filter((c) => c.name !== ''); // `count(*)` unnamed: nothing can refer to it
  for (const c of columns) c.base ??= catalogColumn(catalog, throughShape(shape, c.name, columnAliases, 0));
  return { columns, partial };
}

/** The columns a `*` over a catalog relation brings, as dbt_utils.star renames them; undefined when it is unknown. */
function relationStarColumns(star: RelationStar, catalog: CatalogIndex): QueryColumn[] | undefined {
  const table = catalogTable(catalog, star.relation);
  if (!table) return undefined;
  const except = new Set((star.except ?? []).map((e) => e.toLowerCase()));
  return table.columns
    .filter((column) => !except.has(column.name.toLowerCase()))
    .map((column) => ({ name: `${star.prefix ?? ''}${column.name}${star.suffix ?? ''}`, base: { table, column } }));
}

/** The relations a query's first block reads: its FROM and JOIN sources that are catalog relations or CTEs. */
function readsOf(shape: QueryShape, catalog: CatalogIndex): CteInfo['reads'] {
  const scope = shape.outputs[0]?.scope ?? shape.stars[0]?.scope;
  if (!scope) return [];
  const reads: CteInfo['reads'] = [];
  for (const source of scope.sources) {
    if (source.kind === 'table' && source.table) {
      const table = catalogTable(catalog, source.table);
      reads.push(table ? { name: source.table.name, table } : { name: writtenName(source.table) });
    } else {
      const cte = cteOfSource(scope, source);
      if (cte) reads.push({ name: cte.name, cte: true });
    }
  }
  return reads;
}

/** The catalog relation a query names: a table, or the model / source of a dbt ref() / source(). */
export function catalogTable(catalog: CatalogIndex, name: QualifiedName): TableDef | undefined {
  return catalog.resolveRef(name).table;
}

/** The catalog column a resolved column is, when its relation and the column are known. */
export function catalogColumn(catalog: CatalogIndex, ref: ColumnRef | undefined): QueryColumn['base'] {
  const table = ref?.table && catalogTable(catalog, ref.table);
  const column = table && catalog.column(table, ref!.column);
  return table && column ? { table, column } : undefined;
}

function writtenName(name: QualifiedName): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

export function spanOf(token: Token): TextSpan {
  return { start: token.offset, end: token.end };
}
