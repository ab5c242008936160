import { qualifiedName } from './ddlWriter';
import type { TableDef } from './model';

/** dbt's materializations that build a view (a model with none is a view, dbt's default). */
const VIEW_MATERIALIZATIONS = new Set([undefined, 'view', 'materialized_view', 'materializedview']);

/** What Redshift shows a relation's DDL with: views (a dbt model built as one too) by SHOW VIEW, Spectrum tables by SHOW EXTERNAL TABLE. */
export function showVerb(table: TableDef): 'VIEW' | 'EXTERNAL TABLE' | 'TABLE' {
  if (table.kind === 'view' || table.kind === 'materializedView') return 'VIEW';
  if (table.kind === 'externalTable') return 'EXTERNAL TABLE';
  if (table.kind === 'dbtModel' && VIEW_MATERIALIZATIONS.has(table.dbt?.materialized?.toLowerCase())) return 'VIEW';
  return 'TABLE';
}

/**
 * SHOW VIEW gives a standard view's query alone (a materialized or late-binding view's whole CREATE): make it the
 * statement that creates the view.
 */
export function asCreateView(table: TableDef, shown: string): string {
  if (/^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*create\b/i.test(shown)) return shown;
  return `CREATE OR REPLACE VIEW ${qualifiedName(table.schema, table.name)} AS\n${shown.trim().replace(/;\s*$/, '')};`;
}
