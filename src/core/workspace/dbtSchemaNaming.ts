import { DEFAULT_SCHEMA } from '../catalog/model';
import { yGet, yStr, readYamlTree } from './yamlTree';

/**
 * Where dbt builds a project's relations: `generate_schema_name` applied to each one's custom schema (`+schema`,
 * `config(schema=…)`) and the profile target's schema. Known only when the project carries its `profiles.yml` (many do,
 * for CI); the user's own `~/.dbt` lies outside the workspace. Without it, a custom schema is taken as is and a
 * relation with none sits in `public`, as before; a manifest, when present, says where dbt really built them.
 */
export interface DbtSchemaNaming {
  /** The profile target's schema. */
  target: string;
  /**
   * What generate_schema_name makes of a custom schema: dbt's own `<target>_<custom>` (`append`), the custom schema as
   * is (`as-is`, the common override), or the target's schema whatever it is (`target`: generate_schema_name_for_env
   * outside a `prod` target).
   */
  custom: 'append' | 'as-is' | 'target';
}

/** The schema dbt builds a relation in, from its custom schema (undefined: none configured). */
export function dbtSchemaOf(naming: DbtSchemaNaming | undefined, custom: string | undefined): string {
  if (!naming) return custom ?? DEFAULT_SCHEMA;
  if (custom === undefined || naming.custom === 'target') return naming.target;
  return naming.custom === 'append' ? `${naming.target}_${custom.trim()}` : custom.trim();
}

/**
 * The profile `profile` of a `profiles.yml` text: its target's name and schema, each as written or as the default of an
 * `env_var('X', 'default')`. Undefined when either cannot be told.
 */
export function profileTarget(text: string, profile: string | undefined): { name: string; schema: string } | undefined {
  if (!profile) return undefined;
  const tree = readYamlTree(text, 'profiles.yml');
  const entry = yGet(tree.root, profile);
  const name = staticValue(yStr(yGet(entry, 'target')));
  const output = name === undefined ? undefined : yGet(yGet(entry, 'outputs'), name);
  // BigQuery calls it a dataset; DuckDB and SQLite build in `main` when the profile names no schema
  const schema = staticValue(yStr(yGet(output, 'schema'))) ?? staticValue(yStr(yGet(output, 'dataset'))) ?? ADAPTER_DEFAULT_SCHEMA[staticValue(yStr(yGet(output, 'type'))) ?? ''];
  return name !== undefined && schema !== undefined ? { name, schema } : undefined;
}

const ADAPTER_DEFAULT_SCHEMA: Record<string, string | undefined> = { duckdb: 'main', sqlite: 'main' };

/** A profile value: plain text, or `{{ env_var('X', 'default') }}`'s default (the value dbt uses when X is unset). */
function staticValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value.includes('{{')) return value.trim() || undefined;
  const m = /^\s*\{\{-?\s*env_var\(\s*(['"])[^'"]+\1\s*,\s*(['"])([^'"]*)\2\s*\)\s*-?\}\}\s*$/.exec(value);
  return m?.[3] || undefined;
}

/**
 * What a project's own `generate_schema_name` does, from its macro text; `append` when the project defines none (dbt's
 * default). Undefined for a body this cannot tell.
 */
export function schemaNamingOf(macros: string[], targetName: string): DbtSchemaNaming['custom'] | undefined {
  const body = macros.map(macroBody).find((b) => b !== undefined);
  if (body === undefined) return 'append';
  const flat = body.replace(/\s+/g, '');
  // the built-in alternative: custom schemas as is in prod, the target's schema elsewhere
  if (/^\{\{-?generate_schema_name_for_env\(custom_schema_name(,node)?\)-?\}\}$/.test(flat)) return targetName === 'prod' ? 'as-is' : 'target';
  if (/^\{\{-?default__generate_schema_name\(custom_schema_name(,node)?\)-?\}\}$/.test(flat)) return 'append';
  // `if custom_schema_name is none` → the target's schema, `else` → the custom schema (as is, or after the target's)
  const branches = /^(?:\{%-?setdefault_schema=target\.schema-?%\})?\{%-?ifcustom_schema_nameisnone-?%\}\{\{-?(?:target\.schema|default_schema)-?\}\}\{%-?else-?%\}(.*)\{%-?endif-?%\}$/.exec(flat);
  if (!branches) return undefined;
  const custom = branches[1]!;
  if (/^\{\{-?custom_schema_name(\|trim)?-?\}\}$/.test(custom)) return 'as-is';
  if (/^\{\{-?(target\.schema|default_schema)-?\}\}_\{\{-?custom_schema_name(\|trim)?-?\}\}$/.test(custom)) return 'append';
  return undefined;
}

/** The body of a `{% macro generate_schema_name(…) %}` in a macro file's text, if it defines one. */
function macroBody(text: string): string | undefined {
  const open = /\{%-?\s*macro\s+generate_schema_name\s*\([^)]*\)\s*-?%\}/.exec(text);
  if (!open) return undefined;
  const close = /\{%-?\s*endmacro\s*-?%\}/.exec(text.slice(open.index + open[0].length));
  return close ? text.slice(open.index + open[0].length, open.index + open[0].length + close.index) : undefined;
}
