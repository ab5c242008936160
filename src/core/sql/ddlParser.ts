/**
 * The single entry point for a SQL file: DDL operations for the catalog, query facts (tables, join pairs)
 * and diagnostics. Statement by statement; a broken statement gives a diagnostic and parsing goes on.
 */
import type { Origin, OriginKind } from '../catalog/model';
import { parseAlter, parseComment, parseDrop } from './alterStatements';
import { parseCreate, selectInto } from './createStatements';
import type { DdlContext } from './ddlContext';
import { analyzeQuery, analyzeTokens } from './queryAnalysis';
import { splitStatements, type SqlStatement } from './splitter';
import { stringValue, tokenize, type Token } from './tokenizer';
import { SqlSyntaxError, TokenCursor } from './tokenCursor';
import type { DdlOperation, JoinPair, ParseDiagnostic, QueryFacts, TableRef } from './types';

export interface SqlParseResult {
  ddl: DdlOperation[];
  queries: QueryFacts;
  diagnostics: ParseDiagnostic[];
  statements: SqlStatement[];
}

export interface ParseSqlOptions {
  /** Origin kind of query facts (default 'query'; use 'dbt-model' for dbt models). DDL facts are always 'ddl'. */
  queryOriginKind?: OriginKind;
}

const QUERY_WORDS = new Set(['select', 'with', 'insert', 'update', 'delete', 'merge', 'values']);

export function parseSql(text: string, file: string, options: ParseSqlOptions = {}): SqlParseResult {
  const ddl: DdlOperation[] = [];
  const tables: TableRef[] = [];
  const joins: JoinPair[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  // comments carry nothing the parser reads (statement ranges then start at the first significant token)
  const tokens = tokenize(text, { skipWhitespace: true, skipComments: true });
  const statements = splitStatements(text, tokens);
  const queryOptions = { originKind: options.queryOriginKind ?? 'query' };

  for (const tok of tokens) if (tok.unterminated) diagnostics.push(unterminatedDiagnostic(tok, file));
  for (const stmt of statements) {
    const toks = stmt.tokens;
    const ctx: DdlContext = {
      text,
      file,
      tokens: toks,
      origin: (tok) => originOf(tok, file),
      diagnostic: (severity, message, tok) => diagnostics.push(diagnosticAt(severity, message, tok ?? toks[0], file)),
      analyzeBody: (from, to) => {
        const a = analyzeTokens(toks, from, to, file, 0, queryOptions);
        tables.push(...a.tables);
        joins.push(...a.joins);
        return a;
      },
      queryFacts: (facts) => {
        tables.push(...facts.tables);
        joins.push(...facts.joins);
      },
      emit: (op) => ddl.push(op),
    };
    try {
      parseStatement(ctx, toks);
    } catch (err) {
      if (err instanceof SqlSyntaxError) {
        // Jinja renders to what only dbt knows (`alter table {{ relation }} …` in a macro): no syntax error is certain
        if (!toks.some((t) => t.kind === 'jinja')) ctx.diagnostic('error', err.message, err.token);
      } else ctx.diagnostic('error', `internal parser error: ${err instanceof Error ? err.message : String(err)}`, toks[0]);
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ddl, queries: { tables, joins }, diagnostics, statements };
}

function parseStatement(ctx: DdlContext, toks: Token[]): void {
  const c = new TokenCursor(toks);
  const first = c.peek();
  if (!first) return;
  if (first.kind === 'jinja' || (first.kind === 'punct' && first.text === '(')) {
    ctx.analyzeBody(0, toks.length);
    return;
  }
  const w = first.kind === 'keyword' || first.kind === 'identifier' ? first.value : undefined;
  if (w === undefined) return;
  if (QUERY_WORDS.has(w)) {
    const analysis = ctx.analyzeBody(0, toks.length);
    if (w === 'select' || w === 'with') selectInto(ctx, analysis);
    return;
  }
  c.pos++;
  if (w === 'create') parseCreate(ctx, c);
  else if (w === 'alter') parseAlter(ctx, c);
  else if (w === 'comment') parseComment(ctx, c);
  else if (w === 'drop') parseDrop(ctx, c);
  else if (w === 'unload') unloadQuery(ctx, c);
  // GRANT, SET, COPY, CALL, BEGIN, ...: skipped
}

/** Redshift `UNLOAD ('select …') TO 's3://…'`: the query inside the string makes joins like any other. */
function unloadQuery(ctx: DdlContext, c: TokenCursor): void {
  if (!c.acceptPunct('(')) return;
  const tok = c.peek();
  if (tok?.kind !== 'string' && tok?.kind !== 'dollarString') return;
  // the query starts one character into the token (two for E'…'); quotes written twice inside make later columns on
  // that line a little off, not the lines
  const quote = tok.kind === 'string' ? tok.text.indexOf("'") + 1 : tok.text.indexOf('$', 1) + 1;
  const facts = analyzeQuery(stringValue(tok), ctx.file, tok.line - 1, { originKind: 'query', columnOffset: tok.column - 1 + quote });
  ctx.queryFacts(facts);
}

function originOf(tok: Token | undefined, file: string): Origin {
  const o: Origin = { kind: 'ddl', file };
  if (tok) {
    o.line = tok.line;
    o.column = tok.column;
  }
  return o;
}

function diagnosticAt(severity: ParseDiagnostic['severity'], message: string, tok: Token | undefined, file: string): ParseDiagnostic {
  const d: ParseDiagnostic = { severity, message, file, line: tok?.line ?? 1, column: tok?.column ?? 1 };
  if (tok) {
    d.endLine = tok.line;
    d.endColumn = tok.column + Math.max(1, Math.min(tok.text.length, tok.text.indexOf('\n') >= 0 ? tok.text.indexOf('\n') : tok.text.length));
  }
  return d;
}

function unterminatedDiagnostic(tok: Token, file: string): ParseDiagnostic {
  const what =
    tok.kind === 'string' ? 'string literal' : tok.kind === 'quotedIdentifier' ? 'quoted identifier' : tok.kind === 'comment' ? 'block comment' : tok.kind === 'dollarString' ? 'dollar-quoted string' : 'Jinja block';
  return diagnosticAt('error', `unterminated ${what}`, tok, file);
}
