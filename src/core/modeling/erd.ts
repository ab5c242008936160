/**
 * Mermaid `erDiagram` text from the catalog and join proposals. Entity ids are safe tokens with the real
 * `schema.table` shown as an alias label; attribute types and names are reduced to tokens the grammar accepts
 * (no spaces or parentheses), with the original written in the attribute comment when it had to change.
 */
import { isWarehouseRelation, type CatalogSnapshot, type TableDef } from '../catalog/model';
import type { JoinProposal } from './types';

export interface ErdOptions {
  /** Only these tables (`table` or `schema.table`). */
  tables?: string[];
  /** Start from these tables (or `tables`) and add neighbours up to this many hops along relationships. */
  depth?: number;
  /** 'keys' = key and join columns only; 'all' = every column (default 'keys'). */
  columns?: 'keys' | 'all';
  /** Relationships below this score are not drawn (default 0). */
  minScore?: number;
  /** Show the score and cardinality source on each line (default true). */
  annotate?: boolean;
}

const tkey = (schema: string, name: string) => `${schema}.${name}`.toLowerCase();

/** A token Mermaid accepts as an attribute type: `character varying(256)` → `varchar_256`. */
export function safeTypeToken(dataType: string | undefined): string {
  if (!dataType) return 'unknown';
  let t = dataType.trim().toLowerCase()
    .replace(/\bcharacter varying\b/g, 'varchar')
    .replace(/\bdouble precision\b/g, 'double')
    .replace(/\btimestamp(\s*\(\d+\))? with time zone\b/g, 'timestamptz')
    .replace(/\btimestamp(\s*\(\d+\))? without time zone\b/g, 'timestamp')
    .replace(/\btime(\s*\(\d+\))? with time zone\b/g, 'timetz')
    .replace(/\btime(\s*\(\d+\))? without time zone\b/g, 'time')
    .replace(/\bcharacter\b/g, 'char');
  t = t.replace(/\(\s*([^)]*?)\s*\)/g, (_, inner: string) => `_${inner.replace(/\s*,\s*/g, '_')}`);
  t = t.replace(/\[\]/g, '_array').replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(t) ? t : `t_${t || 'unknown'}`;
}

/** A token Mermaid accepts as an entity id or attribute name. */
export function safeNameToken(name: string): string {
  const t = name.replace(/[^A-Za-z0-9_]+/g, '_');
  return /^[A-Za-z_]/.test(t) ? t : `_${t}`;
}

function quoteLabel(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

function selectTables(catalog: CatalogSnapshot, edges: JoinProposal[], opts: ErdOptions): TableDef[] {
  const all = catalog.tables.filter(isWarehouseRelation);
  if (!opts.tables?.length) return all;
  // `table` or `schema.table`, one Set look-up per catalog table (the current file may name 10,000 of them)
  const wanted = new Set(opts.tables.map((w) => w.toLowerCase()));
  const chosen = new Set<string>();
  for (const t of all) {
    const key = tkey(t.schema, t.name);
    if (wanted.has(key) || wanted.has(t.name.toLowerCase())) chosen.add(key);
  }
  const depth = opts.depth ?? 0;
  let frontier = new Set(chosen);
  for (let hop = 0; hop < depth && frontier.size; hop++) {
    const next = new Set<string>();
    for (const e of edges) {
      const a = tkey(e.from.schema, e.from.table);
      const b = tkey(e.to.schema, e.to.table);
      if (frontier.has(a) && !chosen.has(b)) next.add(b);
      if (frontier.has(b) && !chosen.has(a)) next.add(a);
    }
    for (const k of next) chosen.add(k);
    frontier = next;
  }
  return all.filter((t) => chosen.has(tkey(t.schema, t.name)));
}

/** Crow's-foot ends for `TO <left>--<right> FROM` (the referenced table is written first). */
function lineEnds(p: JoinProposal, fromNullable: boolean): { left: string; right: string } {
  const parentEnd = fromNullable ? '|o' : '||';
  switch (p.cardinality) {
    case 'one-to-one': return { left: parentEnd, right: 'o|' };
    case 'many-to-one': return { left: parentEnd, right: 'o{' };
    case 'one-to-many': return { left: '}o', right: 'o|' };
    case 'many-to-many': return { left: '}o', right: 'o{' };
  }
}

/** The tables an ERD shows and the relationships drawn between them. */
export interface ErdSelection {
  tables: TableDef[];
  edges: JoinProposal[];
}

/** The tables an ERD with these options shows, and the relationships drawn between them. */
export function erdSelection(catalog: CatalogSnapshot, proposals: readonly JoinProposal[], options: ErdOptions = {}): ErdSelection {
  const edges = proposals.filter((p) => p.score >= (options.minScore ?? 0));
  const tables = selectTables(catalog, edges, options);
  const shown = new Set(tables.map((t) => tkey(t.schema, t.name)));
  return { tables, edges: edges.filter((e) => shown.has(tkey(e.from.schema, e.from.table)) && shown.has(tkey(e.to.schema, e.to.table))) };
}

/** Lower-case column names of a table an ERD marks: primary key, unique, referencing (FK) and referenced columns. */
export interface ErdKeyColumns {
  pk: Set<string>;
  uk: Set<string>;
  fk: Set<string>;
  ref: Set<string>;
}

/** The key columns of each table of a selection, from its constraints and dbt tests and the relationships drawn. */
export function erdKeyColumns(selection: ErdSelection): (t: TableDef) => ErdKeyColumns {
  const fkCols = new Map<string, Set<string>>();
  const refCols = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, cols: string[]) => {
    const s = m.get(k) ?? new Set<string>();
    for (const c of cols) s.add(c.toLowerCase());
    m.set(k, s);
  };
  for (const e of selection.edges) {
    add(fkCols, tkey(e.from.schema, e.from.table), e.fromColumns);
    add(refCols, tkey(e.to.schema, e.to.table), e.toColumns);
  }
  return (t) => {
    const k = tkey(t.schema, t.name);
    return {
      pk: new Set(t.constraints.filter((c) => c.kind === 'primaryKey').flatMap((c) => c.columns.map((x) => x.toLowerCase()))),
      // a dbt `unique` test asserts what a UNIQUE constraint declares
      uk: new Set([
        ...t.constraints.filter((c) => c.kind === 'unique' && c.columns.length === 1).flatMap((c) => c.columns.map((x) => x.toLowerCase())),
        ...(t.tests ?? []).filter((x) => x.column && x.name.split('.').pop() === 'unique').map((x) => x.column!.toLowerCase()),
      ]),
      fk: fkCols.get(k) ?? new Set<string>(),
      ref: refCols.get(k) ?? new Set<string>(),
    };
  };
}

/** The columns an ERD draws of a table: every one with `columns: 'all'`, else its key and join columns. */
export function erdColumns(t: TableDef, keys: ErdKeyColumns, columns: ErdOptions['columns']): TableDef['columns'] {
  if (columns === 'all') return t.columns;
  return t.columns.filter((c) => {
    const n = c.name.toLowerCase();
    return keys.pk.has(n) || keys.uk.has(n) || keys.fk.has(n) || keys.ref.has(n);
  });
}

export function renderMermaidErd(catalog: CatalogSnapshot, proposals: readonly JoinProposal[], options: ErdOptions = {}): string {
  return renderErdSelection(erdSelection(catalog, proposals, options), options);
}

/** The Mermaid text of a selection made already (erdSelection with the same options). */
export function renderErdSelection(selection: ErdSelection, options: ErdOptions = {}): string {
  const { tables, edges: drawn } = selection;
  const shown = new Map(tables.map((t) => [tkey(t.schema, t.name), t]));

  const ids = new Map<string, string>();
  const used = new Set<string>();
  const multiSchema = new Set(tables.map((t) => t.schema.toLowerCase())).size > 1;
  for (const t of tables) {
    let id = safeNameToken(multiSchema ? `${t.schema}_${t.name}` : t.name);
    while (used.has(id.toLowerCase())) id = `${id}_`;
    used.add(id.toLowerCase());
    ids.set(tkey(t.schema, t.name), id);
  }
  const keysOf = erdKeyColumns(selection);

  const lines = ['erDiagram'];
  for (const t of tables) {
    const id = ids.get(tkey(t.schema, t.name))!;
    const label = `${t.schema}.${t.name}`;
    const keys = keysOf(t);
    const { pk, uk, fk: fks } = keys;
    const cols = erdColumns(t, keys, options.columns);
    const head = id === label ? id : `${id}[${quoteLabel(label)}]`;
    if (!cols.length) { lines.push(`  ${head} {`, '  }'); continue; }
    lines.push(`  ${head} {`);
    for (const c of cols) {
      const n = c.name.toLowerCase();
      const markers = [pk.has(n) ? 'PK' : '', fks.has(n) ? 'FK' : '', uk.has(n) && !pk.has(n) ? 'UK' : ''].filter(Boolean).join(', ');
      const name = safeNameToken(c.name);
      const type = safeTypeToken(c.dataType);
      const notes: string[] = [];
      if (name !== c.name) notes.push(c.name);
      if (c.dataType && type !== c.dataType.toLowerCase()) notes.push(c.dataType);
      lines.push(`    ${type} ${name}${markers ? ` ${markers}` : ''}${notes.length ? ` ${quoteLabel(notes.join(' : '))}` : ''}`);
    }
    lines.push('  }');
  }
  for (const e of drawn) {
    const from = shown.get(tkey(e.from.schema, e.from.table))!;
    const fromDefs = e.fromColumns.map((c) => from.columns.find((x) => x.name.toLowerCase() === c.toLowerCase()));
    const pkCols = new Set(from.constraints.filter((c) => c.kind === 'primaryKey').flatMap((c) => c.columns.map((x) => x.toLowerCase())));
    const nullable = fromDefs.some((d) => !!d && d.nullable !== false && !pkCols.has(d.name.toLowerCase()));
    const identifying = e.fromColumns.every((c) => pkCols.has(c.toLowerCase()));
    const { left, right } = lineEnds(e, nullable);
    const note = options.annotate === false ? '' : ` (${e.cardinalitySource}${e.source === 'model-only' ? ', model only' : ''}, ${e.score.toFixed(2)})`;
    const label = quoteLabel(`${e.fromColumns.join(', ')}${note}`);
    lines.push(`  ${ids.get(tkey(e.to.schema, e.to.table))} ${left}${identifying ? '--' : '..'}${right} ${ids.get(tkey(e.from.schema, e.from.table))} : ${label}`);
  }
  return lines.join('\n') + '\n';
}
