/**
 * What the identifier under the cursor means, for hover, go-to-definition and completion in SQL and dbt models:
 * a table (through aliases, schema qualification or dbt ref()/source()), a CTE of the query, or a column of a relation
 * in scope. Names are read as the query block around the cursor sees them (see cursorQuery): a CTE hides a relation
 * of its name, and an unqualified column is one of its own block's relations'.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { ColumnDef, TableDef } from '../catalog/model';
import { catalogColumn, catalogTable, cteDefinedBy, cteOfSource, describeCte, describeSubquery, queryColumns, scopeAtCursor, visibleCtes, type CteInfo, type CteRef, type QueryColumn } from './cursorQuery';
import { dbtRelationOf } from './jinja';
import { findCte, findQualifier, resolveColumn, throughShape, type QueryShape, type Scope, type Source } from './queryScope';
import { statementAt, statementsOf } from './splitter';
import type { Token } from './tokenizer';
import type { QualifiedName } from './types';

export type CursorTarget =
  | { kind: 'table'; table: TableDef; start: number; end: number }
  | { kind: 'column'; table: TableDef; column: ColumnDef; start: number; end: number }
  | { kind: 'columns'; hits: Array<{ table: TableDef; column: ColumnDef }>; start: number; end: number }
  /** A CTE of the query: its name where it is defined or read. */
  | { kind: 'cte'; cte: CteInfo; start: number; end: number }
  /** A column of a CTE: `column.base` is the catalog column it passes on, when it passes one on. */
  | { kind: 'cteColumn'; cte: CteInfo; column: QueryColumn; start: number; end: number };

/** Relations a statement reads, keyed by alias and by name, for resolving `alias.column` and bare columns. */
export interface StatementScope {
  aliases: Map<string, QualifiedName>;
  relations: QualifiedName[];
}

const NAME_KINDS = new Set(['identifier', 'quotedIdentifier', 'keyword']);
const CLAUSE_END = new Set(['where', 'group', 'order', 'having', 'limit', 'union', 'except', 'intersect', 'on', 'using', 'qualify', 'window', 'select', 'set', 'values', 'returning']);

function nameOf(t: Token): string {
  return t.kind === 'quotedIdentifier' ? (t.value ?? t.text) : t.text.toLowerCase();
}

function isDot(t: Token | undefined): boolean {
  return t?.kind === 'punct' && t.text === '.';
}

/** Significant tokens of the statement around an offset (no whitespace, comments or `{% %}` Jinja). */
function statementTokens(text: string, offset: number): Token[] {
  return statementAt(text, offset, statementsOf(text))?.tokens ?? [];
}

/** FROM/JOIN relations and their aliases, including dbt ref()/source() calls. CTE names resolve to nothing. */
export function scopeOf(tokens: Token[]): StatementScope {
  const aliases = new Map<string, QualifiedName>();
  const relations: QualifiedName[] = [];
  const ctes = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (nameOf(tokens[i]) === 'as' && tokens[i + 1]?.text === '(' && i > 0) ctes.add(nameOf(tokens[i - 1]));
  }
  let inFrom = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const word = t.kind === 'keyword' || t.kind === 'identifier' ? t.text.toLowerCase() : '';
    if (word === 'from' || word === 'join' || word === 'update' || word === 'into') { inFrom = true; i = readRelation(tokens, i + 1) - 1; continue; }
    if (inFrom && t.text === ',') { i = readRelation(tokens, i + 1) - 1; continue; }
    if (CLAUSE_END.has(word)) inFrom = false;
  }
  return { aliases, relations };

  function readRelation(ts: Token[], start: number): number {
    let i = start;
    let rel: QualifiedName | undefined;
    const jinja = ts[i]?.kind === 'jinja' ? dbtRelationOf(ts[i]) : undefined;
    if (jinja) { rel = { schema: jinja.dbtRef.kind === 'source' ? jinja.schema : undefined, name: jinja.name }; i++; }
    else if (ts[i] && (ts[i].kind === 'identifier' || ts[i].kind === 'quotedIdentifier')) {
      const parts = [nameOf(ts[i])];
      i++;
      while (isDot(ts[i]) && ts[i + 1] && NAME_KINDS.has(ts[i + 1].kind)) { parts.push(nameOf(ts[i + 1])); i += 2; }
      rel = parts.length >= 2 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { name: parts[0] };
    }
    if (!rel) return start;
    const isCte = !rel.schema && ctes.has(rel.name);
    if (!isCte) relations.push(rel);
    let alias: string | undefined;
    if (ts[i] && ts[i].text.toLowerCase() === 'as') i++;
    if (ts[i] && (ts[i].kind === 'identifier' || ts[i].kind === 'quotedIdentifier')) { alias = nameOf(ts[i]); i++; }
    if (!isCte) {
      aliases.set(rel.name.toLowerCase(), rel);
      if (alias) aliases.set(alias, rel);
    }
    return i;
  }
}

/** The dotted name chain containing token index `k`: indexes of its name tokens. */
function chainAround(tokens: Token[], k: number): number[] {
  let first = k;
  while (first >= 2 && isDot(tokens[first - 1]) && NAME_KINDS.has(tokens[first - 2].kind)) first -= 2;
  const chain = [first];
  let i = first;
  while (isDot(tokens[i + 1]) && tokens[i + 2] && NAME_KINDS.has(tokens[i + 2].kind)) { i += 2; chain.push(i); }
  return chain;
}

function lookup(catalog: CatalogIndex, rel: QualifiedName): TableDef | undefined {
  return catalog.resolve(rel).table;
}

type Span = { start: number; end: number };

/** What the query says a name is; `target` undefined when it knows the name yet has nothing to show for it. */
type Known = { target: CursorTarget | undefined };

function known(target: CursorTarget | undefined): Known {
  return { target };
}

export function resolveAtCursor(text: string, offset: number, catalog: CatalogIndex): CursorTarget | undefined {
  const tokens = statementTokens(text, offset);
  const k = tokens.findIndex((t) => t.offset <= offset && offset <= t.end && t.kind !== 'punct' && t.kind !== 'operator');
  if (k < 0) return undefined;
  const tok = tokens[k];
  const span = { start: tok.offset, end: tok.end };

  if (tok.kind === 'jinja') {
    const rel = dbtRelationOf(tok);
    const table = rel && catalogTable(catalog, rel);
    return table ? { kind: 'table', table, ...span } : undefined;
  }
  if (!NAME_KINDS.has(tok.kind)) return undefined;

  const chain = chainAround(tokens, k);
  const names = chain.map((i) => nameOf(tokens[i]));
  const pos = chain.indexOf(k);
  const query = scopeAtCursor(tokens, offset);
  if (!query) return inStatement(scopeOf(tokens), names, pos, catalog, span);
  // the query's own names first (its CTEs hide relations of their names); the catalog's for what it does not know
  const inside = inQuery(query, tok, names, pos, catalog, span);
  return inside ? inside.target : inStatement({ aliases: new Map(), relations: [] }, names, pos, catalog, span);
}

/** A name as the query block around it reads it: a CTE, a relation of its FROM, a column of one of them. */
function inQuery(scope: Scope, tok: Token, names: string[], pos: number, catalog: CatalogIndex, span: Span): Known | undefined {
  const defined = cteDefinedBy(scope, tok);
  if (defined) return known({ kind: 'cte', cte: describeCte(defined, catalog), ...span });
  const last = pos === names.length - 1;
  if (last && names.length >= 2) {
    const qualifier = names.slice(0, -1);
    const source = findQualifier(scope, qualifier);
    if (source) return known(columnOf(scope, source, names[pos], catalog, span));
    // a CTE the block does not read still hides the relation of its name
    const cte = qualifier.length === 1 ? findCte(scope, qualifier[0]) : undefined;
    return cte && known(cteColumn({ name: qualifier[0], def: cte }, names[pos], catalog, span));
  }
  const relation = relationIn(scope, names.slice(0, pos + 1), catalog, span);
  if (relation || !last) return relation;
  return bareColumn(scope, names[0], catalog, span);
}

/** A relation the query names: by its alias or name in a FROM around, or a CTE of a WITH around. */
function relationIn(scope: Scope, qualifier: string[], catalog: CatalogIndex, span: Span): Known | undefined {
  const source = findQualifier(scope, qualifier);
  if (source) return known(relationTarget(scope, source, catalog, span));
  if (qualifier.length !== 1) return undefined;
  const name = qualifier[0];
  const table = tableSourceNamed(scope, name);
  if (table) return known(relationTarget(scope, table, catalog, span));
  const cte = findCte(scope, name);
  return cte && known({ kind: 'cte', cte: describeCte({ name, def: cte }, catalog), ...span });
}

/** A table the query reads under an alias, written by its own name (`from orders o`, the cursor on `orders`). */
function tableSourceNamed(scope: Scope, name: string): Source | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const source = s.sources.find((src) => src.kind === 'table' && src.table?.name === name);
    if (source) return source;
  }
  return undefined;
}

function relationTarget(scope: Scope, source: Source, catalog: CatalogIndex, span: Span): CursorTarget | undefined {
  if (source.kind === 'table') {
    const table = source.table && catalogTable(catalog, source.table);
    return table && { kind: 'table', table, ...span };
  }
  const cte = cteOfSource(scope, source);
  if (cte) return { kind: 'cte', cte: describeCte(cte, catalog), ...span };
  const sub = subqueryOf(source);
  return sub && { kind: 'cte', cte: describeSubquery(sub, catalog), ...span };
}

/** A subquery of a FROM clause with a name to read it by. */
function subqueryOf(source: Source): (Source & { shape: QueryShape }) | undefined {
  return source.kind === 'query' && source.shape && source.alias ? (source as Source & { shape: QueryShape }) : undefined;
}

/** A column of one relation of the query: a catalog table's, a CTE's, or the base column a subquery passes on. */
function columnOf(scope: Scope, source: Source, name: string, catalog: CatalogIndex, span: Span): CursorTarget | undefined {
  if (source.kind === 'table') {
    const hit = catalogColumn(catalog, source.table && { table: source.table, column: name });
    return hit && { kind: 'column', ...hit, ...span };
  }
  if (source.kind !== 'query' || !source.shape) return undefined;
  const cte = cteOfSource(scope, source);
  if (cte) return cteColumn(cte, name, catalog, span);
  const passed = catalogColumn(catalog, throughShape(source.shape, name, source.columnAliases, 0));
  const sub = subqueryOf(source);
  if (!sub) return passed && { kind: 'column', ...passed, ...span };
  // as a CTE's: where its select list names it, and the catalog column it passes on
  const info = describeSubquery(sub, catalog);
  const column = info.columns.find((c) => c.name === name) ?? (passed && { name, base: passed });
  return column && { kind: 'cteColumn', cte: info, column, ...span };
}

function cteColumn(cte: CteRef, name: string, catalog: CatalogIndex, span: Span): CursorTarget | undefined {
  const info = describeCte(cte, catalog);
  const column = info.columns.find((c) => c.name === name) ?? passedOn(cte, name, catalog);
  return column && { kind: 'cteColumn', cte: info, column, ...span };
}

/** A column of a CTE past a `*` nobody can list here, when it still leads to a catalog column. */
function passedOn(cte: CteRef, name: string, catalog: CatalogIndex): QueryColumn | undefined {
  const base = catalogColumn(catalog, throughShape(cte.def.shape, name, cte.def.columnAliases, 0));
  return base && { name, base };
}

/** An unqualified column: one of the relations of its own query block (or of a query around a subquery). */
function bareColumn(scope: Scope, name: string, catalog: CatalogIndex, span: Span): Known {
  const resolved = resolveColumn(scope, { column: name }, undefined, false);
  if (resolved?.source) {
    const target = columnOf(scope, resolved.source, name, catalog, span);
    if (target) return known(target);
  }
  const hits = (resolved?.ref.candidates ?? []).flatMap((c) => {
    const hit = catalogColumn(catalog, { table: c, column: c.column ?? name });
    return hit ? [hit] : [];
  });
  if (hits.length === 1) return known({ kind: 'column', ...hits[0], ...span });
  if (hits.length > 1) return known({ kind: 'columns', hits, ...span });
  return known(cteColumnNamed(scope, name, catalog, span));
}

/**
 * An unqualified column the analysis could not follow (computed in a CTE or subquery, or brought by stars of several
 * CTEs): the CTEs and subqueries the block reads that have it.
 */
function cteColumnNamed(scope: Scope, name: string, catalog: CatalogIndex, span: Span): CursorTarget | undefined {
  const found = scope.sources.flatMap((source) => {
    const cte = cteOfSource(scope, source);
    const sub = cte ? undefined : subqueryOf(source);
    const info = cte ? describeCte(cte, catalog) : sub && describeSubquery(sub, catalog);
    const column = info?.columns.find((c) => c.name === name);
    return info && column ? [{ cte: info, column }] : [];
  });
  if (found.length === 1) return { kind: 'cteColumn', ...found[0], ...span };
  const hits = found.flatMap((f) => (f.column.base ? [f.column.base] : []));
  return hits.length > 1 && hits.length === found.length ? { kind: 'columns', hits, ...span } : undefined;
}

/** A name as the statement's relations and the catalog read it, where no query block says what it is. */
function inStatement(scope: StatementScope, names: string[], pos: number, catalog: CatalogIndex, span: Span): CursorTarget | undefined {
  const tableFor = (qualifier: string[]): TableDef | undefined => {
    if (qualifier.length === 1) {
      const aliased = scope.aliases.get(qualifier[0].toLowerCase());
      if (aliased) return lookup(catalog, aliased);
      return lookup(catalog, { name: qualifier[0] });
    }
    return lookup(catalog, { schema: qualifier[qualifier.length - 2], name: qualifier[qualifier.length - 1] });
  };

  // Cursor on the last part of a chain of 2+ names: a column of the qualifier, or schema.table itself.
  if (pos === names.length - 1 && names.length >= 2) {
    const asTable = names.length === 2 ? lookup(catalog, { schema: names[0], name: names[1] }) : undefined;
    const owner = tableFor(names.slice(0, -1));
    const column = owner && catalog.column(owner, names[pos]);
    if (column && owner) return { kind: 'column', table: owner, column, ...span };
    if (asTable) return { kind: 'table', table: asTable, ...span };
    return undefined;
  }
  // Cursor on a qualifier: a table (alias, name or schema.table); a schema name shows nothing for now.
  if (pos < names.length - 1) {
    const owner = tableFor(names.slice(0, pos + 1));
    return owner ? { kind: 'table', table: owner, ...span } : undefined;
  }
  // A bare name: an alias or table, else a column of one of the statement's relations.
  const word = names[0];
  const aliased = scope.aliases.get(word.toLowerCase());
  if (aliased) {
    const t = lookup(catalog, aliased);
    if (t) return { kind: 'table', table: t, ...span };
  }
  const inScope = scope.relations.map((r) => lookup(catalog, r)).filter((t): t is TableDef => t !== undefined);
  const hits = inScope.flatMap((table) => {
    const column = catalog.column(table, word);
    return column ? [{ table, column }] : [];
  });
  if (hits.length === 1) return { kind: 'column', ...hits[0], ...span };
  if (hits.length > 1) return { kind: 'columns', hits, ...span };
  const direct = lookup(catalog, { name: word });
  if (direct) return { kind: 'table', table: direct, ...span };
  return undefined;
}

export type CompletionItemData =
  | { kind: 'schema'; name: string }
  /** `qualified`: offered where no schema was typed, and outside Redshift's default search path: insert `schema.table`. */
  | { kind: 'table'; table: TableDef; qualified?: true }
  | { kind: 'column'; table: TableDef; column: ColumnDef }
  /** A CTE the query under the cursor can read. */
  | { kind: 'cte'; cte: CteInfo }
  /** A column of a CTE or subquery, `of` its name. */
  | { kind: 'queryColumn'; of: string; column: QueryColumn };

/** Completion candidates at an offset: columns after `alias.`, tables after `schema.`, else schemas, tables and in-scope columns. */
export function completionsAt(text: string, offset: number, catalog: CatalogIndex): CompletionItemData[] {
  const before = text.slice(0, offset);
  const qualified = /([A-Za-z_][\w$]*|"[^"]+")\.([A-Za-z_][\w$]*)?$/.exec(before);
  const tokens = statementTokens(text, Math.max(0, offset - 1));
  const query = scopeAtCursor(tokens, offset);
  if (qualified) {
    const written = qualified[1];
    const q = written.startsWith('"') ? written.slice(1, -1) : written.toLowerCase();
    const out: CompletionItemData[] = (query && columnsOfQualifier(query, q, catalog)) ?? statementColumnsOf(scopeOf(tokens), q, catalog);
    out.push(...catalog.tablesInSchema(q).map((table) => ({ kind: 'table' as const, table })));
    return out;
  }
  const out: CompletionItemData[] = catalog.schemas().map((name) => ({ kind: 'schema' as const, name }));
  for (const table of catalog.tables()) out.push(table.schema.toLowerCase() === 'public' ? { kind: 'table', table } : { kind: 'table', table, qualified: true });
  if (query) {
    out.push(...visibleCtes(query).map((cte) => ({ kind: 'cte' as const, cte: describeCte(cte, catalog) })));
    for (let s: Scope | undefined = query; s; s = s.parent) for (const source of s.sources) out.push(...sourceColumns(query, source, catalog));
    return out;
  }
  for (const rel of scopeOf(tokens).relations) {
    const t = lookup(catalog, rel);
    if (t) out.push(...t.columns.map((column) => ({ kind: 'column' as const, table: t, column })));
  }
  return out;
}

/** The columns after `q.` where the query says what `q` is (an alias, a relation of its FROM, a CTE). */
function columnsOfQualifier(scope: Scope, q: string, catalog: CatalogIndex): CompletionItemData[] | undefined {
  const source = findQualifier(scope, [q]);
  if (source) return sourceColumns(scope, source, catalog);
  const cte = findCte(scope, q);
  return cte && cteColumns(describeCte({ name: q, def: cte }, catalog));
}

/** The columns after `q.` by the statement's aliases, else the catalog relation named `q`. */
function statementColumnsOf(scope: StatementScope, q: string, catalog: CatalogIndex): CompletionItemData[] {
  const aliased = scope.aliases.get(q.toLowerCase());
  const owner = aliased ? lookup(catalog, aliased) : lookup(catalog, { name: q });
  return owner ? owner.columns.map((column) => ({ kind: 'column' as const, table: owner, column })) : [];
}

/** The columns a source of the query exposes: a catalog relation's, or a CTE's or subquery's outputs. */
export function sourceColumns(scope: Scope, source: Source, catalog: CatalogIndex): CompletionItemData[] {
  if (source.kind === 'table') {
    const table = source.table && catalogTable(catalog, source.table);
    return table ? table.columns.map((column) => ({ kind: 'column' as const, table, column })) : [];
  }
  if (source.kind !== 'query' || !source.shape) return [];
  const cte = cteOfSource(scope, source);
  if (cte) return cteColumns(describeCte(cte, catalog));
  return queryColumns(source.shape, source.columnAliases, catalog).columns.map((column) => ({ kind: 'queryColumn' as const, of: source.alias, column }));
}

function cteColumns(cte: CteInfo): CompletionItemData[] {
  return cte.columns.map((column) => ({ kind: 'queryColumn' as const, of: cte.name, column }));
}
