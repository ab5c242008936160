/**
 * A dbt snapshot's configs that shape its table: `strategy`, `unique_key`, `updated_at`, `hard_deletes` (and the
 * older `invalidate_hard_deletes`) and `snapshot_meta_column_names`, read from a `config()` call, a YAML `config:`
 * or dbt_project.yml, and the columns dbt adds to the snapshot once they are known.
 */
import type { ColumnDef, DbtSnapshotConfig, Origin, SnapshotMetaColumn } from '../catalog/model';
import { typeFamilyOf } from '../sql/dataTypes';
import { plainConfigValue } from './dbtConfigCall';

/** The columns dbt adds after the query's, in its order, with the types they hold. `dbt_is_deleted` only under `hard_deletes: new_record`. */
const META_COLUMNS: ReadonlyArray<readonly [SnapshotMetaColumn, string]> = [
  ['dbt_scd_id', 'varchar(32)'],
  ['dbt_updated_at', 'timestamp'],
  ['dbt_valid_from', 'timestamp'],
  ['dbt_valid_to', 'timestamp'],
  // dbt writes the literal 'False' / 'True'
  ['dbt_is_deleted', 'text'],
];

const META_NAMES = new Set<string>(META_COLUMNS.map(([name]) => name));

/** The snapshot configs among a config's values (keys as dbt spells them, without `+`); undefined when none is set. */
export function snapshotConfigOf(values: Record<string, unknown> | undefined): DbtSnapshotConfig | undefined {
  if (!values) return undefined;
  const out: DbtSnapshotConfig = {};
  const strategy = plainConfigValue(values['strategy']);
  if (strategy) out.strategy = strategy.toLowerCase();
  const updatedAt = plainConfigValue(values['updated_at']);
  if (updatedAt) out.updatedAt = updatedAt;
  const key = values['unique_key'];
  const uniqueKey = (Array.isArray(key) ? key : [key]).map(plainConfigValue).filter((k): k is string => !!k);
  if (uniqueKey.length) out.uniqueKey = uniqueKey;
  const hardDeletes = plainConfigValue(values['hard_deletes'])?.toLowerCase();
  if (hardDeletes) out.hardDeletes = hardDeletes;
  else if (values['invalidate_hard_deletes'] === true) out.hardDeletes = 'invalidate';
  const names = values['snapshot_meta_column_names'];
  if (names && typeof names === 'object' && !Array.isArray(names)) {
    const renamed: Partial<Record<SnapshotMetaColumn, string>> = {};
    for (const [column, name] of Object.entries(names as Record<string, unknown>)) {
      const lower = column.toLowerCase();
      const value = plainConfigValue(name);
      if (META_NAMES.has(lower) && value) renamed[lower as SnapshotMetaColumn] = value;
    }
    if (Object.keys(renamed).length) out.metaColumnNames = renamed;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Configs from lowest to highest precedence, merged as dbt merges them: each key of a higher one replaces the lower's. */
export function mergeSnapshotConfigs(...layers: Array<DbtSnapshotConfig | undefined>): DbtSnapshotConfig | undefined {
  const merged: DbtSnapshotConfig = Object.assign({}, ...layers.filter((l) => l !== undefined));
  return Object.keys(merged).length ? merged : undefined;
}

/** dbt's columns of a snapshot under these configs, by its default name → the name they have here, in dbt's order. */
export function snapshotMetaColumns(config: DbtSnapshotConfig | undefined): Array<{ column: SnapshotMetaColumn; name: string; dataType: string }> {
  return META_COLUMNS.filter(([column]) => column !== 'dbt_is_deleted' || config?.hardDeletes === 'new_record').map(([column, dataType]) => ({
    column,
    name: config?.metaColumnNames?.[column] ?? column,
    dataType,
  }));
}

/** Appends dbt's snapshot columns that the list does not have yet, named as the configs name them. */
export function addSnapshotColumns(columns: ColumnDef[], origin: Origin, config?: DbtSnapshotConfig): void {
  for (const { name, dataType } of snapshotMetaColumns(config)) {
    const lower = name.toLowerCase();
    if (!columns.some((c) => c.name.toLowerCase() === lower)) columns.push({ name, dataType, typeFamily: typeFamilyOf(dataType), origin });
  }
}
