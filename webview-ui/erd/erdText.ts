/**
 * Pure helpers of the ERD viewer: Mermaid `erDiagram` text for any subset of tables (safe ids, quoted labels),
 * neighbourhoods N hops around a table, and the Markdown snippet. No DOM.
 */
import type { ErdInput, ErdRelationship, ErdTable } from '../../src/shared/protocol/erd';

/** Mermaid entity id of the table at `index` in the input list; node elements carry it (`…-entity-t12-…`). */
export function entityId(index: number): string { return `t${index}`; }

/** Table index encoded in a Mermaid node element id, e.g. "erd-3-entity-t12-5" → 12. */
export function tableIndexFromNodeId(nodeId: string): number | undefined {
  const m = /-entity-t(\d+)-\d+$/.exec(nodeId);
  return m ? Number(m[1]) : undefined;
}

/**
 * A label Mermaid accepts inside double quotes: no quote, percent, backslash or line breaks. Angle brackets and
 * backticks become look-alikes because Mermaid may measure or render labels as HTML/Markdown.
 */
export function quoteLabel(text: string): string {
  const cleaned = text.replace(/["%\\\r\n\v\b]/g, ' ').replace(/</g, '‹').replace(/>/g, '›').replace(/`/g, "'").replace(/[{}]/g, ' ').trim();
  return `"${cleaned || '?'}"`;
}

/** An attribute type or name token: letters, digits, _ - ( ) [ ] only, starting with a letter or _. */
export function attributeToken(text: string): string {
  const cleaned = text.replace(/\s+/g, '_').replace(/[^A-Za-z0-9_()[\]-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

const CARDINALITY = /^[|}o][|o]--[|o][|{o]$|^[|}o][|o]\.\.[|o][|{o]$/;

export interface DiagramOptions {
  /** Draw column lists (off for very large "show all" views: names only keep the layout readable). */
  columns: boolean;
  /** Table ids drawn with the "focus" style. */
  highlight?: ReadonlySet<string>;
}

/** Mermaid text for the tables whose ids are in `include`, with the relationships among them. */
export function mermaidFor(tables: readonly ErdTable[], relationships: readonly ErdRelationship[], include: ReadonlySet<string>, options: DiagramOptions): string {
  const index = new Map<string, number>();
  tables.forEach((t, i) => index.set(t.id, i));
  const lines = ['erDiagram'];
  tables.forEach((t, i) => {
    if (!include.has(t.id)) return;
    const label = quoteLabel(t.id);
    const cols = options.columns ? t.columns ?? [] : [];
    if (cols.length === 0) {
      lines.push(`  ${entityId(i)}[${label}]`);
      return;
    }
    lines.push(`  ${entityId(i)}[${label}] {`);
    for (const c of cols) {
      const keys = [c.pk ? 'PK' : '', c.fk ? 'FK' : ''].filter(Boolean).join(',');
      lines.push(`    ${attributeToken(c.type || 'unknown')} ${attributeToken(c.name)}${keys ? ` ${keys}` : ''}`);
    }
    lines.push('  }');
  });
  for (const r of relationships) {
    const a = index.get(r.from);
    const b = index.get(r.to);
    if (a === undefined || b === undefined || !include.has(r.from) || !include.has(r.to)) continue;
    const card = r.cardinality && CARDINALITY.test(r.cardinality) ? r.cardinality : '}o--||';
    lines.push(`  ${entityId(a)} ${card} ${entityId(b)} : ${quoteLabel(r.label ?? '')}`);
  }
  return lines.join('\n') + '\n';
}

export type Adjacency = Map<string, Set<string>>;

export function adjacency(relationships: readonly ErdRelationship[]): Adjacency {
  const adj: Adjacency = new Map();
  const link = (a: string, b: string) => {
    let s = adj.get(a);
    if (!s) adj.set(a, (s = new Set()));
    s.add(b);
  };
  for (const r of relationships) {
    if (r.from === r.to) continue;
    link(r.from, r.to);
    link(r.to, r.from);
  }
  return adj;
}

/** The table and every table within `hops` relationships of it (either direction), nearest first, capped at `limit`. */
export function neighbourhood(adj: Adjacency, center: string, hops: number, limit = 60): Set<string> {
  const seen = new Set([center]);
  let frontier = [center];
  for (let h = 0; h < hops && frontier.length > 0 && seen.size < limit; h++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const n of [...(adj.get(id) ?? [])].sort()) {
        if (seen.has(n)) continue;
        if (seen.size >= limit) return seen;
        seen.add(n);
        next.push(n);
      }
    }
    frontier = next;
  }
  return seen;
}

/** The best table to open the focus view on: the one with the most relationships (ties: first in the list). */
export function mostConnected(tables: readonly ErdTable[], adj: Adjacency): string | undefined {
  let best: string | undefined;
  let degree = -1;
  for (const t of tables) {
    const d = adj.get(t.id)?.size ?? 0;
    if (d > degree) { best = t.id; degree = d; }
  }
  return best;
}

/** Tables whose id or name contains the query (case-insensitive), names starting with it first. */
export function searchTables(tables: readonly ErdTable[], query: string, limit = 200): ErdTable[] {
  const q = query.trim().toLowerCase();
  if (!q) return tables.slice(0, limit);
  const starts: ErdTable[] = [];
  const contains: ErdTable[] = [];
  for (const t of tables) {
    const name = t.name.toLowerCase();
    if (name.startsWith(q)) starts.push(t);
    else if (t.id.toLowerCase().includes(q)) contains.push(t);
  }
  return [...starts, ...contains].slice(0, limit);
}

/**
 * The Mermaid text an export saves. A focus view: the text drawn (`drawn`). The whole diagram: the host's own text
 * where it sent one (diagrams the viewer draws whole), else, for the overview of a large one, the text of every table
 * and relationship, written now: the host leaves it out of the message (7 MB for 10,000 tables).
 */
export function mermaidToExport(input: ErdInput, mode: 'all' | 'focus', drawn: string): string {
  if (mode !== 'all') return drawn;
  if (input.mermaid.trim()) return input.mermaid;
  return mermaidFor(input.tables, input.relationships, new Set(input.tables.map((t) => t.id)), { columns: true });
}

/** A Markdown snippet that renders on GitHub and in VS Code's Markdown preview. */
export function markdownSnippet(title: string, mermaid: string): string {
  const fence = mermaid.includes('```') ? '~~~' : '```';
  return `## ${title.replace(/[\r\n]+/g, ' ')}\n\n${fence}mermaid\n${mermaid.trimEnd()}\n${fence}\n`;
}
