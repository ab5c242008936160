import type { RawColumn } from './columnExpressions';
import type { Token } from './tokenizer';
import type { ColumnRef, QualifiedName } from './types';

/** The shape a query exposes to whoever selects from it (a CTE or a subquery). */
export interface QueryShape {
  outputs: Array<{ name: string; expr?: RawColumn; castType?: string; scope: Scope; token?: Token }>;
  /** `*` / `t.*` items, in order. */
  stars: Array<{ qualifier?: string[]; scope: Scope }>;
}

export interface Source {
  /** Name the query uses for it: the alias, else the relation's own name. Folded. */
  alias: string;
  kind: 'table' | 'query' | 'opaque';
  table?: QualifiedName;
  shape?: QueryShape;
  /** `AS alias(c1, c2)` / `cte(c1, c2)` renames outputs by position. */
  columnAliases?: string[];
}

export interface Scope {
  parent?: Scope;
  ctes: Map<string, { shape: QueryShape; columnAliases?: string[] }>;
  sources: Source[];
}

export function newScope(parent?: Scope): Scope {
  return { parent, ctes: new Map(), sources: [] };
}

export function findCte(scope: Scope | undefined, name: string): { shape: QueryShape; columnAliases?: string[] } | undefined {
  for (let s = scope; s; s = s.parent) {
    const c = s.ctes.get(name);
    if (c) return c;
  }
  return undefined;
}

/** Result of resolving a written column: the resolved ref plus the first-level source it went through. */
export interface Resolved {
  ref: ColumnRef;
  source?: Source;
}

const MAX_DEPTH = 24;

/**
 * Resolve a written column in a scope. `strict` (used when looking through CTEs/subqueries) refuses to return
 * ambiguous results; otherwise an unqualified column among several tables gives `candidates`.
 */
export function resolveColumn(scope: Scope, raw: RawColumn, within: Source[] | undefined, strict: boolean, depth = 0): Resolved | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (raw.qualifier && raw.qualifier.length > 0) {
    const source = findQualifier(scope, raw.qualifier);
    if (!source) return undefined;
    const ref = throughSource(source, raw.column, depth);
    return ref ? { ref, source } : undefined;
  }
  const sources = within ?? scope.sources;
  if (sources.length === 0) return undefined;
  if (sources.length === 1) {
    const ref = throughSource(sources[0], raw.column, depth);
    return ref ? { ref, source: sources[0] } : undefined;
  }
  // Several relations: a query source that names the column settles it; otherwise list the tables.
  const namedBy = sources.filter((s) => s.kind === 'query' && s.shape && outputIndex(s, raw.column) >= 0);
  if (namedBy.length === 1 && sources.every((s) => s === namedBy[0] || s.kind !== 'table')) {
    const ref = throughSource(namedBy[0], raw.column, depth);
    return ref ? { ref, source: namedBy[0] } : undefined;
  }
  // Only one relation can hold the column (tables, plus queries that name it or have a star): it is that one.
  const possible = sources.filter((s) => s.kind !== 'query' || (s.kind === 'query' && (outputIndex(s, raw.column) >= 0 || (s.shape?.stars.length ?? 0) > 0)));
  if (possible.length === 1) {
    const ref = throughSource(possible[0], raw.column, depth);
    return ref ? { ref, source: possible[0] } : undefined;
  }
  if (strict) return undefined;
  const candidates: QualifiedName[] = [];
  for (const s of sources) {
    if (s.kind === 'table' && s.table) candidates.push(s.table);
    else if (s.kind === 'query' && outputIndex(s, raw.column) >= 0) {
      const r = throughSource(s, raw.column, depth);
      if (r?.table) candidates.push(r.table);
    }
  }
  if (candidates.length === 0) return undefined;
  return { ref: { column: raw.column, candidates } };
}

function findQualifier(scope: Scope, qualifier: string[]): Source | undefined {
  const last = qualifier[qualifier.length - 1];
  const schema = qualifier.length >= 2 ? qualifier[qualifier.length - 2] : undefined;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const src of s.sources) {
      if (src.alias !== last) continue;
      if (schema !== undefined && src.table?.schema !== undefined && src.table.schema !== schema) continue;
      return src;
    }
  }
  return undefined;
}

function outputIndex(source: Source, column: string): number {
  const shape = source.shape;
  if (!shape) return -1;
  if (source.columnAliases) return source.columnAliases.indexOf(column);
  return shape.outputs.findIndex((o) => o.name === column);
}

function throughSource(source: Source, column: string, depth: number): ColumnRef | undefined {
  if (source.kind === 'table') return source.table ? { table: source.table, column } : undefined;
  if (source.kind !== 'query' || !source.shape) return undefined;
  return throughShape(source.shape, column, source.columnAliases, depth + 1);
}

/** Follow a column of a CTE/subquery to the base column it directly projects, or undefined when computed/ambiguous. */
export function throughShape(shape: QueryShape, column: string, columnAliases: string[] | undefined, depth: number): ColumnRef | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let output: QueryShape['outputs'][number] | undefined;
  if (columnAliases) {
    const idx = columnAliases.indexOf(column);
    if (idx < 0) return undefined;
    if (shape.stars.length > 0) return undefined; // positions are unknowable past a star
    output = shape.outputs[idx];
  } else {
    output = shape.outputs.find((o) => o.name === column);
  }
  if (output) {
    if (!output.expr) return undefined;
    return resolveColumn(output.scope, output.expr, undefined, true, depth + 1)?.ref;
  }
  if (shape.stars.length !== 1) return undefined;
  const star = shape.stars[0];
  return resolveColumn(star.scope, { qualifier: star.qualifier, column }, undefined, true, depth + 1)?.ref;
}

/** A column a `*` stands for: its name, the base column it projects (when certain) and a cast type written upstream. */
export interface StarColumn {
  name: string;
  ref?: ColumnRef;
  castType?: string;
}

/**
 * The columns the stars of a select list stand for, in order, when every star is over CTEs or subqueries whose own
 * columns are all known (`select * from renamed`, the last line of most dbt models); undefined when a star is over a
 * table (its columns are in the catalog, not in this query) or over a query with a star of its own that cannot be
 * expanded.
 */
export function expandStars(shape: QueryShape, depth = 0): StarColumn[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const out: StarColumn[] = [];
  for (const star of shape.stars) {
    const sources = starSources(star);
    if (sources.length === 0) return undefined;
    for (const source of sources) {
      if (source?.kind !== 'query' || !source.shape) return undefined;
      const columns = columnsOfQuery(source, depth + 1);
      if (!columns) return undefined;
      for (const c of columns) {
        const ref = throughShape(source.shape, c.name, source.columnAliases, depth + 1);
        out.push(ref ? { name: c.name, ref, castType: c.castType } : { name: c.name, castType: c.castType });
      }
    }
  }
  return out;
}

/** What a `*` (or `t.*`) selects from: every source in its scope, or the one its qualifier names. */
function starSources(star: QueryShape['stars'][number]): Array<Source | undefined> {
  return star.qualifier ? [findQualifier(star.scope, star.qualifier)] : star.scope.sources;
}

/** Every column a CTE or subquery exposes, in order, or undefined when a star in it cannot be expanded. */
function columnsOfQuery(source: Source, depth: number): Array<{ name: string; castType?: string }> | undefined {
  const shape = source.shape!;
  let columns: Array<{ name: string; castType?: string }>;
  if (shape.stars.length === 0) columns = shape.outputs.map((o) => ({ name: o.name, castType: o.castType }));
  else if (shape.outputs.length === 0) {
    const expanded = expandStars(shape, depth);
    if (!expanded) return undefined;
    columns = expanded.map((c) => ({ name: c.name, castType: c.castType }));
  } else return undefined; // `a.*, b.x`: where the star's columns fall among the others is not kept
  if (!source.columnAliases) return columns;
  // `cte(c1, c2)` renames by position; columns past the list keep their names
  return columns.map((c, i) => ({ name: source.columnAliases![i] ?? c.name, castType: c.castType }));
}

/**
 * The one relation a select list made only of `*` takes all its columns from (`select * from {{ ref('x') }}`, also
 * through CTEs that are themselves `select * from` one relation); undefined when there is no such single relation.
 */
export function starRelation(shape: QueryShape, depth = 0): QualifiedName | undefined {
  if (depth > MAX_DEPTH || shape.outputs.length > 0 || shape.stars.length !== 1) return undefined;
  const star = shape.stars[0]!;
  const sources = starSources(star);
  if (sources.length !== 1) return undefined;
  const source = sources[0];
  if (source?.kind === 'table') return source.table;
  if (source?.kind === 'query' && source.shape && !source.columnAliases) return starRelation(source.shape, depth + 1);
  return undefined;
}
