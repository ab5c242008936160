import { analyzeQuery } from '../sql/queryAnalysis';
import type { JoinPair, ParseDiagnostic, TableRef } from '../sql/types';
import { tokenize, type LexLanguage, type Token } from './codeConstants/lexer';

/** A SQL query found in a string literal of application code. */
export interface SqlLiteral {
  sql: string;
  /** 1-based line of the literal's first character of content. */
  line: number;
}

const SQL_START = /^[\s(]*(select|with|insert|update|delete|merge|create)\b/i;
const SQL_BODY = /\b(from|join|into|set)\b/i;

/** String literals (joined across `+` / `.` / implicit concatenation) whose text reads as a SQL query. */
export function findSqlLiterals(text: string, lang: LexLanguage, tokens: Token[] = tokenize(text, lang)): SqlLiteral[] {
  const concat = lang === 'php' ? '.' : '+';
  const out: SqlLiteral[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'str' || !SQL_START.test(t.value)) continue;
    let sql = t.value;
    let lastLine = endLine(t);
    let j = i + 1;
    // join "SELECT ... " + "FROM ..." keeping line numbers: pad with the newlines between the parts
    for (;;) {
      const op = tokens[j];
      const next = op && op.type === 'punct' && op.value === concat ? tokens[j + 1] : lang === 'python' && op?.type === 'str' ? op : undefined;
      if (!next || next.type !== 'str') break;
      sql += '\n'.repeat(Math.max(0, next.line - lastLine)) + (next.line === lastLine ? ' ' : '') + next.value;
      lastLine = endLine(next);
      j = next === op ? j + 1 : j + 2;
    }
    i = j - 1;
    if (!SQL_BODY.test(sql)) continue;
    out.push({ sql, line: t.contentLine });
  }
  return out;
}

function endLine(t: Token): number {
  let n = 0;
  for (let k = 0; k < t.value.length; k++) if (t.value.charCodeAt(k) === 10) n++;
  return t.contentLine + n;
}

/** Runs query analysis on every SQL literal of a source file, with line numbers of the source file. */
export function analyzeSqlLiterals(
  text: string,
  lang: LexLanguage,
  file: string,
  tokens?: Token[],
): { tableRefs: TableRef[]; joins: JoinPair[]; diagnostics: ParseDiagnostic[] } {
  const tableRefs: TableRef[] = [];
  const joins: JoinPair[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  for (const lit of findSqlLiterals(text, lang, tokens)) {
    try {
      const facts = analyzeQuery(lit.sql, file, lit.line - 1, { originKind: 'code' });
      tableRefs.push(...facts.tables);
      joins.push(...facts.joins);
    } catch (err) {
      diagnostics.push({ severity: 'warning', message: `Could not analyze SQL in string literal: ${(err as Error).message}`, file, line: lit.line, column: 1 });
    }
  }
  return { tableRefs, joins, diagnostics };
}
