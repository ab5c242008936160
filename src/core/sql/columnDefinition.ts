/**
 * Column definitions and table constraints inside CREATE TABLE ( ... ) and ALTER TABLE ADD.
 */
import type { ColumnDef, ConstraintDef, Origin, TableDef } from '../catalog/model';
import { typeFamilyOf } from './dataTypes';
import { sourceText, withDefaultSchema, type DdlContext } from './ddlContext';
import { identifierName, isNameToken, readQualifiedName } from './identifiers';
import { typeText } from './columnExpressions';
import { stringValue, type Token } from './tokenizer';
import { TokenCursor } from './tokenCursor';

const CONSTRAINT_STARTS = new Set(['constraint', 'primary', 'unique', 'foreign', 'check', 'exclude']);
const COLUMN_OPTION_WORDS = new Set([
  'not', 'null', 'constraint', 'primary', 'unique', 'references', 'check', 'collate', 'encode', 'distkey', 'sortkey', 'identity', 'generated', 'default',
]);

/** True when a table element starts a table-level constraint rather than a column named like a keyword. */
export function startsTableConstraint(c: TokenCursor): boolean {
  const t = c.peek();
  if (t === undefined || t.kind === 'quotedIdentifier' || !CONSTRAINT_STARTS.has(t.value ?? '')) return false;
  if (t.value === 'primary' || t.value === 'foreign') return c.isWord('key', 1);
  if (t.value === 'unique' || t.value === 'check' || t.value === 'exclude') return c.isPunct('(', 1) || c.isWord('nulls', 1) || c.isWord('using', 1);
  return true;
}

/** Read a type name as written: multi-word types, (modifiers), arrays. Returns the text, or undefined when absent. */
export function readDataType(c: TokenCursor): string | undefined {
  const start = c.pos;
  const first = c.peek();
  if (!isNameToken(first) || COLUMN_OPTION_WORDS.has(first?.value ?? '')) return undefined;
  c.pos++;
  while (c.isPunct('.') && isNameToken(c.peek(1))) c.pos += 2; // pg_catalog.int4
  const w = first?.kind === 'quotedIdentifier' ? '' : (first?.value ?? '');
  if (w === 'national') c.acceptAnyWord('character', 'char');
  if (w === 'character' || w === 'char' || w === 'national' || w === 'bit' || w === 'binary') c.acceptWord('varying');
  if (w === 'double') c.acceptWord('precision');
  if (w === 'timestamp' || w === 'time') {
    c.skipParens();
    if (c.acceptWords('with', 'time', 'zone') || c.acceptWords('without', 'time', 'zone')) {
      /* consumed */
    }
  }
  if (w === 'interval') while (c.acceptAnyWord('year', 'month', 'day', 'hour', 'minute', 'second', 'to')) {
    /* interval fields */
  }
  c.skipParens();
  for (;;) {
    if (c.isPunct('[')) {
      while (!c.atEnd() && !c.isPunct(']')) c.pos++;
      c.acceptPunct(']');
    } else if (c.isWord('array')) {
      c.pos++;
    } else break;
  }
  return typeText(c.tokens, start, c.pos);
}

/** Parse `name type [options]` in tokens [from, to). */
export function parseColumnDefinition(ctx: DdlContext, from: number, to: number, table: TableDef): ColumnDef {
  const c = new TokenCursor(ctx.tokens, from, to);
  const nameTok = c.next();
  const name = identifierName(nameTok);
  if (name === undefined) throw c.error('expected a column name');
  const column: ColumnDef = { name, origin: ctx.origin(nameTok) };
  const dataType = readDataType(c);
  if (dataType !== undefined) {
    column.dataType = dataType;
    column.typeFamily = typeFamilyOf(dataType);
  }
  let constraintName: string | undefined;
  let constraintTok: Token | undefined;
  const addConstraint = (def: ConstraintDef): void => {
    table.constraints.push(named(def, constraintName));
    constraintName = undefined;
    constraintTok = undefined;
  };
  while (!c.atEnd()) {
    const before = c.pos;
    const t = c.peek();
    const at = (): Origin => ctx.origin(constraintTok ?? t);
    if (c.acceptWord('constraint')) {
      constraintName = identifierName(c.next());
      constraintTok = t;
      continue;
    }
    if (c.acceptWords('not', 'null')) column.nullable = false;
    else if (c.acceptWord('null')) column.nullable = true;
    else if (c.acceptWord('default')) {
      // the expression runs to the next column option outside brackets; its first token is part of it whatever it is
      // (DEFAULT NULL, DEFAULT (1 + 2) * 3, DEFAULT (x NOT IN (1, 2)))
      const exprStart = c.pos;
      let depth = 0;
      for (let first = true; !c.atEnd(); first = false) {
        const u = c.peek()!;
        if (u.kind === 'punct' && u.text === '(') depth++;
        else if (u.kind === 'punct' && u.text === ')') depth--;
        else if (!first && depth === 0 && (u.kind === 'keyword' || u.kind === 'identifier') && COLUMN_OPTION_WORDS.has(u.value ?? '')) break;
        c.pos++;
      }
      column.defaultExpr = sourceText(ctx, exprStart, Math.min(c.pos, to));
    } else if (c.acceptWord('identity')) {
      column.identity = true;
      const args = c.skipParens();
      if (args) {
        // IDENTITY(seed, step): keep both so rebuilt DDL is faithful.
        const nums = c.tokens.slice(args.from, args.to).filter((t) => t.kind === 'number').map((t) => Number(t.text));
        if (nums.length === 2 && nums.every(Number.isFinite)) { column.identitySeed = nums[0]; column.identityStep = nums[1]; }
      }
    } else if (c.acceptWord('generated')) {
      if (!c.acceptWord('always')) c.acceptWords('by', 'default');
      c.expectWord('as');
      if (c.acceptWord('identity')) {
        column.identity = true;
        c.skipParens();
      } else {
        c.skipParens(); // GENERATED ALWAYS AS (expr) STORED
        c.acceptWord('stored');
      }
    } else if (c.acceptWord('encode')) {
      const enc = identifierName(c.next());
      if (enc === undefined) throw c.error('expected an encoding after ENCODE');
      column.encoding = enc;
    } else if (c.acceptWord('distkey')) {
      column.distKey = true;
      table.distKey ??= name;
    } else if (c.acceptWord('sortkey')) {
      table.sortKey ??= { style: 'compound', columns: [] };
      table.sortKey.columns.push(name);
    } else if (c.acceptWords('primary', 'key')) {
      addConstraint({ kind: 'primaryKey', columns: [name], origin: at() });
    } else if (c.acceptWord('unique')) {
      addConstraint({ kind: 'unique', columns: [name], origin: at() });
    } else if (c.acceptWord('references')) {
      const origin = at();
      addConstraint({ kind: 'foreignKey', columns: [name], references: readReferences(c), origin });
    } else if (c.acceptWord('check')) {
      const origin = at();
      const inner = c.skipParens();
      if (!inner) throw c.error("expected '(' after CHECK");
      addConstraint({ kind: 'check', columns: [name], expression: sourceText(ctx, inner.from, inner.to), origin });
    } else if (c.acceptWord('collate')) {
      c.next();
    } else {
      // Unknown option (e.g. a vendor extension): skip it and any parenthesised argument.
      c.pos++;
      c.skipParens();
    }
    if (c.pos === before) c.pos++;
  }
  return column;
}

/** `[CONSTRAINT n] PRIMARY KEY (..) | UNIQUE (..) | FOREIGN KEY (..) REFERENCES t (..) | CHECK (..)` in [from, to). */
export function parseTableConstraint(ctx: DdlContext, from: number, to: number): ConstraintDef | undefined {
  const c = new TokenCursor(ctx.tokens, from, to);
  const startTok = c.peek();
  let name: string | undefined;
  if (c.acceptWord('constraint')) {
    name = identifierName(c.next());
    if (name === undefined) throw c.error('expected a constraint name');
  }
  const origin = ctx.origin(startTok);
  let def: ConstraintDef;
  // PostgreSQL `ADD CONSTRAINT k PRIMARY KEY | UNIQUE USING INDEX i`: its columns are the index's, which DDL files
  // rarely hold; taken as no constraint rather than a wrong one
  const usingIndexAt = c.isWord('unique') ? 1 : c.isWord('primary') ? 2 : -1;
  if (usingIndexAt > 0 && c.isWord('using', usingIndexAt) && c.isWord('index', usingIndexAt + 1)) return undefined;
  if (c.acceptWords('primary', 'key')) def = { kind: 'primaryKey', columns: readColumnList(c), origin };
  else if (c.acceptWord('unique')) {
    if (!c.acceptWords('nulls', 'not', 'distinct')) c.acceptWords('nulls', 'distinct');
    def = { kind: 'unique', columns: readColumnList(c), origin };
  } else if (c.acceptWords('foreign', 'key')) {
    def = { kind: 'foreignKey', columns: readColumnList(c), origin };
    c.expectWord('references');
    def.references = readReferences(c);
  } else if (c.acceptWord('check')) {
    const inner = c.skipParens();
    if (!inner) throw c.error("expected '(' after CHECK");
    def = { kind: 'check', columns: [], expression: sourceText(ctx, inner.from, inner.to), origin };
  } else if (c.isWord('exclude')) {
    return undefined;
  } else throw c.error('expected PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK');
  return named(def, name);
}

export function readColumnList(c: TokenCursor): string[] {
  const inner = c.skipParens();
  if (!inner) throw c.error("expected '(' and a column list");
  const names: string[] = [];
  for (let i = inner.from; i < inner.to; i++) {
    const n = identifierName(c.tokens[i]);
    if (n !== undefined) names.push(n);
  }
  return names;
}

function readReferences(c: TokenCursor): NonNullable<ConstraintDef['references']> {
  const target = readQualifiedName(c);
  if (!target) throw c.error('expected a table name after REFERENCES');
  const columns = c.isPunct('(') ? readColumnList(c) : [];
  // MATCH FULL / ON DELETE CASCADE / DEFERRABLE ... carry nothing the catalog keeps
  for (;;) {
    if (c.acceptWord('match')) c.next();
    else if (c.acceptWord('on')) {
      c.acceptAnyWord('delete', 'update');
      if (!(c.acceptWords('set', 'null') || c.acceptWords('set', 'default') || c.acceptWords('no', 'action'))) c.acceptAnyWord('cascade', 'restrict');
    } else if (c.acceptWords('not', 'deferrable') || c.acceptWord('deferrable')) continue;
    else if (c.acceptWord('initially')) c.acceptAnyWord('deferred', 'immediate');
    else break;
  }
  const q = withDefaultSchema(target);
  return { schema: q.schema, table: q.name, columns };
}

function named(def: ConstraintDef, name: string | undefined): ConstraintDef {
  if (name !== undefined) def.name = name;
  return def;
}

/** String literal value at the cursor (for COMMENT IS '...'), or null for NULL. */
export function readStringOrNull(c: TokenCursor): string | null {
  if (c.acceptWord('null')) return null;
  const t = c.next();
  if (!t || (t.kind !== 'string' && t.kind !== 'dollarString')) throw c.error('expected a string literal');
  return stringValue(t);
}
