/** What a statement does, judged from its leading keywords: enough to ask before writes on production. */
import { tokenize } from './tokenizer';

const READ_ONLY = new Set(['select', 'with', 'show', 'explain', 'values', 'table', 'describe', 'desc']);
const WRITES = new Set(['insert', 'update', 'delete', 'merge', 'create', 'alter', 'drop', 'truncate', 'grant', 'revoke',
  'copy', 'unload', 'vacuum', 'analyze', 'comment', 'call', 'refresh', 'begin', 'commit', 'rollback', 'lock', 'set', 'reset']);

export type StatementKind = 'read' | 'write' | 'unknown';

function significantWords(sql: string): string[] {
  return tokenize(sql, { skipWhitespace: true, skipComments: true })
    .filter((t) => t.kind === 'keyword' || t.kind === 'identifier')
    .map((t) => t.text.toLowerCase());
}

export function statementKind(sql: string): StatementKind {
  const words = significantWords(sql);
  const first = words[0];
  if (!first) return 'unknown';
  if (first === 'with' || first === 'explain') {
    // A CTE can feed INSERT/UPDATE/DELETE in PostgreSQL; EXPLAIN ANALYZE runs the statement.
    if (first === 'explain' && words[1] === 'analyze') return words.some((w) => WRITES.has(w) && w !== 'analyze') ? 'write' : 'read';
    return words.some((w) => w === 'insert' || w === 'update' || w === 'delete' || w === 'merge') ? 'write' : 'read';
  }
  if (first === 'select') return words.includes('into') && /\binto\s+(?!@)/i.test(sql) ? 'write' : 'read';
  if (READ_ONLY.has(first)) return 'read';
  if (WRITES.has(first)) return 'write';
  return 'unknown';
}

/** `:name` parameters in order of first appearance (outside strings, comments and `::` casts). */
export function parameterNames(sql: string): string[] {
  const names: string[] = [];
  for (const t of tokenize(sql)) {
    if (t.kind === 'parameter' && t.text.startsWith(':') && t.text.length > 1) {
      const name = t.text.slice(1);
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}
