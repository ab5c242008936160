/**
 * ALTER TABLE, COMMENT ON, DROP TABLE/VIEW. The cursor arrives just after the leading keyword.
 */
import { parseColumnDefinition, parseTableConstraint, readColumnList, readDataType, readStringOrNull, startsTableConstraint } from './columnDefinition';
import { typeFamilyOf } from './dataTypes';
import { sourceText, withDefaultSchema, type DdlContext } from './ddlContext';
import { identifierName, isNameToken, readNameParts, readQualifiedName } from './identifiers';
import type { Token } from './tokenizer';
import { TokenCursor, splitTopLevel } from './tokenCursor';
import type { ColumnChange, QualifiedName, TableChange } from './types';
import type { TableDef } from '../catalog/model';

export function parseAlter(ctx: DdlContext, c: TokenCursor): void {
  if (!c.acceptWord('table')) return; // ALTER USER / SCHEMA / ...: nothing for the catalog
  c.acceptWords('if', 'exists');
  c.acceptWord('only');
  const name = readQualifiedName(c);
  if (!name) throw c.error('expected a table name');
  const table = withDefaultSchema(name);
  for (const action of splitTopLevel(c.tokens, c.pos, c.end)) alterAction(ctx, new TokenCursor(c.tokens, action.from, action.to), table);
}

/** An ALTER TABLE target: the schema is always filled in. */
type AlterTarget = QualifiedName & { schema: string };

function alterAction(ctx: DdlContext, c: TokenCursor, table: AlterTarget): void {
  const start = c.peek();
  if (c.acceptWord('add')) {
    if (startsTableConstraint(c)) {
      const def = parseTableConstraint(ctx, c.pos, c.end);
      if (def) ctx.emit({ op: 'addConstraint', table, constraint: def });
      return;
    }
    c.acceptWord('column');
    c.acceptWords('if', 'not', 'exists');
    // Column-level constraints land on a scratch table and become addConstraint operations.
    const scratch: TableDef = { schema: table.schema, name: table.name, kind: 'table', columns: [], constraints: [], origin: ctx.origin(start) };
    const column = parseColumnDefinition(ctx, c.pos, c.end, scratch);
    ctx.emit({ op: 'addColumn', table, column });
    for (const constraint of scratch.constraints) ctx.emit({ op: 'addConstraint', table, constraint });
    return;
  }
  if (c.acceptWord('drop')) {
    if (c.acceptWord('constraint')) {
      c.acceptWords('if', 'exists');
      const n = identifierName(c.next());
      if (n === undefined) throw c.error('expected a constraint name');
      ctx.emit({ op: 'dropConstraint', table, name: n, origin: ctx.origin(start) });
      return;
    }
    c.acceptWord('column');
    c.acceptWords('if', 'exists');
    const n = identifierName(c.next());
    if (n === undefined) throw c.error('expected a column name');
    ctx.emit({ op: 'dropColumn', table, column: n, origin: ctx.origin(start) });
    return;
  }
  if (c.acceptWords('set', 'schema')) {
    const schema = identifierName(c.next());
    if (schema === undefined) throw c.error('expected a schema name after SET SCHEMA');
    ctx.emit({ op: 'renameTable', table, to: table.name, toSchema: schema, origin: ctx.origin(start) });
    return;
  }
  if (c.acceptWord('rename')) {
    if (c.acceptWord('to')) {
      const to = readQualifiedName(c);
      if (!to) throw c.error('expected a new table name');
      ctx.emit({ op: 'renameTable', table, to: to.name, origin: ctx.origin(start) });
      return;
    }
    if (c.isWord('constraint')) return;
    c.acceptWord('column');
    const from = identifierName(c.next());
    c.expectWord('to');
    const to = identifierName(c.next());
    if (from === undefined || to === undefined) throw c.error('expected RENAME COLUMN a TO b');
    ctx.emit({ op: 'renameColumn', table, from, to, origin: ctx.origin(start) });
  }
  if (c.acceptWord('alter')) {
    if (!alterDistribution(ctx, c, table, start)) alterColumn(ctx, c, table, start);
    return;
  }
  // Redshift `ALTER COLUMN a ENCODE az64, b ENCODE zstd`: the actions after the first name the column alone
  if (isNameToken(c.peek()) && c.isWord('encode', 1)) {
    alterColumn(ctx, c, table, start);
    return;
  }
  // OWNER TO / SET SCHEMA / APPEND FROM ...: nothing for the catalog
}

/** `ALTER [COLUMN] c …`: the type, nullability, default or encoding it changes. Other column options are skipped. */
function alterColumn(ctx: DdlContext, c: TokenCursor, table: AlterTarget, start: Token | undefined): void {
  c.acceptWord('column');
  const column = identifierName(c.next());
  if (column === undefined) throw c.error('expected a column name');
  const change: ColumnChange = {};
  if (c.acceptWords('set', 'data', 'type') || c.acceptWord('type')) {
    const dataType = readDataType(c);
    if (dataType === undefined) throw c.error('expected a data type');
    change.dataType = dataType;
    change.typeFamily = typeFamilyOf(dataType);
  } else if (c.acceptWords('set', 'not', 'null')) change.nullable = false;
  else if (c.acceptWords('drop', 'not', 'null')) change.nullable = true;
  else if (c.acceptWords('drop', 'default')) change.defaultExpr = null;
  else if (c.acceptWords('set', 'default')) {
    if (c.atEnd()) throw c.error('expected a default expression');
    change.defaultExpr = sourceText(ctx, c.pos, c.end);
  } else if (c.acceptWord('encode')) {
    const encoding = identifierName(c.next());
    if (encoding === undefined) throw c.error('expected an encoding after ENCODE');
    change.encoding = encoding;
  } else return; // SET STATISTICS / SET STORAGE / ADD GENERATED ...
  ctx.emit({ op: 'alterColumn', table, column, change, origin: ctx.origin(start) });
}

/**
 * Redshift `ALTER DISTSTYLE ALL | EVEN | AUTO | KEY DISTKEY c`, `ALTER DISTKEY c`, `ALTER [COMPOUND | INTERLEAVED]
 * SORTKEY (…) | AUTO | NONE` and `ALTER ENCODE AUTO`. False when the action is not one of them (it alters a column).
 */
function alterDistribution(ctx: DdlContext, c: TokenCursor, table: AlterTarget, start: Token | undefined): boolean {
  const change: TableChange = {};
  if (c.acceptWord('diststyle')) {
    const style = identifierName(c.next());
    if (style === undefined) throw c.error('expected a DISTSTYLE');
    change.distStyle = style;
    if (c.acceptWord('distkey')) change.distKey = identifierName(c.next()) ?? null;
    else change.distKey = null;
  } else if (c.isWord('distkey') && !c.isWord('type', 1) && !c.isWord('set', 1) && !c.isWord('drop', 1) && !c.isWord('encode', 1)) {
    c.pos++;
    const key = identifierName(c.next());
    if (key === undefined) throw c.error('expected a DISTKEY column');
    change.distStyle = 'key';
    change.distKey = key;
  } else if (c.isWord('sortkey') || ((c.isWord('compound') || c.isWord('interleaved')) && c.isWord('sortkey', 1))) {
    const style = c.acceptWord('interleaved') ? 'interleaved' : (c.acceptWord('compound'), 'compound');
    c.expectWord('sortkey');
    change.sortKey = c.acceptAnyWord('auto', 'none') ? null : { style, columns: readColumnList(c) };
  } else if (c.isWord('encode') && c.isWord('auto', 1)) {
    return true; // ALTER ENCODE AUTO: Redshift picks the encodings from now on; nothing to record
  } else return false;
  ctx.emit({ op: 'alterTable', table, change, origin: ctx.origin(start) });
  return true;
}

export function parseComment(ctx: DdlContext, c: TokenCursor): void {
  const start = c.previous();
  c.expectWord('on');
  let kind: 'table' | 'column';
  if (c.acceptWord('table') || c.acceptWord('view') || c.acceptWords('materialized', 'view') || c.acceptWords('foreign', 'table')) kind = 'table';
  else if (c.acceptWord('column')) kind = 'column';
  else return; // COMMENT ON SCHEMA / FUNCTION / ...
  const nameAt = c.pos;
  const parts = readNameParts(c);
  if (!parts) throw c.error('expected a name');
  if (kind === 'column' && parts.names.length < 2) throw new TokenCursor(c.tokens, nameAt, c.end).error('expected table.column');
  c.expectWord('is');
  const text = readStringOrNull(c);
  const origin = ctx.origin(start);
  const names = parts.names;
  if (kind === 'table') {
    const name = names[names.length - 1];
    const schema = names.length >= 2 ? names[names.length - 2] : undefined;
    ctx.emit({ op: 'comment', target: { kind, table: withDefaultSchema({ schema, name }) }, text, origin });
    return;
  }
  const column = names[names.length - 1];
  const name = names[names.length - 2];
  const schema = names.length >= 3 ? names[names.length - 3] : undefined;
  ctx.emit({ op: 'comment', target: { kind, table: withDefaultSchema({ schema, name }), column }, text, origin });
}

export function parseDrop(ctx: DdlContext, c: TokenCursor): void {
  const start = c.previous();
  if (!(c.acceptWord('table') || c.acceptWord('view') || c.acceptWords('materialized', 'view') || c.acceptWords('external', 'table'))) return;
  c.acceptWords('if', 'exists');
  while (!c.atEnd()) {
    const name = readQualifiedName(c);
    if (!name) break;
    ctx.emit({ op: 'drop', table: withDefaultSchema(name), origin: ctx.origin(start) });
    if (!c.acceptPunct(',')) break;
  }
}
