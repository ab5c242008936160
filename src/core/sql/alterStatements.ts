/**
 * ALTER TABLE, COMMENT ON, DROP TABLE/VIEW. The cursor arrives just after the leading keyword.
 */
import { parseColumnDefinition, parseTableConstraint, readStringOrNull, startsTableConstraint } from './columnDefinition';
import { withDefaultSchema, type DdlContext } from './ddlContext';
import { identifierName, readNameParts, readQualifiedName } from './identifiers';
import { TokenCursor, splitTopLevel } from './tokenCursor';
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

function alterAction(ctx: DdlContext, c: TokenCursor, table: { schema: string; name: string }): void {
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
  // ALTER COLUMN / OWNER TO / ALTER DISTKEY / APPEND FROM ...: skipped
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
