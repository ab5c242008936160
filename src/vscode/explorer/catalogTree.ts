import { isDocumentedOnly } from '../../core/catalog/documentedColumns';
import type { CatalogSnapshot, ColumnDef, ConstraintDef, TableDef } from '../../core/catalog/model';
import { relationKey } from '../../core/catalog/model';
import { parseDbtTarget } from '../../core/modeling/workspaceEvidence';

/** Pure view-model of the workspace catalog for the Schema Explorer: grouping, badges, filtering. No vscode here. */

export interface SchemaGroup {
  schema: string;
  tables: TableDef[];
}

export interface ColumnBadges {
  primaryKey: boolean;
  foreignKey?: string;
  unique: boolean;
  notNull: boolean;
}

export function groupBySchema(catalog: CatalogSnapshot, filter?: string): SchemaGroup[] {
  const needle = filter?.trim().toLowerCase();
  const groups = new Map<string, TableDef[]>();
  for (const table of catalog.tables) {
    if (needle && !matchesFilter(table, needle)) continue;
    const list = groups.get(table.schema) ?? [];
    list.push(table);
    groups.set(table.schema, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([schema, tables]) => ({ schema, tables: tables.sort((x, y) => x.name.localeCompare(y.name)) }));
}

function matchesFilter(table: TableDef, needle: string): boolean {
  return `${table.schema}.${table.name}`.toLowerCase().includes(needle)
    || table.columns.some((c) => c.name.toLowerCase().includes(needle));
}

export function columnBadges(table: TableDef, column: ColumnDef): ColumnBadges {
  const name = column.name.toLowerCase();
  const has = (c: ConstraintDef) => c.columns.some((x) => x.toLowerCase() === name);
  const fk = table.constraints.find((c) => c.kind === 'foreignKey' && has(c));
  let foreignKey: string | undefined;
  if (fk?.references) {
    const idx = fk.columns.findIndex((x) => x.toLowerCase() === name);
    const target = relationKey(fk.references.schema ?? table.schema, fk.references.table);
    foreignKey = `${target}.${fk.references.columns[idx] ?? fk.references.columns[0] ?? '?'}`;
  }
  // what the column's dbt tests assert counts as well: `unique`, `not_null`, `relationships` (to a ref() or source())
  const tests = (table.tests ?? []).filter((t) => t.column?.toLowerCase() === name);
  const tested = (test: string) => tests.find((t) => t.name.split('.').pop() === test);
  const relationships = tested('relationships');
  if (!foreignKey && relationships) {
    const args = { ...relationships.arguments, ...(relationships.arguments['arguments'] as Record<string, unknown> | undefined) };
    const target = parseDbtTarget(args['to']);
    if (target && typeof args['field'] === 'string') foreignKey = `${target.dbtRef?.kind === 'source' ? `${target.schema}.` : ''}${target.name}.${args['field']} (dbt test)`;
  }
  return {
    primaryKey: table.constraints.some((c) => c.kind === 'primaryKey' && has(c)),
    unique: table.constraints.some((c) => c.kind === 'unique' && c.columns.length === 1 && has(c)) || !!tested('unique'),
    foreignKey,
    notNull: column.nullable === false || !!tested('not_null'),
  };
}

/** `1 column`, `12 columns`. */
export function columnCount(table: TableDef): string {
  return `${table.columns.length} ${table.columns.length === 1 ? 'column' : 'columns'}`;
}

/** Short text shown after a column name, e.g. `integer · PK · NOT NULL` or `bigint · FK → sales.skuinfo.sku_id`. */
export function describeColumn(table: TableDef, column: ColumnDef): string {
  const b = columnBadges(table, column);
  const parts = [isDocumentedOnly(table, column) ? 'documented only: the model does not select it' : (column.dataType ?? 'unknown type')];
  if (b.primaryKey) parts.push('PK');
  if (b.foreignKey) parts.push(`FK → ${b.foreignKey}`);
  if (b.unique) parts.push('UNIQUE');
  if (b.notNull && !b.primaryKey) parts.push('NOT NULL');
  return parts.join(' · ');
}

export function describeTableKind(table: TableDef): string {
  switch (table.kind) {
    case 'dbtModel': return `dbt model${table.dbt?.materialized ? ` (${table.dbt.materialized})` : ''}`;
    case 'dbtSource': return 'dbt source';
    case 'dbtSeed': return 'dbt seed';
    case 'dbtSnapshot': return 'dbt snapshot';
    case 'view': return 'view';
    case 'materializedView': return 'materialized view';
    case 'externalTable': return 'external table';
    // a warehouse table a dbt project declares as a source
    default: return table.dbt?.resourceType === 'source' ? `table · dbt source${table.dbt.sourceName ? ` ${table.dbt.sourceName}` : ''}` : 'table';
  }
}
