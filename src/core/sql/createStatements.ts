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
import type { OutputColumn, QueryAnalysis } from './queryAnalysis';
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
  // Spectrum's external tables, and PostgreSQL's foreign tables (a foreign data wrapper's): columns here, rows elsewhere
  if (c.acceptWords('external', 'table') || c.acceptWords('foreign', 'table')) return createTable(ctx, c, temporary, 'externalTable');
  c.acceptWord('recursive'); // CREATE RECURSIVE VIEW v (cols) AS …: a view like any other
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

  // PostgreSQL `PARTITION OF parent [(constraints)] FOR VALUES …`: the parent's columns
  if (c.acceptWords('partition', 'of')) {
    const parent = readQualifiedName(c);
    if (parent) op.likeTable = withDefaultSchema(parent);
  }
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
  const partitions = tableAttributes(ctx, c, table, op);
  if (c.isWord('as') && c.isWord('table', 1)) {
    // PostgreSQL `CREATE TABLE t AS TABLE other`: a copy of other's columns (and rows)
    c.pos += 2;
    const source = readQualifiedName(c);
    if (source) {
      op.likeTable = withDefaultSchema(source);
      ctx.queryFacts({ tables: [{ ...(source.schema ? { schema: source.schema } : {}), name: source.name, origin: { ...ctx.origin(source.token), kind: 'query' } }], joins: [] });
    }
  } else if (c.acceptWord('as')) {
    const body = { from: c.pos, to: c.end };
    const analysis = ctx.analyzeBody(body.from, body.to);
    table.definitionSql = sourceText(ctx, body.from, body.to);
    if (table.columns.length === 0) {
      const { columns, starsFrom } = columnsFromOutputs(ctx, analysis, ctasColumns, name.token);
      table.columns = columns;
      if (starsFrom) table.starsFrom = starsFrom;
    }
    // CREATE EXTERNAL TABLE … PARTITIONED BY (p [type]) … AS SELECT: the partition columns are some of the query's
    table.columns = withPartitionColumns(table.columns, partitions);
  } else {
    // `CREATE TABLE t (a, b)` without AS: keep the names, types unknown
    if (ctasColumns) table.columns = ctasColumns.filter((n) => n !== '').map((n) => ({ name: n, origin: ctx.origin(name.token) }));
    // Spectrum partition columns are queryable columns too
    table.columns = withPartitionColumns(table.columns, partitions);
  }
  ctx.emit(op);
}

/** The columns with the partition columns: a partition column also in `columns` lends it the type it declares. */
function withPartitionColumns(columns: ColumnDef[], partitions: ColumnDef[]): ColumnDef[] {
  if (!partitions.length) return columns;
  const out = [...columns];
  for (const p of partitions) {
    const same = out.findIndex((col) => col.name === p.name);
    if (same < 0) out.push(p);
    else if (p.dataType !== undefined && out[same]!.dataType === undefined) out[same] = { ...out[same]!, dataType: p.dataType, typeFamily: p.typeFamily };
  }
  return out;
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

/**
 * Redshift table attributes (and PostgreSQL ones we skip) up to AS or the end. Returns an external table's partition
 * columns; a PostgreSQL `INHERITS (parent)` gives the table its parent's columns, as LIKE does.
 */
function tableAttributes(ctx: DdlContext, c: TokenCursor, table: TableDef, op?: Extract<DdlOperation, { op: 'createTable' }>): ColumnDef[] {
  const partitions: TableDef = { ...table, columns: [], constraints: [] };
  while (!c.atEnd() && !(c.isWord('as') && (startsQueryAt(c, 1) || c.isWord('table', 1)))) {
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
      const inner = c.skipParens();
      if (inner) for (const e of splitTopLevel(c.tokens, inner.from, inner.to)) partitionColumn(ctx, e.from, e.to, partitions);
    } else if (op && !op.likeTable && c.isWord('inherits') && c.isPunct('(', 1)) {
      c.pos += 2;
      const parent = readQualifiedName(c);
      if (parent) op.likeTable = withDefaultSchema(parent);
      while (!c.atEnd() && !c.isPunct(')')) c.pos++;
      c.acceptPunct(')');
    } else {
      c.pos++;
      c.skipParens();
    }
    if (c.pos === before) c.pos++;
  }
  return partitions.columns;
}

/** A partition column: `name type`, or (in CREATE EXTERNAL TABLE AS) a bare name of one of the query's columns. */
function partitionColumn(ctx: DdlContext, from: number, to: number, into: TableDef): void {
  if (to - from === 1) {
    const name = identifierName(ctx.tokens[from]);
    if (name !== undefined) into.columns.push({ name, origin: ctx.origin(ctx.tokens[from]) });
    return;
  }
  tableElement(ctx, from, to, into, { op: 'createTable', table: into });
}

function startsQueryAt(c: TokenCursor, k: number): boolean {
  while (c.isPunct('(', k)) k++;
  return c.isWord('select', k) || c.isWord('with', k) || c.isWord('values', k);
}

/**
 * A relation's columns from its query's outputs, renamed by position by `names` (`CREATE VIEW v (a, b) AS …`); an
 * output without a name that `names` does not name either is left out. `starsFrom` as the relation's (see starsOfTable).
 */
function columnsFromOutputs(ctx: DdlContext, analysis: QueryAnalysis, names: string[] | undefined, tok: Token): { columns: ColumnDef[]; starsFrom?: StarSource[] } {
  const outputs = analysis.outputColumns;
  const columns: ColumnDef[] = [];
  const keptBefore: number[] = [];
  outputs.forEach((o, i) => {
    keptBefore.push(columns.length);
    const name = names?.[i] || o.name;
    if (name) columns.push(columnFromOutput(o, name, ctx.origin(o.token ?? tok)));
  });
  if (names && names.length > outputs.length) {
    for (const n of names.slice(outputs.length)) if (n) columns.push({ name: n, origin: ctx.origin(tok) });
  }
  // a column list renames by position, which a star's columns would shift
  const starsFrom = names ? undefined : starsOfTable(analysis.starsFrom, outputs.length, (i) => keptBefore[i]!);
  return starsFrom ? { columns, starsFrom } : { columns };
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
  const { columns, starsFrom } = columnsFromOutputs(ctx, analysis, names, name.token);
  table.columns = columns;
  if (starsFrom) table.starsFrom = starsFrom;
  const op: Extract<DdlOperation, { op: 'createTable' }> = { op: 'createTable', table };
  if (orReplace) op.orReplace = true;
  if (ifNotExists) op.ifNotExists = true;
  if (temporary) op.temporary = true;
  ctx.emit(op);
}

/**
 * `SELECT … INTO [TEMP] [TABLE] name FROM …` as a statement of its own (Redshift and PostgreSQL; legacy scripts fill
 * `#temp` tables this way): a CREATE TABLE AS. (In a PL/pgSQL body the same words assign variables; bodies do not come
 * here.) `analysis` is the statement's.
 */
export function selectInto(ctx: DdlContext, analysis: QueryAnalysis): void {
  const into = topLevelInto(ctx.tokens);
  if (into < 0) return;
  const c = new TokenCursor(ctx.tokens, into + 1);
  let temporary = c.acceptAnyWord('temp', 'temporary') !== undefined;
  c.acceptWord('unlogged');
  c.acceptWord('table');
  const name = readQualifiedName(c);
  if (!name) return;
  if (name.name.startsWith('#')) temporary = true;
  const table = newTable(ctx, name, name.token, 'table');
  const { columns, starsFrom } = columnsFromOutputs(ctx, analysis, undefined, name.token);
  table.columns = columns;
  if (starsFrom) table.starsFrom = starsFrom;
  table.definitionSql = `${sourceText(ctx, 0, into)} ${sourceText(ctx, c.pos, ctx.tokens.length)}`.trim();
  const op: Extract<DdlOperation, { op: 'createTable' }> = { op: 'createTable', table };
  if (temporary) op.temporary = true;
  ctx.emit(op);
}

/** The INTO of the statement's top-level SELECT (before its FROM), or -1; none in INSERT/UPDATE/DELETE/MERGE. */
function topLevelInto(tokens: Token[]): number {
  let depth = 0;
  let inSelectList = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      continue;
    }
    if (depth !== 0 || t.kind !== 'keyword') continue;
    const w = t.value;
    if (w === 'insert' || w === 'update' || w === 'delete' || w === 'merge') return -1;
    if (w === 'select') inSelectList = true;
    else if (w === 'from') {
      if (inSelectList) return -1;
    } else if (w === 'into' && inSelectList) return k;
  }
  return -1;
}
