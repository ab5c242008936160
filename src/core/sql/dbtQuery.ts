import type { CatalogIndex } from '../catalog/catalogIndex';
import { qualifiedName } from '../catalog/ddlWriter';
import type { TableDef } from '../catalog/model';
import { compileDbtModel, type DbtCompileResult } from './dbtCompile';
import type { DbtRefCall } from './types';

/** True when SQL holds dbt Jinja (`{{ }}`, `{% %}`, `{# #}`) that must be compiled before a database can run it. */
export function holdsJinja(sql: string): boolean {
  return /\{[{%#]/.test(sql);
}

/**
 * SQL to run, with its dbt Jinja compiled as `dbt compile` would for a plain build: `ref()` and `source()` become the
 * relations the catalog places them at (the ones the embedded engine builds, and the warehouse's when the catalog's
 * dbt schemas are the target's), `{{ this }}` the model itself when the SQL is a model's. What cannot be compiled
 * without dbt (a project macro, a variable) is reported, not guessed.
 */
export function compileDbtQuery(sql: string, index: CatalogIndex, model?: TableDef): DbtCompileResult {
  const target = (dbtRef: DbtRefCall): TableDef | undefined => index.resolveRef({ name: dbtRef.args[dbtRef.args.length - 1]!, dbtRef }).table;
  return compileDbtModel(sql, {
    ref(args, version) {
      const t = target({ kind: 'ref', args, version });
      return t && qualifiedName(t.schema, t.name);
    },
    source(source, table) {
      const t = target({ kind: 'source', args: [source, table] });
      return t && qualifiedName(t.schema, t.name);
    },
    columnsOf: (relation) => target(relation.dbtRef)?.columns.map((c) => c.name),
    self: model && qualifiedName(model.schema, model.name),
  });
}
