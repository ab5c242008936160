/**
 * What the identifier under the cursor means, for hover, go-to-definition and completion in SQL and dbt models:
 * a table (through aliases, schema qualification or dbt ref()/source()) or a column of a table in scope.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { ColumnDef, TableDef } from '../catalog/model';
import { dbtRelationOf } from './jinja';
import { statementAt, splitStatements } from './splitter';
import { tokenize, type Token } from './tokenizer';
import type { QualifiedName } from './types';

export type CursorTarget =
  | { kind: 'table'; table: TableDef; start: number; end: number }
  | { kind: 'column'; table: TableDef; column: ColumnDef; start: number; end: number }
  | { kind: 'columns'; hits: Array<{ table: TableDef; column: ColumnDef }>; start: number; end: number };

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

/** Significant tokens of the statement around an offset (no whitespace or comments). */
function statementTokens(text: string, offset: number): Token[] {
  const all = tokenize(text);
  const stmt = statementAt(text, offset, splitStatements(text, all));
  const from = stmt ? stmt.start : 0;
  const to = stmt ? stmt.terminatorEnd : text.length;
  return all.filter((t) => t.offset >= from && t.end <= to && t.kind !== 'whitespace' && t.kind !== 'comment');
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

export function resolveAtCursor(text: string, offset: number, catalog: CatalogIndex): CursorTarget | undefined {
  const tokens = statementTokens(text, offset);
  const k = tokens.findIndex((t) => t.offset <= offset && offset <= t.end && t.kind !== 'punct' && t.kind !== 'operator');
  if (k < 0) return undefined;
  const tok = tokens[k];
  const scope = scopeOf(tokens);
  const span = { start: tok.offset, end: tok.end };

  if (tok.kind === 'jinja') {
    const rel = dbtRelationOf(tok);
    const table = rel && lookup(catalog, { schema: rel.dbtRef.kind === 'source' ? rel.schema : undefined, name: rel.name });
    return table ? { kind: 'table', table, ...span } : undefined;
  }
  if (!NAME_KINDS.has(tok.kind)) return undefined;

  const chain = chainAround(tokens, k);
  const names = chain.map((i) => nameOf(tokens[i]));
  const pos = chain.indexOf(k);

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
  // Cursor on a qualifier: a table (alias, name or schema.table).
  if (pos < names.length - 1) {
    const owner = tableFor(names.slice(0, pos + 1));
    if (owner) return { kind: 'table', table: owner, ...span };
    if (pos === 0 && names.length >= 2) {
      const t = lookup(catalog, { schema: names[0], name: names[1] });
      if (t) return undefined; // a schema name: nothing to show for now
    }
    return undefined;
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
  | { kind: 'column'; table: TableDef; column: ColumnDef };

/** Completion candidates at an offset: columns after `alias.`, tables after `schema.`, else schemas, tables and in-scope columns. */
export function completionsAt(text: string, offset: number, catalog: CatalogIndex): CompletionItemData[] {
  const before = text.slice(0, offset);
  const qualified = /([A-Za-z_][\w$]*|"[^"]+")\.([A-Za-z_][\w$]*)?$/.exec(before);
  const tokens = statementTokens(text, Math.max(0, offset - 1));
  const scope = scopeOf(tokens);
  if (qualified) {
    const q = qualified[1].replace(/^"|"$/g, '');
    const aliased = scope.aliases.get(q.toLowerCase());
    const owner = aliased ? lookup(catalog, aliased) : lookup(catalog, { name: q });
    const out: CompletionItemData[] = [];
    if (owner) out.push(...owner.columns.map((column) => ({ kind: 'column' as const, table: owner, column })));
    out.push(...catalog.tablesInSchema(q).map((table) => ({ kind: 'table' as const, table })));
    return out;
  }
  const out: CompletionItemData[] = catalog.schemas().map((name) => ({ kind: 'schema' as const, name }));
  for (const table of catalog.tables()) out.push(table.schema.toLowerCase() === 'public' ? { kind: 'table', table } : { kind: 'table', table, qualified: true });
  for (const rel of scope.relations) {
    const t = lookup(catalog, rel);
    if (t) out.push(...t.columns.map((column) => ({ kind: 'column' as const, table: t, column })));
  }
  return out;
}
