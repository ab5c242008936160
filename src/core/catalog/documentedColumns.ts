import type { ColumnDef, TableDef } from './model';

/**
 * Whether a dbt model's column is only documented: a properties file (schema.yml) describes it, but the model's SQL
 * does not select it. dbt accepts that; queries, docs and tests on the column then fail or mislead. Said only when
 * the model's own columns are known: its select list read, and a `select *` over a relation the catalog knows.
 */
export function isDocumentedOnly(table: TableDef, column: ColumnDef): boolean {
  if (table.kind !== 'dbtModel' || column.origin.kind !== 'dbt-yaml' || column.fromStar) return false;
  if (!table.columns.some((c) => c.origin.kind !== 'dbt-yaml')) return false; // no SQL columns read: nothing to compare
  const stars = table.starsFrom?.length ?? 0;
  // one star over a known relation fills in its columns (fromStar); an unknown one, or several, could hold this one
  return stars === 0 || (stars === 1 && table.columns.some((c) => c.fromStar === true));
}

export function documentedOnlyColumns(table: TableDef): ColumnDef[] {
  return table.kind === 'dbtModel' ? table.columns.filter((c) => isDocumentedOnly(table, c)) : [];
}
