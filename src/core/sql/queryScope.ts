import { afterFunctions, closedType, type NumericFunction, type RawColumn, type TypeTerm } from './columnExpressions';
import type { Token } from './tokenizer';
import type { ColumnCandidate, ColumnRef, QualifiedName } from './types';

/** The shape a query exposes to whoever selects from it (a CTE or a subquery). */
export interface QueryShape {
  /**
   * `expr`: the column an output passes on; `castType`: its type as written (a cast) or evident (a literal, count(*));
   * `typeOf`: a column it takes its type from without passing it on (`coalesce(a, 0)`), after `functions` (`sum(a)`);
   * `typeTerm`: arithmetic whose type follows from its operands' (`quantity * unit_price`).
   */
  outputs: Array<{
    name: string;
    expr?: RawColumn;
    castType?: string;
    typeOf?: RawColumn;
    functions?: NumericFunction[];
    typeTerm?: TypeTerm<RawColumn>;
    scope: Scope;
    token?: Token;
  }>;
  /**
   * `*` / `t.*` items, in order; `at`: how many outputs come before it. `relation`: a macro's star over a catalog
   * relation (`{{ dbt_utils.star(ref('m'), except=[…]) }}`), some of its columns left out or renamed.
   */
  stars: Array<{ qualifier?: string[]; scope: Scope; at: number; relation?: RelationStar }>;
  /** The other branches of a UNION: the outputs of each at this shape's positions are the same columns. */
  unionOf?: QueryShape[];
}

export interface Source {
  /** Name the query uses for it: the alias, else the relation's own name. Folded. */
  alias: string;
  kind: 'table' | 'query' | 'opaque';
  table?: QualifiedName;
  shape?: QueryShape;
  /** `AS alias(c1, c2)` / `cte(c1, c2)` renames outputs by position. */
  columnAliases?: string[];
  /** Where the alias is written (a subquery's is the only name it has). */
  aliasToken?: Token;
}

/** A CTE of a WITH clause: the shape its query exposes, its `name(c1, c2)` renames, and the token naming it. */
export interface CteDef {
  shape: QueryShape;
  columnAliases?: string[];
  token?: Token;
  /** Of a WITH RECURSIVE: its own query may read it. */
  recursive?: true;
}

export interface Scope {
  parent?: Scope;
  ctes: Map<string, CteDef>;
  sources: Source[];
  /**
   * `a JOIN b USING (k)`: k → the relations joined on its right. Unqualified, `k` is the merged column, so those are
   * not other places it could come from.
   */
  mergedBy?: Map<string, Set<Source>>;
}

export function newScope(parent?: Scope): Scope {
  return { parent, ctes: new Map(), sources: [] };
}

export function findCte(scope: Scope | undefined, name: string): CteDef | undefined {
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
export function resolveColumn(scope: Scope, raw: RawColumn, within: Source[] | undefined, strict: boolean, depth = 0, types?: TypeProbe): Resolved | undefined {
  if (depth > MAX_DEPTH) return undefined;
  // not strict (a join's side): a column a CTE or subquery passes on from a column it leaves unqualified among several
  // relations is one of those (the catalog tells which; see joinUsage)
  const through = (source: Source): Resolved | undefined => {
    const ref = throughSource(source, raw.column, depth, types);
    if (ref) return { ref, source };
    const candidates = strict ? [] : candidatesIn(source, raw.column, depth);
    return candidates.length ? { ref: { column: raw.column, candidates }, source } : undefined;
  };
  if (raw.qualifier && raw.qualifier.length > 0) {
    const source = findQualifier(scope, raw.qualifier);
    return source ? through(source) : undefined;
  }
  const merged = within ? undefined : scope.mergedBy?.get(raw.column);
  const sources = within ?? (merged ? scope.sources.filter((s) => !merged.has(s)) : scope.sources);
  if (sources.length === 0) return undefined;
  if (sources.length === 1) {
    const one = through(sources[0]);
    // in a subquery, the column may be the outer query's (correlated): the catalog tells which (see joinUsage)
    if (one?.ref.table && !strict && !within && sources[0].kind === 'table' && scope.parent) {
      const outer = outerCandidates(scope.parent, raw.column, depth);
      if (outer.length) one.ref = { ...one.ref, outer };
    }
    return one;
  }
  // Several relations: a query source that names the column settles it; otherwise list the tables.
  const namedBy = sources.filter((s) => s.kind === 'query' && s.shape && outputIndex(s, raw.column) >= 0);
  if (namedBy.length === 1 && sources.every((s) => s === namedBy[0] || s.kind !== 'table')) return through(namedBy[0]);
  // Only one relation can hold the column (tables, plus queries that name it or have a star): it is that one.
  const possible = sources.filter((s) => s.kind !== 'query' || (s.kind === 'query' && (outputIndex(s, raw.column) >= 0 || (s.shape?.stars.length ?? 0) > 0)));
  if (possible.length === 1) return through(possible[0]);
  if (strict) return undefined;
  const candidates = distinct(sources.flatMap((s) => candidatesIn(s, raw.column, depth)));
  if (candidates.length === 0) return undefined;
  const ref: ColumnRef = { column: raw.column, candidates };
  // a subquery's column none of its own relations has is the outer query's (correlated)
  const outer = !within && scope.parent ? outerCandidates(scope.parent, raw.column, depth) : [];
  if (outer.length) ref.outer = outer;
  return { ref };
}

/**
 * Where a column of a source may come from, when the query alone cannot tell: a table, or (through a CTE or subquery
 * that names it) the relations its unqualified column there may belong to, each with the column's name there.
 */
function candidatesIn(source: Source, column: string, depth: number): ColumnCandidate[] {
  if (depth > MAX_DEPTH) return [];
  if (source.kind === 'table') return source.table ? [source.table] : [];
  if (source.kind !== 'query' || !source.shape) return [];
  const shape = source.shape;
  const idx = outputIndex(source, column);
  const output = idx >= 0 && !(source.columnAliases && shape.stars.length > 0) ? shape.outputs[idx] : undefined;
  if (!output) return [];
  const expr = output.expr;
  if (!expr) return [];
  const exact = resolveColumn(output.scope, expr, undefined, true, depth + 1)?.ref;
  if (exact?.table) return [exact.column === column ? exact.table : { ...exact.table, column: exact.column }];
  if (expr.qualifier?.length) {
    const inner = findQualifier(output.scope, expr.qualifier);
    return inner ? renamed(candidatesIn(inner, expr.column, depth + 1), expr.column, column) : [];
  }
  return renamed(output.scope.sources.flatMap((s) => candidatesIn(s, expr.column, depth + 1)), expr.column, column);
}

/** Candidates found under the name `inner`, as seen from outside, where the column is called `outer`. */
function renamed(candidates: ColumnCandidate[], inner: string, outer: string): ColumnCandidate[] {
  if (inner === outer) return candidates;
  return candidates.map((c) => (c.column === undefined ? { ...c, column: inner } : c));
}

/** The relations of the queries around a subquery that an unqualified column of it could belong to. */
function outerCandidates(scope: Scope | undefined, column: string, depth: number): ColumnCandidate[] {
  const out: ColumnCandidate[] = [];
  for (let s = scope; s; s = s.parent) {
    const merged = s.mergedBy?.get(column);
    for (const src of s.sources) if (!merged?.has(src)) out.push(...candidatesIn(src, column, depth + 1));
  }
  return distinct(out);
}

function distinct(candidates: ColumnCandidate[]): ColumnCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = `${c.schema ?? ''}.${c.name}.${c.column ?? ''}.${c.dbtRef ? JSON.stringify(c.dbtRef) : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The source a qualifier (`alias`, `schema.table`) names, in a scope or the queries around it. */
export function findQualifier(scope: Scope, qualifier: string[]): Source | undefined {
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

function throughSource(source: Source, column: string, depth: number, types?: TypeProbe): ColumnRef | undefined {
  if (source.kind === 'table') return source.table ? { table: source.table, column } : undefined;
  if (source.kind !== 'query' || !source.shape) return undefined;
  return throughShape(source.shape, column, source.columnAliases, depth + 1, types);
}

/**
 * What resolving a column for its type meets on the way: the first type a CTE or subquery writes for it (a cast, an
 * evident type). The column a query passes on keeps its identity through casts (a join key), its type does not.
 */
export interface TypeProbe {
  /** The type: the first written on the way, after the functions met before it. */
  castType?: string;
  /** Numeric functions met on the way before a type was written (`sum(x) as total` in a CTE), outermost first. */
  functions?: NumericFunction[];
  /** A type was written on the way: `castType` is final (undefined when a function over it has no agreed type). */
  settled?: boolean;
  /** Arithmetic met on the way (settled): the type is its, after `functions`. */
  term?: ResolvedTerm;
}

/** A type term whose columns are resolved (to catalog relations where the query leads to them). */
export type ResolvedTerm = TypeTerm<ColumnRef>;

/**
 * A term's columns resolved in a scope, each through CTEs and subqueries to a relation, a written type or arithmetic
 * there; a term that then needs no lookup becomes its type. Undefined when a column cannot be followed.
 */
export function resolveTerm(term: TypeTerm<RawColumn>, scope: Scope, depth: number): ResolvedTerm | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if ('type' in term) return term;
  if ('column' in term) {
    const probe: TypeProbe = term.functions ? { functions: term.functions } : {};
    const r = resolveColumn(scope, term.column, undefined, true, depth + 1, probe);
    const typed = probedType(probe, r?.ref.table ? r.ref : undefined);
    if (!typed) return undefined;
    if ('castType' in typed) return { type: typed.castType };
    if ('term' in typed) return typed.term;
    return typed.functions ? { column: typed.ref, functions: typed.functions } : { column: typed.ref };
  }
  const operands: ResolvedTerm[] = [];
  for (const o of term.operands) {
    const r = resolveTerm(o, scope, depth + 1);
    if (!r) return undefined;
    operands.push(r);
  }
  const resolved: ResolvedTerm = term.functions ? { operands, ops: term.ops, functions: term.functions } : { operands, ops: term.ops };
  if (operands.some((o) => !('type' in o))) return resolved;
  const type = closedType(resolved);
  return type === undefined ? undefined : { type };
}

/** Notes what an output met on the way tells about the type (see TypeProbe). */
function probeOutput(types: TypeProbe, output: QueryShape['outputs'][number], depth: number): void {
  if (types.settled) return;
  if (output.castType !== undefined) {
    types.settled = true;
    const type = afterFunctions(output.castType, types.functions);
    if (type !== undefined) types.castType = type;
  } else if (output.typeTerm) {
    types.settled = true;
    const term = resolveTerm(output.typeTerm, output.scope, depth + 1);
    if (term && 'type' in term) {
      const type = afterFunctions(term.type, types.functions);
      if (type !== undefined) types.castType = type;
    } else if (term) types.term = term;
  } else if (!output.expr && output.functions) types.functions = [...(types.functions ?? []), ...output.functions];
}

/** How a column is typed: a type, the base column (after numeric functions), or arithmetic over columns. */
export type ProbedType = { castType: string } | { ref: ColumnRef; functions?: NumericFunction[] } | { term: ResolvedTerm };

/**
 * How a column resolved with a probe is typed: by the type written on the way, else by the base column `ref` (after
 * the functions met), else not at all (a function over a written type that has no agreed result).
 */
export function probedType(probe: TypeProbe, ref: ColumnRef | undefined): ProbedType | undefined {
  if (probe.castType !== undefined) return { castType: probe.castType };
  if (probe.term) {
    if (!probe.functions) return { term: probe.term };
    const term: ResolvedTerm = { ...probe.term, functions: [...probe.functions, ...(('functions' in probe.term && probe.term.functions) || [])] };
    return { term };
  }
  if (!ref || (probe.settled && probe.functions)) return undefined;
  return probe.functions ? { ref, functions: probe.functions } : { ref };
}

/** Follow a column of a CTE/subquery to the base column it directly projects, or undefined when computed/ambiguous. */
export function throughShape(shape: QueryShape, column: string, columnAliases: string[] | undefined, depth: number, types?: TypeProbe): ColumnRef | undefined {
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
    if (types) probeOutput(types, output, depth);
    // for its type only, a column whose type it takes (`coalesce(a, 0)`) leads on
    const next = output.expr ?? (types ? output.typeOf : undefined);
    if (!next) return undefined;
    return resolveColumn(output.scope, next, undefined, true, depth + 1, types)?.ref;
  }
  if (shape.stars.length !== 1) return undefined;
  const star = shape.stars[0];
  return resolveColumn(star.scope, { qualifier: star.qualifier, column }, undefined, true, depth + 1, types)?.ref;
}

/**
 * What a `*` stands for, in order: columns (of CTEs and subqueries, whose columns the query itself tells: the name,
 * the base column projected when certain, a cast type written upstream) and relations of the catalog (a table, a
 * `ref()`, whose columns the catalog knows).
 */
/**
 * A column a `*` brings: `at`, where the select list of the CTE or subquery `of` names it (absent when the column
 * comes from a catalog relation's own star); else a catalog relation's columns.
 */
export type StarItem = { name: string; typed?: ProbedType; at?: { token: Token; of: string } } | RelationStar;

/** A catalog relation's columns, as a `*` brings them (all) or dbt_utils.star does (some left out, renamed). */
export interface RelationStar {
  relation: QualifiedName;
  except?: string[];
  prefix?: string;
  suffix?: string;
}

/**
 * What one `*` / `t.*` of a select list stands for (see StarItem), or undefined when that cannot be told: a star over
 * an opaque source (a function, VALUES), or over a query that renames its columns by position past a star of its own.
 */
export function starItems(star: QueryShape['stars'][number], depth = 0): StarItem[] | undefined {
  if (star.relation) return [star.relation];
  const sources = starSources(star);
  if (sources.length === 0) return undefined;
  const out: StarItem[] = [];
  for (const source of sources) {
    const items = source && sourceItems(source, depth + 1);
    if (!items) return undefined;
    out.push(...items);
  }
  return out;
}

/** What a `*` (or `t.*`) selects from: every source in its scope, or the one its qualifier names. */
function starSources(star: QueryShape['stars'][number]): Array<Source | undefined> {
  return star.qualifier ? [findQualifier(star.scope, star.qualifier)] : star.scope.sources;
}

/** Everything a source exposes, in order (see StarItem). */
function sourceItems(source: Source, depth: number): StarItem[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (source.kind === 'table') return source.table ? [{ relation: source.table }] : undefined;
  if (source.kind !== 'query' || !source.shape) return undefined;
  const shape = source.shape;
  const items: StarItem[] = [];
  const outputs = shape.outputs.map((o): StarItem => {
    const item: StarItem = { name: o.name };
    if (o.token) item.at = { token: o.token, of: source.alias };
    if (o.castType) item.typed = { castType: o.castType };
    else if (o.typeOf) {
      // a column it takes its type from, without passing it on
      const typedBy = resolveColumn(o.scope, o.typeOf, undefined, true, depth + 1)?.ref;
      if (typedBy) item.typed = o.functions ? { ref: typedBy, functions: o.functions } : { ref: typedBy };
    }
    return item;
  });
  let k = 0;
  for (const star of shape.stars) {
    while (k < star.at && k < outputs.length) items.push(outputs[k++]!);
    const inner = starItems(star, depth + 1);
    if (!inner) return undefined;
    items.push(...inner);
  }
  while (k < outputs.length) items.push(outputs[k++]!);
  const aliases = source.columnAliases;
  // `cte(c1, c2)` renames by position, which a relation's columns (not counted here) would shift
  if (aliases && items.some((c) => 'relation' in c)) return undefined;
  return items.map((c, i) => {
    if ('relation' in c) return c;
    const name = aliases?.[i] ?? c.name;
    // the column as seen from outside the source: through the source's own query (or the column whose type it takes),
    // typed by the first cast on the way
    const probe: TypeProbe = {};
    const item: StarItem = { name };
    if (c.at) item.at = c.at;
    if (c.typed && 'castType' in c.typed) item.typed = c.typed;
    else {
      const through = throughShape(shape, name, aliases, depth + 1, probe);
      // not reached through the query (positions past a star): the column the item itself was typed by
      const own = c.typed && 'ref' in c.typed ? c.typed : undefined;
      if (!through && own?.functions && !probe.settled) probe.functions = [...(probe.functions ?? []), ...own.functions];
      const typed = probedType(probe, through ?? own?.ref);
      if (typed) item.typed = typed;
    }
    return item;
  });
}

/**
 * A source's column as the other branches of its UNION give it (`with w as (select ws_item_sk item_sk from web_sales
 * union all select cs_item_sk from catalog_sales)`: `w.item_sk` is `catalog_sales.cs_item_sk` too), each a column or
 * candidates (see candidatesIn).
 */
export function unionBranchRefs(source: Source, column: string): ColumnRef[] {
  const shape = source.kind === 'query' ? source.shape : undefined;
  if (!shape?.unionOf?.length || shape.stars.length) return [];
  const names = source.columnAliases ?? shape.outputs.map((o) => o.name);
  if (!names.includes(column)) return [];
  const refs: ColumnRef[] = [];
  for (const branch of shape.unionOf) {
    if (branch.stars.length || branch.outputs.length !== shape.outputs.length) continue;
    const positional: Source = { alias: '', kind: 'query', shape: branch, columnAliases: names };
    const r = resolveColumn(newScope(), { column }, [positional], false, 1)?.ref;
    if (r) refs.push(r);
  }
  return refs;
}
