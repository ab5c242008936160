/**
 * SQL text for a proposal: the JOIN itself, and one cardinality-check statement that runs unchanged on
 * Redshift and PostgreSQL (scalar subqueries, COUNT, LEFT JOIN … IS NULL for orphans; no tuple COUNT DISTINCT).
 */
import { isReservedWord, quoteIdent } from '../catalog/ddlWriter';
import type { TableRef } from './types';

export { quoteIdent };

export function qualifiedTable(t: TableRef): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** A short alias from the table name's initials (order_items → oi), not one of `taken`. */
export function aliasFor(t: TableRef, taken: ReadonlySet<string>): string {
  const initials = t.table.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean).map((w) => w[0]!.toLowerCase()).join('') || 't';
  let alias = /^[a-z]/.test(initials) ? initials.slice(0, 4) : `t${initials}`.slice(0, 4);
  if (isReservedWord(alias)) alias = `${alias}_`;
  if (!taken.has(alias)) return alias;
  for (let n = 2; ; n++) if (!taken.has(`${alias}${n}`)) return `${alias}${n}`;
}

export function buildJoinSql(from: TableRef, fromColumns: string[], to: TableRef, toColumns: string[], joinType: 'inner' | 'left' = 'inner'): string {
  const fa = aliasFor(from, new Set());
  const ta = aliasFor(to, new Set([fa]));
  const on = fromColumns.map((c, i) => `${fa}.${quoteIdent(c)} = ${ta}.${quoteIdent(toColumns[i]!)}`).join('\n  AND ');
  return `SELECT ${fa}.*, ${ta}.*\nFROM ${qualifiedTable(from)} AS ${fa}\n${joinType === 'left' ? 'LEFT JOIN' : 'JOIN'} ${qualifiedTable(to)} AS ${ta}\n  ON ${on}`;
}

/** Column names of the cardinality query's single result row, in order. */
export const CARDINALITY_COLUMNS = [
  'from_total', 'from_nulls', 'from_distinct', 'to_total', 'to_nulls', 'to_distinct',
  'orphan_rows', 'orphan_distinct', 'max_from_per_key', 'max_to_per_key',
] as const;

function side(t: TableRef, cols: string[]) {
  const tbl = qualifiedTable(t);
  const q = cols.map(quoteIdent);
  const anyNull = q.map((c) => `${c} IS NULL`).join(' OR ');
  const noNull = q.map((c) => `${c} IS NOT NULL`).join(' AND ');
  const list = q.join(', ');
  return {
    total: `(SELECT COUNT(*) FROM ${tbl})`,
    nulls: `(SELECT COUNT(*) FROM ${tbl} WHERE ${anyNull})`,
    distinct: `(SELECT COUNT(*) FROM (SELECT DISTINCT ${list} FROM ${tbl} WHERE ${noNull}) AS d)`,
    maxPerKey: `(SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM ${tbl} WHERE ${noNull} GROUP BY ${list}) AS g)`,
  };
}

export function buildCardinalitySql(from: TableRef, fromColumns: string[], to: TableRef, toColumns: string[]): string {
  const f = side(from, fromColumns);
  const t = side(to, toColumns);
  const fq = fromColumns.map(quoteIdent);
  const tq = toColumns.map(quoteIdent);
  const on = fq.map((c, i) => `t.${tq[i]} = f.${c}`).join(' AND ');
  const fNoNull = fq.map((c) => `f.${c} IS NOT NULL`).join(' AND ');
  const orphanFrom = `${qualifiedTable(from)} AS f LEFT JOIN (SELECT DISTINCT ${tq.join(', ')} FROM ${qualifiedTable(to)}) AS t ON ${on} WHERE ${fNoNull} AND t.${tq[0]} IS NULL`;
  const parts = [
    `${f.total} AS from_total`,
    `${f.nulls} AS from_nulls`,
    `${f.distinct} AS from_distinct`,
    `${t.total} AS to_total`,
    `${t.nulls} AS to_nulls`,
    `${t.distinct} AS to_distinct`,
    `(SELECT COUNT(*) FROM ${orphanFrom}) AS orphan_rows`,
    `(SELECT COUNT(*) FROM (SELECT DISTINCT ${fq.map((c) => `f.${c}`).join(', ')} FROM ${orphanFrom}) AS o) AS orphan_distinct`,
    `${f.maxPerKey} AS max_from_per_key`,
    `${t.maxPerKey} AS max_to_per_key`,
  ];
  return `SELECT\n  ${parts.join(',\n  ')}`;
}
