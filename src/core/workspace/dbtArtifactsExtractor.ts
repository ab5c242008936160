import type { ColumnDef, Origin, RelationKind, TableDef } from '../catalog/model';
import { typeFamilyOf } from '../sql/dataTypes';
import { emptyFacts, type FileFacts } from './facts';
import { objectMembers } from './jsonScan';

type Json = Record<string, unknown>;

const RESOURCE_KINDS: Record<string, RelationKind> = { model: 'dbtModel', seed: 'dbtSeed', snapshot: 'dbtSnapshot', source: 'dbtSource' };

/**
 * dbt `target/manifest.json` and `target/catalog.json`: relations with columns (and, from catalog.json, warehouse types).
 * Only `nodes` and `sources` are visited and each entry is parsed on its own, so macros, docs and the
 * parent/child maps of a large manifest are skipped without being turned into objects.
 */
export function extractDbtArtifact(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'dbt-artifact');
  const isCatalog = /(^|\/)catalog\.json$/.test(file);
  let sawTopLevel = false;
  try {
    for (const top of objectMembers(text, 0)) {
      sawTopLevel = true;
      if (top.truncated) facts.diagnostics.push({ severity: 'warning', message: `dbt artifact is truncated inside "${top.key}"`, file, line: 1, column: 1 });
      if (top.key !== 'nodes' && top.key !== 'sources') continue;
      for (const entry of objectMembers(text, top.start)) {
        const resource = entry.key.split('.')[0]!;
        const kind = RESOURCE_KINDS[resource];
        if (!kind) continue; // tests, analyses, operations
        let node: Json;
        try {
          node = JSON.parse(text.slice(entry.start, entry.end)) as Json;
        } catch {
          continue;
        }
        const table = isCatalog ? fromCatalogNode(file, entry.key, kind, node) : fromManifestNode(file, entry.key, kind, node);
        if (table) facts.ddl.push({ op: 'createTable', table });
      }
    }
  } catch (err) {
    facts.diagnostics.push({ severity: 'error', message: `Could not read dbt artifact: ${(err as Error).message}`, file, line: 1, column: 1 });
  }
  if (!sawTopLevel) facts.diagnostics.push({ severity: 'warning', message: 'Not a JSON object (empty or truncated dbt artifact)', file, line: 1, column: 1 });
  return facts;
}

function dbtInfo(uniqueId: string, node: Json): TableDef['dbt'] {
  const resource = uniqueId.split('.')[0];
  const config = (node.config ?? {}) as Json;
  const info: NonNullable<TableDef['dbt']> = {
    uniqueId,
    resourceType: resource === 'source' || resource === 'seed' || resource === 'snapshot' ? resource : 'model',
    materialized: typeof config.materialized === 'string' ? config.materialized : undefined,
    sourceName: typeof node.source_name === 'string' ? node.source_name : undefined,
  };
  // a version of a versioned model: `model.p.dim_customers.v2`, name dim_customers, version 2
  const version = node.version;
  if (resource === 'model' && (typeof version === 'number' || typeof version === 'string') && typeof node.name === 'string') {
    const file = typeof node.original_file_path === 'string' ? node.original_file_path.split('/').pop()!.replace(/\.sql$/i, '') : `${node.name}_v${version}`;
    info.version = { of: node.name, v: String(version), latest: String(version) === String(node.latest_version), file };
  }
  return info;
}

function fromManifestNode(file: string, uniqueId: string, kind: RelationKind, node: Json): TableDef | undefined {
  const schema = typeof node.schema === 'string' ? node.schema : undefined;
  const name = (node.identifier ?? node.alias ?? node.name) as string | undefined;
  if (!schema || !name) return undefined;
  const origin: Origin = { kind: 'dbt-manifest', file };
  const columns: ColumnDef[] = [];
  for (const c of Object.values((node.columns ?? {}) as Record<string, Json>)) {
    if (typeof c?.name !== 'string') continue;
    const dataType = typeof c.data_type === 'string' && c.data_type ? c.data_type : undefined;
    columns.push({ name: c.name, dataType, typeFamily: dataType ? typeFamilyOf(dataType) : undefined, comment: nonEmpty(c.description), origin });
  }
  return { schema, name, kind, columns, constraints: [], comment: nonEmpty(node.description), dbt: dbtInfo(uniqueId, node), origin };
}

function fromCatalogNode(file: string, uniqueId: string, kind: RelationKind, node: Json): TableDef | undefined {
  const meta = (node.metadata ?? {}) as Json;
  if (typeof meta.schema !== 'string' || typeof meta.name !== 'string') return undefined;
  const origin: Origin = { kind: 'dbt-manifest', file };
  const cols = Object.values((node.columns ?? {}) as Record<string, Json>)
    .filter((c) => typeof c?.name === 'string')
    .sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
  const columns: ColumnDef[] = cols.map((c) => {
    const dataType = typeof c.type === 'string' ? c.type : undefined;
    return { name: String(c.name), dataType, typeFamily: dataType ? typeFamilyOf(dataType) : undefined, comment: nonEmpty(c.comment), origin };
  });
  const viewKind: RelationKind = String(meta.type ?? '').toUpperCase() === 'VIEW' && kind === 'table' ? 'view' : kind;
  return { schema: meta.schema, name: meta.name, kind: viewKind, columns, constraints: [], comment: nonEmpty(meta.comment), dbt: dbtInfo(uniqueId, {}), origin };
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}
