/**
 * The `models:` and `seeds:` config trees of dbt_project.yml: which schema, materialization, alias and seed column
 * types apply to a resource, by its path in the project (dbt's fqn without the package name).
 */
import type { DbtConfigKey, DbtSnapshotConfig } from '../catalog/model';
import { plainConfigValue } from './dbtConfigCall';
import { mergeSnapshotConfigs, snapshotConfigOf } from './dbtSnapshotConfig';


/** Configs set for the resources under one path of the project. */
export interface DbtPathConfig {
  /**
   * '/'-terminated path inside the project's model (or seed) folders: '' for every resource, 'staging/' for a folder,
   * 'staging/stg_orders/' for one model.
   */
  path: string;
  schema?: string;
  /** Snapshots: `+target_schema`, which wins over any `schema` (as dbt places snapshots). */
  targetSchema?: string;
  materialized?: string;
  alias?: string;
  /** `+enabled: false` leaves the resource out of the project (dbt lists it as disabled). */
  enabled?: boolean;
  /** Seeds: `+column_types`, column name → type. */
  columnTypes?: Record<string, string>;
  /** Snapshots: `+strategy`, `+unique_key`, `+updated_at`, `+hard_deletes`, `+snapshot_meta_column_names`. */
  snapshot?: DbtSnapshotConfig;
}

/** What applies to one resource once the configs along its path are merged (the deepest path wins). */
export type DbtResourceConfig = Omit<DbtPathConfig, 'path'>;

/** Config keys dbt also accepts without the `+` prefix (the older form). */
const BARE_CONFIG_KEYS = new Set(['schema', 'materialized', 'alias', 'column_types', 'target_schema', 'enabled', 'strategy', 'unique_key', 'updated_at', 'hard_deletes', 'invalidate_hard_deletes', 'snapshot_meta_column_names']);

const SNAPSHOT_CONFIG_KEYS = ['strategy', 'unique_key', 'updated_at', 'hard_deletes', 'invalidate_hard_deletes', 'snapshot_meta_column_names'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The configs of one section (`models:` or `seeds:`) that apply to `project`: those directly under the section (every
 * package) and those under the project's own name. Other packages' configs are left out. Shallow paths first.
 */
export function readPathConfigs(section: unknown, project: string | undefined): DbtPathConfig[] {
  if (!isObject(section)) return [];
  const out: DbtPathConfig[] = [];
  const top = configsOf(section, '');
  if (top) out.push(top);
  for (const [key, value] of Object.entries(section)) {
    if (!key.startsWith('+') && isObject(value) && project !== undefined && key === project) walk(value, '', out);
  }
  return out.sort((a, b) => a.path.length - b.path.length);
}

function walk(node: Json, path: string, out: DbtPathConfig[]): void {
  const own = configsOf(node, path);
  if (own) out.push(own);
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('+') || (BARE_CONFIG_KEYS.has(key) && !isFolderLike(key, value))) continue;
    if (isObject(value)) walk(value, `${path}${key}/`, out);
  }
}


/** The keys of a config the catalog follows the precedence of, when any is set. */
export function configuredKeys(config: { schema?: string; target_schema?: string; materialized?: string; alias?: string }): DbtConfigKey[] | undefined {
  const keys: DbtConfigKey[] = [];
  if (config.target_schema !== undefined) keys.push('target_schema');
  if (config.schema !== undefined) keys.push('schema');
  if (config.materialized !== undefined) keys.push('materialized');
  if (config.alias !== undefined) keys.push('alias');
  return keys.length ? keys : undefined;
}

/** `column_types:` and `snapshot_meta_column_names:` are maps too; any other bare config key with a map value is a folder that happens to share its name. */
const isFolderLike = (key: string, value: unknown): boolean => key !== 'column_types' && key !== 'snapshot_meta_column_names' && isObject(value);

function configsOf(node: Json, path: string): DbtPathConfig | undefined {
  const pick = (name: string): unknown => (`+${name}` in node ? node[`+${name}`] : BARE_CONFIG_KEYS.has(name) ? node[name] : undefined);
  const config: DbtPathConfig = { path };
  const text = plainConfigValue;
  const schema = text(pick('schema'));
  const targetSchema = text(pick('target_schema'));
  if (targetSchema) config.targetSchema = targetSchema;
  if (schema) config.schema = schema;
  const materialized = text(pick('materialized'));
  if (materialized) config.materialized = materialized;
  const alias = text(pick('alias'));
  if (alias) config.alias = alias;
  const types = pick('column_types');
  if (isObject(types)) {
    const columnTypes: Record<string, string> = {};
    for (const [column, type] of Object.entries(types)) if (text(type)) columnTypes[column] = text(type)!;
    if (Object.keys(columnTypes).length) config.columnTypes = columnTypes;
  }
  const enabled = pick('enabled');
  if (typeof enabled === 'boolean') config.enabled = enabled;
  const snapshot = snapshotConfigOf(Object.fromEntries(SNAPSHOT_CONFIG_KEYS.map((k) => [k, pick(k)])));
  if (snapshot) config.snapshot = snapshot;
  return Object.keys(config).length > 1 ? config : undefined;
}

/**
 * The merged config of the resource at `resourcePath` ('staging/stg_orders', no extension): every config whose path
 * is a prefix of it, deeper ones over shallower. An alias applies only when set for that resource itself (on a folder
 * it would give every model there one name).
 */
export function configFor(configs: readonly DbtPathConfig[] | undefined, resourcePath: string): DbtResourceConfig {
  const merged: DbtResourceConfig = {};
  if (!configs?.length) return merged;
  const own = `${resourcePath}/`;
  for (const c of configs) {
    if (!own.startsWith(c.path)) continue;
    if (c.schema !== undefined) merged.schema = c.schema;
    if (c.targetSchema !== undefined) merged.targetSchema = c.targetSchema;
    if (c.enabled !== undefined) merged.enabled = c.enabled;
    if (c.materialized !== undefined) merged.materialized = c.materialized;
    if (c.alias !== undefined && c.path === own) merged.alias = c.alias;
    if (c.columnTypes) merged.columnTypes = { ...merged.columnTypes, ...c.columnTypes };
    if (c.snapshot) merged.snapshot = mergeSnapshotConfigs(merged.snapshot, c.snapshot);
  }
  return merged;
}
