/**
 * Completion of joins from the evidence the join proposals hold (declared keys, dbt relationships tests, joins the
 * workspace's queries make, ORM relationships, names): after `JOIN`, a relation related to one already in the query
 * with its ON condition; after `ON`, the condition between the relation just joined and one before it.
 * A CTE or subquery joins through the catalog columns it passes on (`orders.customer_id` of `select * from
 * {{ ref('stg_orders') }}`), and a CTE of the query that passes a related relation's columns on is offered before the
 * relation itself, as a dbt model reads its inputs through its import CTEs.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import { dbtReference } from '../catalog/dbtNodes';
import { DEFAULT_SCHEMA, type ColumnDef, type TableDef } from '../catalog/model';
import { qualifiedName, quoteIdent } from '../catalog/ddlWriter';
import { HARD_EVIDENCE } from '../modeling/candidates';
import { aliasFor } from '../modeling/joinSql';
import type { Cardinality, JoinProposal, TableRef } from '../modeling/types';
import { sourceColumns } from './cursorResolution';
import { cteOfSource, describeCte, scopeAtCursor, visibleCtes, type CteInfo } from './cursorQuery';
import { dbtRelationOf } from './jinja';
import type { Scope, Source } from './queryScope';
import { statementAt, statementsOf } from './splitter';
import type { Token } from './tokenizer';

export interface JoinCompletion {
  /** `join`: a relation to join and its ON condition, after JOIN; `condition`: an ON condition, after ON. */
  kind: 'join' | 'condition';
  /** The text inserted in place of the word at the cursor. */
  text: string;
  /** A join's relation as a list shows it (a dbt model's or source's name, `schema.table`, a CTE) and its alias. */
  relation?: { name: string; alias?: string };
  /** The ON condition. */
  condition: string;
  /** What typing filters on: the relation's name after JOIN, the condition after ON. */
  filterText: string;
  /** The proposal the completion writes. */
  proposal: JoinProposal;
  /**
   * The cardinality as the query reads it, from the relations already in it to the joined one: `one-to-many` (or
   * `many-to-many`) multiplies their rows.
   */
  cardinality: Cardinality;
  /** The joined relation is a CTE of the query. */
  viaCte?: string;
}

export interface JoinCompletionOptions {
  /** The document is a dbt model: a relation is written as its ref() or source(). */
  dbtModel?: boolean;
  /** Most completions returned (default 25). */
  limit?: number;
}

/** A relation of the query (or one that can join it) with the written name of each catalog column it passes on. */
interface Relation {
  /** How the query names it: its alias, or a CTE's name. */
  qualifier: string;
  /** Catalog column (`schema.table.column`, lower case) → the name this relation gives it. */
  columns: Map<string, string>;
  /** Catalog relations (`schema.table`) it passes columns of. */
  tables: Set<string>;
}

const NO_CONDITION = new Set(['cross', 'natural']);

/**
 * Join completions at `offset`, or undefined when the cursor does not follow a JOIN or an ON. `proposals` is called
 * only then (they may cost seconds to compute on a large catalog).
 */
export function joinCompletionsAt(text: string, offset: number, catalog: CatalogIndex, proposals: () => readonly JoinProposal[], options: JoinCompletionOptions = {}): JoinCompletion[] | undefined {
  const statement = statementAt(text, offset, statementsOf(text));
  // what comes after the cursor is not written yet as far as the join is concerned
  const tokens = (statement?.tokens ?? []).filter((t) => t.offset < offset);
  let last = tokens.length - 1;
  if (last >= 0 && tokens[last].end === offset && isWord(tokens[last])) last--; // the word being typed
  const keyword = tokens[last];
  const word = keyword && isWord(keyword) && keyword.kind !== 'quotedIdentifier' ? keyword.text.toLowerCase() : '';
  if (word !== 'join' && word !== 'on') return undefined;
  if (word === 'join' && NO_CONDITION.has(tokens[last - 1]?.text.toLowerCase() ?? '')) return undefined;
  const upper = keyword.text === keyword.text.toUpperCase();
  const scope = scopeAtCursor(tokens.slice(0, last + 1), keyword.end);
  if (!scope) return [];
  const limit = options.limit ?? 25;
  const inQuery = scope.sources.map((s) => relationOf(scope, s, catalog)).filter((r): r is Relation => !!r);
  if (word === 'on') return conditionsAfterOn(scope, inQuery, proposals(), upper).slice(0, limit);
  const dbtModel = options.dbtModel || tokens.some((t) => t.kind === 'jinja' && !!dbtRelationOf(t));
  return joinsAfterJoin(scope, inQuery, catalog, proposals(), { upper, dbtModel }).slice(0, limit);
}

function isWord(t: Token): boolean {
  return t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'quotedIdentifier';
}

/** `ON |`: conditions between the relation just joined (the query's last) and each one before it. */
function conditionsAfterOn(scope: Scope, inQuery: Relation[], proposals: readonly JoinProposal[], upper: boolean): JoinCompletion[] {
  const joined = scope.sources.length ? relationNamed(inQuery, scope.sources[scope.sources.length - 1].alias) : undefined;
  if (!joined) return [];
  const out: JoinCompletion[] = [];
  for (const p of ranked(proposals)) {
    for (const earlier of inQuery) {
      if (earlier === joined) continue;
      for (const on of conditions(p, joined, earlier, upper)) out.push({ kind: 'condition', text: on.text, condition: on.text, filterText: on.text, proposal: p, cardinality: on.cardinality });
    }
  }
  return distinct(out);
}

/** `JOIN |`: relations related to one of the query's, each with its condition: the query's CTEs first, then tables. */
function joinsAfterJoin(scope: Scope, inQuery: Relation[], catalog: CatalogIndex, proposals: readonly JoinProposal[], how: { upper: boolean; dbtModel: boolean }): JoinCompletion[] {
  // an alias of a query around this one too: taking it would hide the outer relation from a correlated subquery
  const taken = new Set(visibleCtes(scope).map((c) => c.name));
  for (let s: Scope | undefined = scope; s; s = s.parent) for (const source of s.sources) taken.add(source.alias);
  const readTables = new Set(inQuery.flatMap((r) => [...r.tables]));
  const readCtes = new Set(scope.sources.map((s) => cteOfSource(scope, s)?.name));
  const ctes = visibleCtes(scope)
    .filter((c) => !readCtes.has(c.name))
    .map((c) => cteRelation(describeCte(c, catalog)));
  const viaCtes: JoinCompletion[] = [];
  const direct: JoinCompletion[] = [];
  const ON = how.upper ? 'ON' : 'on';
  for (const p of ranked(proposals)) {
    const ends = [tableKey(p.from), tableKey(p.to)];
    /** Relations this proposal joins through a CTE that passes them on: not offered again directly. */
    const throughCte = new Set<string>();
    for (const earlier of inQuery) {
      if (!ends.some((k) => earlier.tables.has(k))) continue;
      for (const cte of ctes) {
        if (!ends.some((k) => cte.tables.has(k))) continue;
        for (const on of conditions(p, cte, earlier, how.upper)) {
          const name = quoteIdent(cte.qualifier);
          viaCtes.push({ kind: 'join', text: `${name} ${ON} ${on.text}`, relation: { name }, condition: on.text, filterText: cte.qualifier, proposal: p, cardinality: on.cardinality, viaCte: cte.qualifier });
          for (const k of ends) if (cte.tables.has(k)) throughCte.add(k);
        }
      }
    }
    for (const earlier of inQuery) {
      for (const [side, other] of [[p.to, p.from], [p.from, p.to]] as const) {
        if (!touches(earlier, other)) continue;
        const key = tableKey(side);
        // a relation the query reads already is joined by a condition after its ON (a self-join apart); one a CTE
        // passes on the key columns of is joined through the CTE
        if ((readTables.has(key) && tableKey(other) !== key) || throughCte.has(key)) continue;
        const table = catalog.resolve({ schema: side.schema, name: side.table }).table;
        if (!table) continue;
        const alias = aliasFor({ schema: side.schema, table: side.table }, taken);
        const written = writtenRelation(table, how.dbtModel);
        for (const on of conditions(p, tableRelation(alias, table), earlier, how.upper)) {
          direct.push({ kind: 'join', text: `${written.text} ${alias} ${ON} ${on.text}`, relation: { name: written.name, alias }, condition: on.text, filterText: written.name, proposal: p, cardinality: on.cardinality });
        }
      }
    }
  }
  return distinct([...viaCtes, ...direct]);
}

/**
 * `a.x = b.y [AND …]` joining `joined` to `earlier` by the proposal, each way round that fits (both, for a relation
 * joined to itself: its parent or its children), when each relation passes on its side's columns; the joined
 * relation's columns are written first.
 */
function conditions(p: JoinProposal, joined: Relation, earlier: Relation, upper: boolean): Array<{ text: string; cardinality: Cardinality }> {
  const out: Array<{ text: string; cardinality: Cardinality }> = [];
  for (const [joinedSide, earlierSide] of [['to', 'from'], ['from', 'to']] as const) {
    const mine = sideOf(p, joinedSide);
    const theirs = sideOf(p, earlierSide);
    const a = mine.columns.map((c) => joined.columns.get(columnKey(mine.table, c)));
    const b = theirs.columns.map((c) => earlier.columns.get(columnKey(theirs.table, c)));
    if (a.some((c) => c === undefined) || b.some((c) => c === undefined)) continue;
    const text = a.map((c, i) => `${quoteIdent(joined.qualifier)}.${quoteIdent(c!)} = ${quoteIdent(earlier.qualifier)}.${quoteIdent(b[i]!)}`).join(upper ? ' AND ' : ' and ');
    // the proposal reads from → to; the query, from what it has to what it joins
    out.push({ text, cardinality: joinedSide === 'to' ? p.cardinality : reversed(p.cardinality) });
  }
  return out;
}

function sideOf(p: JoinProposal, side: 'from' | 'to'): { table: TableRef; columns: string[] } {
  return side === 'from' ? { table: p.from, columns: p.fromColumns } : { table: p.to, columns: p.toColumns };
}

function touches(r: Relation, t: TableRef): boolean {
  return r.tables.has(tableKey(t));
}

const rankings = new WeakMap<readonly JoinProposal[], JoinProposal[]>();

/** Evidence a person wrote down (a key, a test, a query) before names alone; then by score. Sorted once per list. */
function ranked(proposals: readonly JoinProposal[]): JoinProposal[] {
  let sorted = rankings.get(proposals);
  if (!sorted) {
    const hard = new Map(proposals.map((p) => [p, isWrittenDown(p) ? 1 : 0]));
    sorted = [...proposals].sort((a, b) => hard.get(b)! - hard.get(a)! || b.score - a.score);
    rankings.set(proposals, sorted);
  }
  return sorted;
}

/** Whether a person wrote the join down somewhere (a key, a test, a query, an ORM model), not names alone. */
export function isWrittenDown(p: JoinProposal): boolean {
  return p.evidence.some((e) => HARD_EVIDENCE.has(e.kind));
}

function distinct(items: JoinCompletion[]): JoinCompletion[] {
  const seen = new Set<string>();
  return items.filter((c) => !seen.has(c.text) && !!seen.add(c.text));
}

function relationNamed(relations: Relation[], qualifier: string): Relation | undefined {
  return relations.find((r) => r.qualifier === qualifier);
}

/** A source of the query as a relation: the catalog columns it passes on, by the names it gives them. */
function relationOf(scope: Scope, source: Source, catalog: CatalogIndex): Relation | undefined {
  const passed = sourceColumns(scope, source, catalog).map((c) =>
    c.kind === 'column' ? { name: c.column.name, base: { table: c.table, column: c.column } } : c.kind === 'queryColumn' ? c.column : { name: '' });
  const relation = relationPassing(source.alias, passed);
  return relation.columns.size ? relation : undefined;
}

function cteRelation(cte: CteInfo): Relation {
  return relationPassing(cte.name, cte.columns);
}

function tableRelation(alias: string, table: TableDef): Relation {
  return relationPassing(alias, table.columns.map((column) => ({ name: column.name, base: { table, column } })));
}

/** A relation named `qualifier` that gives the catalog columns passed on the names listed (the first name a column gets). */
function relationPassing(qualifier: string, passed: Iterable<{ name: string; base?: { table: TableDef; column: ColumnDef } }>): Relation {
  const columns = new Map<string, string>();
  const tables = new Set<string>();
  for (const { name, base } of passed) {
    if (!base) continue;
    const t = { schema: base.table.schema, table: base.table.name };
    const key = columnKey(t, base.column.name);
    if (!columns.has(key)) columns.set(key, name);
    tables.add(tableKey(t));
  }
  return { qualifier, columns, tables };
}

function tableKey(t: TableRef): string {
  return `${t.schema}.${t.table}`.toLowerCase();
}

function columnKey(t: TableRef, column: string): string {
  return `${tableKey(t)}.${column.toLowerCase()}`;
}

/**
 * The relation as the query would write it (`text`) and a list shows it (`name`): its ref() or source() in a dbt
 * model, shown by the name dbt gives it; else its name, schema-qualified outside the default schema.
 */
function writtenRelation(table: TableDef, dbtModel: boolean): { text: string; name: string } {
  const ref = dbtModel ? dbtReference(table) : undefined;
  if (ref) return { text: `{{ ${ref.call} }}`, name: ref.name };
  const text = qualifiedName(table.schema.toLowerCase() === DEFAULT_SCHEMA ? undefined : table.schema, table.name);
  return { text, name: text };
}

function reversed(c: Cardinality): Cardinality {
  return c === 'many-to-one' ? 'one-to-many' : c === 'one-to-many' ? 'many-to-one' : c;
}
