/**
 * The "show all" view of a large schema (above the focus threshold). Mermaid's layered layout of hundreds of tables
 * blocks the page for a minute or more, so this view places tables on a grid in breadth-first order (related tables
 * end up near each other) and draws relationships as straight lines. It builds in milliseconds and pans smoothly.
 */
import type { ErdRelationship, ErdTable } from '../../src/shared/protocol/erd';
import type { Adjacency } from './erdText';

export const BOX_W = 200;
export const BOX_H = 34;
const GAP_X = 70;
const GAP_Y = 46;
const PAD = 20;

export interface OverviewLayout {
  width: number;
  height: number;
  /** Top-left corner of each table's box, by table index. */
  positions: Array<{ x: number; y: number }>;
}

/** Grid positions in breadth-first order from the most connected table of each connected component. */
export function overviewLayout(tables: readonly ErdTable[], adj: Adjacency): OverviewLayout {
  const index = new Map(tables.map((t, i) => [t.id, i]));
  const byDegree = tables.map((_, i) => i).sort((a, b) => (adj.get(tables[b].id)?.size ?? 0) - (adj.get(tables[a].id)?.size ?? 0) || a - b);
  const order: number[] = [];
  const seen = new Set<number>();
  for (const start of byDegree) {
    if (seen.has(start)) continue;
    seen.add(start);
    const queue = [start];
    while (queue.length > 0) {
      const i = queue.shift()!;
      order.push(i);
      for (const n of [...(adj.get(tables[i].id) ?? [])].sort()) {
        const j = index.get(n);
        if (j !== undefined && !seen.has(j)) { seen.add(j); queue.push(j); }
      }
    }
  }
  const cols = Math.max(1, Math.ceil(Math.sqrt(order.length * 1.5)));
  const positions: Array<{ x: number; y: number }> = new Array(tables.length);
  order.forEach((ti, k) => {
    positions[ti] = { x: PAD + (k % cols) * (BOX_W + GAP_X), y: PAD + Math.floor(k / cols) * (BOX_H + GAP_Y) };
  });
  const rows = Math.ceil(order.length / cols);
  return { width: 2 * PAD + cols * (BOX_W + GAP_X) - GAP_X, height: 2 * PAD + rows * (BOX_H + GAP_Y) - GAP_Y, positions };
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The overview as an SVG element; node groups use Mermaid-like ids (`overview-entity-t<i>-0`) and class `node`. */
export function buildOverviewSvg(tables: readonly ErdTable[], relationships: readonly ErdRelationship[], layout: OverviewLayout): SVGSVGElement {
  // Colours as attributes (not CSS) so the SVG looks the same when exported or drawn onto a canvas.
  const fg = themeColor('--vscode-editor-foreground', '#cccccc');
  const box = themeColor('--vscode-editorWidget-background', '#252526');
  const border = themeColor('--vscode-editorWidget-border', '#454545');
  const line = themeColor('--vscode-descriptionForeground', '#9d9d9d');
  const font = themeColor('--vscode-font-family', 'sans-serif');
  const svg = svgEl('svg', { xmlns: SVG, width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, class: 'erd-overview' });
  const index = new Map(tables.map((t, i) => [t.id, i]));
  const edges = svgEl('g', { class: 'edges', stroke: line, 'stroke-opacity': 0.35, 'stroke-width': 1 });
  for (const r of relationships) {
    const a = index.get(r.from);
    const b = index.get(r.to);
    if (a === undefined || b === undefined || a === b) continue;
    const pa = layout.positions[a];
    const pb = layout.positions[b];
    edges.appendChild(svgEl('line', { x1: pa.x + BOX_W / 2, y1: pa.y + BOX_H / 2, x2: pb.x + BOX_W / 2, y2: pb.y + BOX_H / 2 }));
  }
  svg.appendChild(edges);
  const nodes = svgEl('g', { class: 'nodes' });
  tables.forEach((t, i) => {
    const p = layout.positions[i];
    const g = svgEl('g', { id: `overview-entity-t${i}-0`, class: 'node', transform: `translate(${p.x},${p.y})` });
    g.appendChild(svgEl('rect', { width: BOX_W, height: BOX_H, rx: 3, fill: box, stroke: border }));
    const text = svgEl('text', { x: 10, y: BOX_H / 2 + 4, fill: fg, 'font-size': 12, 'font-family': font });
    text.textContent = t.id.length > 28 ? `${t.id.slice(0, 27)}…` : t.id;
    const title = svgEl('title', {});
    title.textContent = t.id;
    g.append(title, text);
    nodes.appendChild(g);
  });
  svg.appendChild(nodes);
  return svg;
}
