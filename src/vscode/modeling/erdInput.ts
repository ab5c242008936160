import type { CatalogSnapshot } from '../../core/catalog/model';
import { erdColumns, erdKeyColumns, erdSelection, renderErdSelection, type ErdOptions } from '../../core/modeling/erd';
import type { Cardinality, JoinProposal } from '../../core/modeling/types';
import { ERD_FOCUS_THRESHOLD, type ErdInput, type ErdRelationship, type ErdTable } from '../../shared/protocol/erd';

/** Crow's-foot ends as the webview draws them, from the referencing (from) side to the referenced (to) side. */
const MERMAID_CARDINALITY: Record<Cardinality, string> = {
  'many-to-one': '}o--||',
  'one-to-one': '|o--||',
  'one-to-many': '||--o{',
  'many-to-many': '}o--o{',
};

/**
 * What the ERD panel needs, from one selection of tables and relationships: the tables with the columns the diagram
 * draws (key and join columns only with `columns: 'keys'`), the relationships, and the Mermaid text of the whole
 * diagram where the viewer can draw it whole (up to ERD_FOCUS_THRESHOLD tables; export saves it as it is). Above
 * that the viewer shows an overview and focus views, and writes the Mermaid text of an export itself, from the
 * tables and relationships (at 10,000 tables that text alone is megabytes the viewer would not draw).
 */
export function buildErdInput(title: string, catalog: CatalogSnapshot, proposals: readonly JoinProposal[], options: ErdOptions = {}): ErdInput {
  const selection = erdSelection(catalog, proposals, options);
  const keysOf = erdKeyColumns(selection);
  const erdTables: ErdTable[] = selection.tables.map((t) => {
    const keys = keysOf(t);
    return {
      id: `${t.schema}.${t.name}`, schema: t.schema, name: t.name,
      columns: erdColumns(t, keys, options.columns).map((c) => {
        const n = c.name.toLowerCase();
        return { name: c.name, type: c.dataType ?? '', pk: keys.pk.has(n) || undefined, fk: keys.fk.has(n) || undefined };
      }),
    };
  });
  const relationships: ErdRelationship[] = selection.edges.map((e) => ({
    from: `${e.from.schema}.${e.from.table}`,
    to: `${e.to.schema}.${e.to.table}`,
    label: `${e.fromColumns.join(', ')} → ${e.toColumns.join(', ')}`,
    cardinality: MERMAID_CARDINALITY[e.cardinality],
  }));
  const mermaid = erdTables.length <= ERD_FOCUS_THRESHOLD ? renderErdSelection(selection, options) : '';
  return { title, mermaid, tables: erdTables, relationships };
}
