/**
 * CREATE [TEMP] TABLE / CREATE TABLE AS / CREATE EXTERNAL TABLE / CREATE [MATERIALIZED] VIEW, and the queries inside
 * CREATE PROCEDURE / FUNCTION bodies.
 * The cursor arrives just after CREATE.
 */
import type { CatalogTypeTerm, ColumnDef, Origin, RelationKind, StarSource, TableDef } from '../catalog/model';
import { typeFamilyOf } from './dataTypes';
import { sourceText, withDefaultSchema, type DdlContext } from './ddlContext';
import { parseColumnDefinition, parseTableConstraint, readColumnList, startsTableConstraint } from './columnDefinition';
import { identifierName, readQualifiedName } from './identifiers';
import type { OutputColumn } from './queryAnalysis';
import type { ResolvedTerm } from './queryScope';
import { routineQueries } from './routineBodies';
import { SqlSyntaxError, TokenCursor, splitTopLevel } from './tokenCursor';
import type { Token } from './tokenizer';
import type { DdlOperation, QualifiedName } from './types';

export function parseCreate(ctx: DdlContext, c: TokenCursor): void {
  const orReplace = c.acceptWords('or', 'replace');
  c.acceptAnyWord('local', 'global');
  const temporary = c.acceptAnyWord('temp', 'temporary') !== undefined;
  c.acceptWord('unlogged');
  if (c.acceptWord('table')) return createTable(ctx, c, temporary, 'table');
  if (c.acceptWords('external', 'table')) return createTable(ctx, c, temporary, 'externalTable');
  if (c.acceptWord('view')) return createView(ctx, c, 'view', orReplace, temporary);
  if (c.acceptWords('materialized', 'view')) return createView(ctx, c, 'materializedView', orReplace, temporary);
  if (c.acceptAnyWord('procedure', 'function')) return routineQueries(ctx, c);
  // CREATE SCHEMA / USER / ...: not catalog facts we keep.
}

function newTable(ctx: DdlContext, name: QualifiedName, tok: Token, kind: RelationKind): TableDef {
  const q = withDefaultSchema(name);
  return { schema: q.schema, name: q.name, kind, columns: [], constraints: [], origin: ctx.origin(tok) };
}

function createTable(ctx: DdlContext, c: TokenCursor, temporary: boolean, kind: RelationKind): void {
  const ifNotExists = c.acceptWords('if', 'not', 'exists');
  const name = readQualifiedName(c);
  if (!name) throw c.error('expected a table name');
  if (name.name.startsWith('#')) temporary = true;
  const table = newTable(ctx, name, name.token, kind);
  const op: Extract<DdlOperation, { op: 'createTable' }> = { op: 'createTable', table };
  if (ifNotExists) op.ifNotExists = true;
  if (temporary) op.temporary = true;

  let ctasColumns: string[] | undefined;
  const inner = c.isPunct('(') ? c.skipParens() : undefined;
  if (inner && c.tokens[inner.to]?.text !== ')') {
    // The table is still recorded from what was readable, but the user must hear about the unbalanced list.
    ctx.diagnostic('error', "unbalanced parentheses: the column list is not closed with ')'", c.tokens[inner.from - 1]);
  }
  if (inner) {
    const elements = splitTopLevel(c.tokens, inner.from, inner.to);
    if (elements.length > 0 && elements.every((e) => e.to - e.from === 1)) {
      ctasColumns = elements.map((e) => identifierName(c.tokens[e.from]) ?? '');
    } else {
      for (const e of elements) tableElement(ctx, e.from, e.to, table, op);
    }
  }
  tableAttributes(ctx, c, table);
  if (c.acceptWord('as')) {
    const body = { from: c.pos, to: c.end };
    const analysis = ctx.analyzeBody(body.from, body.to);
    table.definitionSql = sourceText(ctx, body.from, body.to);
    if (table.columns.length === 0) {
      table.columns = columnsFromOutputs(ctx, analysis.outputColumns, ctasColumns, name.token);
      // a column list renames by position, which a star's columns would shift
      const stars = ctasColumns ? undefined : starsOfTable(analysis.starsFrom, analysis.outputColumns.length);
      if (stars) table.starsFrom = stars;
    }
  } else if (ctasColumns) {
    // `CREATE TABLE t (a, b)` without AS: keep the names, types unknown
    table.columns = ctasColumns.filter((n) => n !== '').map((n) => ({ name: n, origin: ctx.origin(name.token) }));
  }
  ctx.emit(op);
}

function tableElement(ctx: DdlContext, from: number, to: number, table: TableDef, op: Extract<DdlOperation, { op: 'createTable' }>): void {
  if (from >= to) return;
  const c = new TokenCursor(ctx.tokens, from, to);
  try {
    if (c.acceptWord('like')) {
      const like = readQualifiedName(c);
      if (!like) throw c.error('expected a table name after LIKE');
      op.likeTable = withDefaultSchema(like);
      return;
    }
    if (startsTableConstraint(c)) {
      const def = parseTableConstraint(ctx, from, to);
      if (def) table.constraints.push(def);
      return;
    }
    table.columns.push(parseColumnDefinition(ctx, from, to, table));
  } catch (err) {
    if (!(err instanceof SqlSyntaxError)) throw err;
    // One bad column does not lose the table.
    ctx.diagnostic('error', err.message, err.token);
  }
}

/** Redshift table attributes (and PostgreSQL ones we skip) up to AS or the end. */
function tableAttributes(ctx: DdlContext, c: TokenCursor, table: TableDef): void {
  while (!c.atEnd() && !(c.isWord('as') && startsQueryAt(c, 1))) {
    const before = c.pos;
    if (c.acceptWords('stored', 'as')) {
      c.next(); // STORED AS PARQUET / TEXTFILE / INPUTFORMAT ...
    } else if (c.acceptWord('diststyle')) {
      const style = identifierName(c.next());
      if (style === undefined) throw c.error('expected a DISTSTYLE');
      table.distStyle = style;
    } else if (c.acceptWord('distkey')) {
      const cols = readColumnList(c);
      if (cols[0] !== undefined) table.distKey = cols[0];
    } else if (c.isWord('sortkey') || c.isWord('compound') || c.isWord('interleaved')) {
      const style = c.acceptWord('interleaved') ? 'interleaved' : (c.acceptWord('compound'), 'compound');
      c.expectWord('sortkey');
      if (c.acceptWord('auto')) table.sortKey = undefined;
      else table.sortKey = { style, columns: readColumnList(c) };
    } else if (c.acceptWord('backup')) {
      c.acceptAnyWord('yes', 'no');
    } else if (c.acceptWord('encode')) {
      c.acceptWord('auto');
    } else if (c.acceptWords('partitioned', 'by') && table.kind === 'externalTable') {
      // Spectrum partition columns are queryable columns too
      const inner = c.skipParens();
      if (inner) for (const e of splitTopLevel(c.tokens, inner.from, inner.to)) tableElement(ctx, e.from, e.to, table, { op: 'createTable', table });
    } else {
      c.pos++;
      c.skipParens();
    }
    if (c.pos === before) c.pos++;
  }
}

function startsQueryAt(c: TokenCursor, k: number): boolean {
  while (c.isPunct('(', k)) k++;
  return c.isWord('select', k) || c.isWord('with', k) || c.isWord('values', k);
}

function columnsFromOutputs(ctx: DdlContext, outputs: OutputColumn[], names: string[] | undefined, tok: Token): ColumnDef[] {
  const cols: ColumnDef[] = [];
  outputs.forEach((o, i) => cols.push(columnFromOutput(o, names?.[i] || o.name, ctx.origin(o.token ?? tok))));
  if (names && names.length > outputs.length) {
    for (const n of names.slice(outputs.length)) if (n) cols.push({ name: n, origin: ctx.origin(tok) });
  }
  return cols;
}

/**
 * A relation's starsFrom from its query's (whose `at` counts output columns): `keptBefore(i)` of the relation's own
 * columns come before output i (when some outputs are not kept); a star after the last output goes after them all.
 */
export function starsOfTable(stars: StarSource[] | undefined, outputs: number, keptBefore: (i: number) => number = (i) => i): StarSource[] | undefined {
  return stars?.map((s) => {
    const { at, ...rest } = s;
    return at === undefined || at >= outputs ? rest : Object.assign(rest, { at: keptBefore(at) });
  });
}

/** An output column of a view, CTAS or dbt model: its cast type when written, else the column it passes on. */
export function columnFromOutput(o: OutputColumn, name: string, origin: Origin): ColumnDef {
  const col: ColumnDef = { name, origin };
  if (o.castType) {
    col.dataType = o.castType;
    col.typeFamily = typeFamilyOf(o.castType);
  } else if (o.source?.table) {
    col.derivedFrom = o.functions ? { table: o.source.table, column: o.source.column, functions: o.functions } : { table: o.source.table, column: o.source.column };
  } else if (o.typeTerm) {
    const term = catalogTerm(o.typeTerm);
    if (term) col.typeTerm = term;
  }
  return col;
}

/** A resolved term as the catalog keeps it: each column a relation's; undefined when one is not. */
function catalogTerm(term: ResolvedTerm): CatalogTypeTerm | undefined {
  if ('type' in term) return { type: term.type };
  if ('column' in term) {
    const table = term.column.table;
    if (!table) return undefined;
    return term.functions ? { column: { table, column: term.column.column }, functions: term.functions } : { column: { table, column: term.column.column } };
  }
  const operands: CatalogTypeTerm[] = [];
  for (const o of term.operands) {
    const c = catalogTerm(o);
    if (!c) return undefined;
    operands.push(c);
  }
  return term.functions ? { operands, ops: term.ops, functions: term.functions } : { operands, ops: term.ops };
}

function createView(ctx: DdlContext, c: TokenCursor, kind: 'view' | 'materializedView', orReplace: boolean, temporary: boolean): void {
  const ifNotExists = c.acceptWords('if', 'not', 'exists');
  const name = readQualifiedName(c);
  if (!name) throw c.error('expected a view name');
  const table = newTable(ctx, name, name.token, kind);
  let names: string[] | undefined;
  if (c.isPunct('(')) names = readColumnList(c);
  tableAttributes(ctx, c, table); // materialized views take DISTSTYLE/SORTKEY/BACKUP/AUTO REFRESH
  c.expectWord('as');
  let end = c.end;
  const t = c.tokens;
  if (end - c.pos > 4 && ['with', 'no', 'schema', 'binding'].every((w, k) => t[end - 4 + k].value === w)) end -= 4;
  const analysis = ctx.analyzeBody(c.pos, end);
  table.definitionSql = sourceText(ctx, c.pos, end);
  table.columns = columnsFromOutputs(ctx, analysis.outputColumns, names, name.token);
  const stars = names ? undefined : starsOfTable(analysis.starsFrom, analysis.outputColumns.length);
  if (stars) table.starsFrom = stars;
  const op: Extract<DdlOperation, { op: 'createTable' }> = { op: 'createTable', table };
  if (orReplace) op.orReplace = true;
  if (ifNotExists) op.ifNotExists = true;
  if (temporary) op.temporary = true;
  ctx.emit(op);
}
