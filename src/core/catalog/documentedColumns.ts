import type { ColumnDef, TableDef } from './model';

/**
 * Whether a dbt model's column is only documented: a properties file (schema.yml) describes it, but the model's SQL
 * does not select it. dbt accepts that; queries, docs and tests on the column then fail or mislead. Said only when
 * the model's own columns are known (see columnsKnown).
 */
export function isDocumentedOnly(table: TableDef, column: ColumnDef): boolean {
  return table.kind === 'dbtModel' && fromYamlAlone(column) && columnsKnown(table);
}

export function documentedOnlyColumns(table: TableDef): ColumnDef[] {
  return table.kind === 'dbtModel' && columnsKnown(table) ? table.columns.filter(fromYamlAlone) : [];
}

function fromYamlAlone(column: ColumnDef): boolean {
  return column.origin.kind === 'dbt-yaml' && !column.fromStar;
}

/** The model's select list was read, and a `select *` in it is over a relation the catalog knows. */
function columnsKnown(table: TableDef): boolean {
  if (!table.columns.some((c) => c.origin.kind !== 'dbt-yaml')) return false; // no SQL columns read: nothing to compare
  const stars = table.starsFrom?.length ?? 0;
  // one star over a known relation fills in its columns (fromStar); an unknown one, or several, could hold any
  return stars === 0 || (stars === 1 && table.columns.some((c) => c.fromStar === true));
}
