/**
 * dbt lineage: a model (or snapshot) and the relations it selects from describe the same rows at different stages, so a column
 * they share is a passthrough, not a join. Join inference drops such name-only candidates.
 */
import { CatalogIndex } from '../catalog/catalogIndex';
import type { CatalogSnapshot, TableDef } from '../catalog/model';
import type { FileFacts } from '../workspace/facts';

const key = (schema: string, table: string) => `${schema}.${table}`.toLowerCase();

/** Pairs `a|b` (both orders) of a dbt model and each relation it reads. */
export function lineagePairs(facts: readonly FileFacts[], catalog: CatalogSnapshot): Set<string> {
  const index = new CatalogIndex(catalog);
  const pairs = new Set<string>();
  // what each file builds, found once (not a pass over the catalog per model file)
  const builtBy = new Map<string, TableDef[]>();
  for (const t of catalog.tables) {
    const file = t.origin.file;
    if ((t.kind === 'dbtModel' || t.kind === 'dbtSnapshot') && file) (builtBy.get(file) ?? builtBy.set(file, []).get(file)!).push(t);
  }
  for (const f of facts) {
    if (f.kind !== 'dbt-model' && f.kind !== 'dbt-snapshot') continue;
    // a snapshot keeps the rows of what it selects from, as a model does (a file's snapshots share its relations)
    for (const model of builtBy.get(f.file) ?? []) {
      for (const ref of f.tableRefs) {
        const upstream = index.resolveRef(ref).table;
        if (!upstream || upstream === model) continue;
        const a = key(model.schema, model.name);
        const b = key(upstream.schema, upstream.name);
        pairs.add(`${a}|${b}`);
        pairs.add(`${b}|${a}`);
      }
    }
  }
  return pairs;
}

export function isLineagePair(lineage: ReadonlySet<string>, a: { schema: string; name: string }, b: { schema: string; name: string }): boolean {
  return lineage.has(`${key(a.schema, a.name)}|${key(b.schema, b.name)}`);
}
