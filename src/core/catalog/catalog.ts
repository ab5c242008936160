import type { DdlOperation, QualifiedName } from '../sql/types';
import type { FileFacts } from '../workspace/facts';
import { DEFAULT_SCHEMA, relationKey, type CatalogConflict, type CatalogSnapshot, type ColumnDef, type TableDef } from './model';
import { describeColumnDifference } from './typeCompare';

/**
 * Builds the Catalog from per-file facts.
 *
 * Order is stable: files sorted by path, operations in file order. Definitions (DDL, dbt model SQL, seeds) are
 * applied first; dbt YAML and dbt artifacts are overlays applied afterwards, so a schema.yml sorted before the model
 * file still lands on the relation the model builds.
 */
export function buildCatalog(facts: FileFacts[]): CatalogSnapshot {
  const sorted = [...facts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const builder = new CatalogBuilder();
  const overlays: TableDef[] = [];
  for (const f of sorted) {
    for (const op of f.ddl) {
      if (op.op === 'createTable' && isOverlay(op.table)) overlays.push(op.table);
      else builder.apply(op);
    }
  }
  // dbt YAML before artifacts: YAML is what the user wrote; manifest/catalog.json only fill gaps.
  overlays.sort((a, b) => overlayRank(a) - overlayRank(b));
  for (const o of overlays) builder.overlay(o);
  return builder.finish();
}

function isOverlay(t: TableDef): boolean {
  return t.origin.kind === 'dbt-yaml' || t.origin.kind === 'dbt-manifest';
}

function overlayRank(t: TableDef): number {
  return t.origin.kind === 'dbt-yaml' ? 0 : 1;
}

/** The dbt model name a relation was built from (unique id `model.project.name`), if any. */
export function dbtModelName(t: TableDef): string | undefined {
  if (t.dbt?.resourceType !== 'model' && t.kind !== 'dbtModel') return undefined;
  const id = t.dbt?.uniqueId;
  if (id) return id.split('.').pop();
  return t.name;
}

function dbtSeedName(t: TableDef): string | undefined {
  if (t.dbt?.resourceType !== 'seed' && t.kind !== 'dbtSeed') return undefined;
  return t.dbt?.uniqueId?.split('.').pop() ?? t.name;
}

/** Copies what the builder mutates (the table, its column and constraint lists and items); origins stay shared. */
function cloneTable(t: TableDef): TableDef {
  return {
    ...t,
    columns: t.columns.map((c) => ({ ...c })),
    constraints: t.constraints.map((k) => ({ ...k, columns: [...k.columns] })),
    ...(t.tests ? { tests: [...t.tests] } : {}),
  };
}

class CatalogBuilder {
  private readonly tables = new Map<string, TableDef>();
  private readonly conflicts: CatalogConflict[] = [];
  /** dbt model/seed name (lower case) → relation key. */
  private readonly models = new Map<string, string>();
  private readonly seeds = new Map<string, string>();

  apply(op: DdlOperation): void {
    switch (op.op) {
      case 'createTable':
        return this.create(op.table, op.likeTable);
      case 'addColumn': {
        const t = this.find(op.table);
        if (!t) return;
        const existing = t.columns.findIndex((c) => sameName(c.name, op.column.name));
        if (existing >= 0) t.columns[existing] = { ...op.column };
        else t.columns.push({ ...op.column });
        return;
      }
      case 'dropColumn': {
        const t = this.find(op.table);
        if (t) t.columns = t.columns.filter((c) => !sameName(c.name, op.column));
        return;
      }
      case 'renameColumn': {
        const t = this.find(op.table);
        const c = t?.columns.find((x) => sameName(x.name, op.from));
        if (!t || !c) return;
        c.name = op.to;
        for (const k of t.constraints) k.columns = k.columns.map((n) => (sameName(n, op.from) ? op.to : n));
        return;
      }
      case 'renameTable': {
        const key = this.resolveKey(op.table);
        const t = key ? this.tables.get(key) : undefined;
        if (!key || !t) return;
        this.tables.delete(key);
        t.name = op.to.includes('.') ? op.to.split('.').pop()! : op.to;
        const newKey = relationKey(t.schema, t.name);
        this.tables.set(newKey, t);
        return;
      }
      case 'addConstraint': {
        const t = this.find(op.table);
        if (t) t.constraints.push({ ...op.constraint, columns: [...op.constraint.columns] });
        return;
      }
      case 'dropConstraint': {
        const t = this.find(op.table);
        if (t) t.constraints = t.constraints.filter((k) => !k.name || !sameName(k.name, op.name));
        return;
      }
      case 'comment': {
        const t = this.find(op.target.table);
        if (!t) return;
        const text = op.text ?? undefined;
        if (op.target.kind === 'table') t.comment = text;
        else {
          const c = t.columns.find((x) => sameName(x.name, op.target.column ?? ''));
          if (c) c.comment = text;
        }
        return;
      }
      case 'drop': {
        const key = this.resolveKey(op.table);
        if (key) this.tables.delete(key);
        return;
      }
    }
  }

  private create(table: TableDef, like?: QualifiedName): void {
    const t = cloneTable(table);
    t.schema = t.schema || DEFAULT_SCHEMA;
    if (like) {
      const src = this.find(like);
      if (src) {
        const own = new Set(t.columns.map((c) => c.name.toLowerCase()));
        const copied: ColumnDef[] = src.columns.filter((c) => !own.has(c.name.toLowerCase())).map((c) => ({ ...c, origin: t.origin }));
        t.columns = [...copied, ...t.columns];
      }
    }
    const key = relationKey(t.schema, t.name);
    const existing = this.tables.get(key);
    if (existing) {
      if (existing.columns.length === 0 && t.columns.length > 0) {
        existing.columns = t.columns;
        return;
      }
      const diff = t.columns.length === 0 ? undefined : describeColumnDifference(existing.columns, t.columns);
      if (diff) {
        this.conflicts.push({
          table: key,
          message: `${key} is defined differently in ${where(existing)} and ${where(t)} (${diff}); keeping the first`,
          origins: [existing.origin, t.origin],
        });
      }
      return;
    }
    this.tables.set(key, t);
    const model = dbtModelName(t);
    if (model) this.models.set(model.toLowerCase(), key);
    const seed = dbtSeedName(t);
    if (seed) this.seeds.set(seed.toLowerCase(), key);
  }

  /** Merges dbt YAML / artifact facts onto the relation they describe (created when missing). */
  overlay(o: TableDef): void {
    let key: string | undefined;
    if (o.dbt?.resourceType === 'model') key = this.models.get((dbtModelName(o) ?? o.name).toLowerCase());
    else if (o.dbt?.resourceType === 'seed') key = this.seeds.get((dbtSeedName(o) ?? o.name).toLowerCase());
    key ??= relationKey(o.schema || DEFAULT_SCHEMA, o.name);
    const t = this.tables.get(key);
    if (!t) {
      const fresh = cloneTable(o);
      fresh.schema = fresh.schema || DEFAULT_SCHEMA;
      this.tables.set(key, fresh);
      const model = dbtModelName(fresh);
      if (model) this.models.set(model.toLowerCase(), key);
      const seed = dbtSeedName(fresh);
      if (seed) this.seeds.set(seed.toLowerCase(), key);
      return;
    }
    if (t.comment === undefined && o.comment !== undefined) t.comment = o.comment;
    if (o.dbt) t.dbt = { ...o.dbt, ...t.dbt, materialized: t.dbt?.materialized ?? o.dbt.materialized };
    for (const oc of o.columns) {
      const c = t.columns.find((x) => sameName(x.name, oc.name));
      if (!c) {
        t.columns.push({ ...oc });
        continue;
      }
      if (c.comment === undefined && oc.comment !== undefined) c.comment = oc.comment;
      if (c.nullable === undefined && oc.nullable !== undefined) c.nullable = oc.nullable;
      if (!c.dataType && oc.dataType) {
        c.dataType = oc.dataType;
        c.typeFamily ??= oc.typeFamily;
      }
    }
    if (o.constraints.length) t.constraints.push(...o.constraints.map((k) => ({ ...k, columns: [...k.columns] })));
    if (o.tests?.length) t.tests = [...(t.tests ?? []), ...o.tests];
  }

  private find(name: QualifiedName): TableDef | undefined {
    const key = this.resolveKey(name);
    return key ? this.tables.get(key) : undefined;
  }

  /** Unqualified names resolve to `public` first, then to the only relation of that name in any schema. */
  private resolveKey(name: QualifiedName): string | undefined {
    const key = relationKey(name.schema, name.name);
    if (name.schema || this.tables.has(key)) return key;
    const lower = name.name.toLowerCase();
    let found: string | undefined;
    for (const [k, t] of this.tables) {
      if (t.name.toLowerCase() !== lower) continue;
      if (found) return key; // ambiguous: fall back to the default schema
      found = k;
    }
    return found ?? key;
  }

  finish(): CatalogSnapshot {
    const tables = [...this.tables.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
    return { tables, conflicts: this.conflicts };
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function where(t: TableDef): string {
  const o = t.origin;
  if (o.file) return o.line ? `${o.file}:${o.line}` : o.file;
  return o.connection ?? o.kind;
}
