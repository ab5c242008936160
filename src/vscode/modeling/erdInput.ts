import type { CatalogSnapshot } from '../../core/catalog/model';
import { erdSelection, renderMermaidErd, type ErdOptions } from '../../core/modeling/erd';
import type { Cardinality, JoinProposal } from '../../core/modeling/types';
import type { ErdInput, ErdRelationship, ErdTable } from '../../shared/protocol/erd';

/** Crow's-foot ends as the webview draws them, from the referencing (from) side to the referenced (to) side. */
const MERMAID_CARDINALITY: Record<Cardinality, string> = {
  'many-to-one': '}o--||',
  'one-to-one': '|o--||',
  'one-to-many': '||--o{',
  'many-to-many': '}o--o{',
};

/** What the ERD panel needs: the Mermaid text of the chosen diagram plus tables and relationships for its focus view. */
export function buildErdInput(title: string, catalog: CatalogSnapshot, proposals: readonly JoinProposal[], options: ErdOptions = {}): ErdInput {
  const { tables, edges } = erdSelection(catalog, proposals, options);
  const fkColumns = new Map<string, Set<string>>();
  for (const e of edges) {
    const key = `${e.from.schema}.${e.from.table}`;
    const set = fkColumns.get(key) ?? new Set<string>();
    for (const c of e.fromColumns) set.add(c.toLowerCase());
    fkColumns.set(key, set);
  }
  const erdTables: ErdTable[] = tables.map((t) => {
    const id = `${t.schema}.${t.name}`;
    const pk = new Set(t.constraints.filter((c) => c.kind === 'primaryKey').flatMap((c) => c.columns.map((x) => x.toLowerCase())));
    const fk = fkColumns.get(id) ?? new Set<string>();
    return {
      id, schema: t.schema, name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: c.dataType ?? '', pk: pk.has(c.name.toLowerCase()) || undefined, fk: fk.has(c.name.toLowerCase()) || undefined })),
    };
  });
  const relationships: ErdRelationship[] = edges.map((e) => ({
    from: `${e.from.schema}.${e.from.table}`,
    to: `${e.to.schema}.${e.to.table}`,
    label: `${e.fromColumns.join(', ')} → ${e.toColumns.join(', ')}`,
    cardinality: MERMAID_CARDINALITY[e.cardinality],
  }));
  return { title, mermaid: renderMermaidErd(catalog, proposals, options), tables: erdTables, relationships };
}
