/**
 * CREATE [OR REPLACE] PROCEDURE / FUNCTION. In a Redshift shop much of the legacy SQL lives in stored procedures, and
 * the SQL inside a PL/pgSQL or SQL body reads and joins tables like any query. The body's queries give query facts
 * (tables read, join pairs) only: what a routine creates when it runs (its temp tables) is no relation of the catalog.
 * The cursor arrives just after PROCEDURE or FUNCTION.
 */
import type { DdlContext } from './ddlContext';
import { analyzeQuery, analyzeTokens } from './queryAnalysis';
import { splitStatements } from './splitter';
import { stringValue, tokenize, type Token } from './tokenizer';
import { isWordToken, type TokenCursor } from './tokenCursor';
import type { JoinPair, TableRef } from './types';

/** Languages whose body is SQL, or PL/pgSQL around SQL. A Python UDF's body is not SQL. */
const SQL_LANGUAGES = new Set(['plpgsql', 'sql']);

/** Words that start a statement of SQL. */
const QUERY_START = new Set(['select', 'with', 'insert', 'update', 'delete', 'merge']);

/**
 * PL/pgSQL words after which a SQL statement can start in the same `;`-segment: `BEGIN select …`, `IF … THEN insert …`,
 * `ELSE`, `LOOP`, `RETURN QUERY select`, `FOR r IN select … LOOP`, `OPEN c FOR select`, `CURSOR FOR select`,
 * `CREATE TEMP TABLE t AS select`.
 */
const LEAD_IN = new Set(['begin', 'then', 'else', 'loop', 'query', 'in', 'for', 'as']);

export function routineQueries(ctx: DdlContext, c: TokenCursor): void {
  const toks = ctx.tokens;
  let body: Token | undefined;
  let language: string | undefined;
  for (let i = c.pos; i < toks.length; i++) {
    const t = toks[i]!;
    if (!body && isWordToken(t, 'as') && isStringToken(toks[i + 1])) body = toks[i + 1];
    else if (!language && isWordToken(t, 'language')) {
      const l = toks[i + 1];
      language = l?.kind === 'string' ? stringValue(l).toLowerCase() : l?.value;
    }
  }
  // a routine written without LANGUAGE is taken for PL/pgSQL, which reads plain SQL bodies as well
  if (!body || (language !== undefined && !SQL_LANGUAGES.has(language))) return;
  const opening = body.kind === 'dollarString' ? body.text.indexOf('$', 1) + 1 : body.text.indexOf("'") + 1;
  ctx.queryFacts(bodyQueryFacts(stringValue(body), ctx.file, body.line - 1, body.column - 1 + opening));
}

/**
 * The query facts of a routine body that starts at `lineOffset` lines and (on its first line) `columnOffset` columns
 * into the file: every SQL statement in it, wherever PL/pgSQL puts it.
 */
export function bodyQueryFacts(text: string, file: string, lineOffset: number, columnOffset: number): { tables: TableRef[]; joins: JoinPair[] } {
  const tables: TableRef[] = [];
  const joins: JoinPair[] = [];
  const options = { originKind: 'query' as const, columnOffset };
  for (const stmt of splitStatements(text, tokenize(text, { skipWhitespace: true, skipComments: true }))) {
    const toks = stmt.tokens;
    for (const [from, to] of embeddedQueries(toks)) {
      const a = analyzeTokens(toks, from, to, file, lineOffset, options);
      tables.push(...a.tables);
      joins.push(...a.joins);
    }
    // EXECUTE 'select …': dynamic SQL written as one literal (one glued with || names its table at run time)
    for (const lit of executedLiterals(toks)) {
      const quote = lit.text.indexOf("'") + 1;
      const a = analyzeQuery(stringValue(lit), file, lineOffset + lit.line - 1, {
        originKind: 'query',
        columnOffset: (lit.line === 1 ? columnOffset : 0) + lit.column - 1 + quote,
      });
      tables.push(...a.tables);
      joins.push(...a.joins);
    }
  }
  return { tables, joins };
}

/**
 * Token ranges [from, to) of the SQL statements in one `;`-segment of PL/pgSQL. A query in `FOR … IN <query> LOOP`
 * ends before its LOOP, and what follows LOOP is read on.
 */
export function embeddedQueries(toks: Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let k = 0;
  while (k < toks.length) {
    const w = toks[k]!.value;
    const startsHere = w !== undefined && QUERY_START.has(w) && isWordKind(toks[k]!) && (k === 0 || isLeadIn(toks[k - 1]!));
    if (!startsHere) {
      k++;
      continue;
    }
    const end = loopAtDepthZero(toks, k + 1);
    out.push([k, end]);
    k = end;
  }
  return out;
}

/** The literals of `EXECUTE '…'` statements in one segment (at its start or after a PL/pgSQL lead-in word). */
function executedLiterals(toks: Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < toks.length - 1; k++) {
    if (!isWordToken(toks[k], 'execute') || (k > 0 && !isLeadIn(toks[k - 1]!))) continue;
    const lit = toks[k + 1]!;
    if (lit.kind === 'string' && !isOperator(toks[k + 2], '||')) out.push(lit);
  }
  return out;
}

/** Index of the first LOOP outside brackets from `from` on, or the segment's end. */
function loopAtDepthZero(toks: Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth = Math.max(0, depth - 1);
    } else if (depth === 0 && isWordToken(t, 'loop')) return i;
  }
  return toks.length;
}

function isOperator(t: Token | undefined, op: string): boolean {
  return t !== undefined && t.kind === 'operator' && t.text === op;
}

function isLeadIn(t: Token): boolean {
  return isWordKind(t) && LEAD_IN.has(t.value!);
}

function isWordKind(t: Token): boolean {
  return t.kind === 'keyword' || t.kind === 'identifier';
}

function isStringToken(t: Token | undefined): t is Token {
  return t !== undefined && (t.kind === 'dollarString' || t.kind === 'string');
}
