/** The ERD webview: Mermaid rendering of the whole schema or a focused neighbourhood, pan/zoom, search, exports. */
import {
  isErdHostMessage,
  type ErdExportFormat, type ErdHostMessage, type ErdInput, type ErdTable, type ErdWebviewMessage, type ErdWebviewState,
} from '../../src/shared/protocol/erd';
import { clear, el, formatCount, iconButton } from '../shared/dom';
import { loadState, postToHost, saveState } from '../shared/vscodeApi';
import { adjacency, markdownSnippet, mermaidFor, mermaidToExport, mostConnected, neighbourhood, searchTables, tableIndexFromNodeId, type Adjacency } from './erdText';
import { buildOverviewSvg, overviewLayout } from './overview';
import { PanZoom } from './panZoom';

const MAX_HOPS = 5;
const FOCUS_LIMIT = 60;

function post(message: ErdWebviewMessage): void { postToHost(message); }

function mermaidTheme(): 'dark' | 'default' {
  const c = document.body.classList;
  return c.contains('vscode-light') || c.contains('vscode-high-contrast-light') ? 'default' : 'dark';
}

type Mermaid = typeof import('mermaid', { with: { 'resolution-mode': 'import' } }).default;
// Loaded once, as its own chunks: Mermaid is large and stays in the ERD bundle only.
const mermaidReady: Promise<Mermaid> = import('mermaid').then((m) => m.default);

async function initMermaid(): Promise<Mermaid> {
  const mermaid = await mermaidReady;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: mermaidTheme(),
    // SVG text labels (no foreignObject): data stays text, and the SVG can be drawn onto a canvas for PNG export.
    htmlLabels: false,
    maxEdges: 20_000,
    maxTextSize: 50_000_000,
    er: { useMaxWidth: false },
  });
  return mermaid;
}

export class ErdApp {
  private readonly toolbar = el('div', 'toolbar');
  private readonly main = el('div', 'main');
  private readonly sidebar = el('div', 'sidebar');
  private readonly pickerInput = el('input', 'picker-filter');
  private readonly pickerList = el('div', 'picker-list');
  private readonly viewport = el('div', 'viewport');
  private readonly stage = el('div', 'stage');
  private readonly status = el('div', 'status');
  private readonly searchInput = el('input', 'search');
  private readonly searchResults = el('div', 'search-results');
  private readonly hopsInput = el('input', 'hops');
  private readonly modeButton = el('button', 'btn');
  private readonly menu = el('div', 'menu');
  private readonly panZoom: PanZoom;
  private input: ErdInput | undefined;
  private adj: Adjacency = new Map();
  private tableIndex = new Map<string, number>();
  private threshold = 80;
  private mode: 'all' | 'focus' = 'all';
  private focus: string | undefined;
  private hops = 1;
  private drawn = new Set<string>();
  private nodes = new Map<string, SVGGElement>();
  private svgSize = { w: 0, h: 0 };
  private currentText = '';
  private renderSeq = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saved = loadState<ErdWebviewState>();

  constructor(root: HTMLElement) {
    this.panZoom = new PanZoom(this.viewport, this.stage, () => this.persist());
    this.buildToolbar();
    this.pickerInput.type = 'search';
    this.pickerInput.placeholder = 'Find a table';
    this.pickerInput.setAttribute('aria-label', 'Find a table to focus on');
    this.pickerInput.addEventListener('input', () => this.renderPicker());
    this.sidebar.append(el('div', 'sidebar-title', 'Focus on a table'), this.pickerInput, this.pickerList);
    this.viewport.appendChild(this.stage);
    this.viewport.tabIndex = 0;
    this.viewport.addEventListener('click', (ev) => this.onDiagramClick(ev));
    this.main.append(this.sidebar, this.viewport);
    this.menu.hidden = true;
    root.append(this.toolbar, this.main, this.status, this.menu);
    window.addEventListener('message', (ev) => { if (isErdHostMessage(ev.data)) void this.onMessage(ev.data); });
    window.addEventListener('mousedown', (ev) => {
      if (!this.menu.contains(ev.target as Node)) this.menu.hidden = true;
      if (!this.searchResults.contains(ev.target as Node) && ev.target !== this.searchInput) this.searchResults.hidden = true;
    });
    new MutationObserver(() => { if (this.input) void this.draw(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.setStatus('Waiting for the diagram…');
    post({ type: 'ready' });
  }

  private buildToolbar(): void {
    const searchBox = el('div', 'search-box');
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search tables';
    this.searchInput.setAttribute('aria-label', 'Search tables');
    this.searchInput.addEventListener('input', () => this.renderSearch());
    this.searchInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        const first = this.searchResults.querySelector('button') as HTMLButtonElement | null;
        first?.click();
      } else if (ev.key === 'Escape') this.searchResults.hidden = true;
    });
    this.searchResults.hidden = true;
    searchBox.append(this.searchInput, this.searchResults);
    this.hopsInput.type = 'number';
    this.hopsInput.min = '1';
    this.hopsInput.max = String(MAX_HOPS);
    this.hopsInput.title = 'Relationships to follow from the focused table';
    this.hopsInput.addEventListener('change', () => {
      const n = Math.min(MAX_HOPS, Math.max(1, Math.round(Number(this.hopsInput.value) || 1)));
      this.hopsInput.value = String(n);
      if (n !== this.hops) { this.hops = n; void this.draw(); }
    });
    const hopsLabel = el('label', 'hops-label');
    hopsLabel.append(el('span', '', 'Hops'), this.hopsInput);
    this.modeButton.type = 'button';
    this.modeButton.addEventListener('click', () => this.setMode(this.mode === 'all' ? 'focus' : 'all'));
    const exportBtn = iconButton('export', 'Export the diagram', (ev) => {
      const r = (ev.currentTarget as HTMLElement).getBoundingClientRect();
      this.openExportMenu(r.left, r.bottom);
    }, 'Export');
    this.toolbar.append(
      searchBox,
      iconButton('zoom-out', 'Zoom out', () => this.panZoom.zoomBy(1 / 1.25)),
      iconButton('zoom-in', 'Zoom in', () => this.panZoom.zoomBy(1.25)),
      iconButton('screen-full', 'Fit to window', () => this.fit()),
      el('div', 'sep'),
      this.modeButton, hopsLabel,
      el('div', 'spacer'),
      exportBtn,
    );
  }

  private async onMessage(m: ErdHostMessage): Promise<void> {
    switch (m.type) {
      case 'init': await this.init(m.input, m.focusThreshold); break;
      case 'unavailable': clear(this.stage); this.setStatus(m.message); break;
      case 'exported': this.setStatus(m.message, !m.ok); break;
    }
  }

  private async init(input: ErdInput, threshold: number): Promise<void> {
    this.input = input;
    this.threshold = threshold;
    this.adj = adjacency(input.relationships);
    this.tableIndex = new Map(input.tables.map((t, i) => [t.id, i]));
    const saved = this.saved && this.saved.restoreKey === input.restoreKey ? this.saved : undefined;
    this.mode = saved?.mode ?? (input.tables.length > threshold ? 'focus' : 'all');
    this.focus = saved?.focus && this.tableIndex.has(saved.focus) ? saved.focus : mostConnected(input.tables, this.adj);
    this.hops = saved?.hops ?? (input.tables.length > threshold ? 1 : 2);
    this.hopsInput.value = String(this.hops);
    await this.draw(saved ? { zoom: saved.zoom, panX: saved.panX, panY: saved.panY } : undefined);
  }

  setMode(mode: 'all' | 'focus'): void {
    this.mode = mode;
    void this.draw();
  }

  private setFocus(id: string): void {
    this.focus = id;
    if (this.mode !== 'focus') this.mode = 'focus';
    void this.draw().then(() => this.highlight(id));
  }

  private tablesToDraw(): Set<string> {
    const input = this.input!;
    if (this.mode === 'all' || !this.focus) return new Set(input.tables.map((t) => t.id));
    return neighbourhood(this.adj, this.focus, this.hops, FOCUS_LIMIT);
  }

  /** Renders the current mode; returns once the SVG is in the page. */
  async draw(view?: { zoom: number; panX: number; panY: number }): Promise<void> {
    const input = this.input;
    if (!input) return;
    const seq = ++this.renderSeq;
    const large = input.tables.length > this.threshold;
    this.sidebar.hidden = this.mode !== 'focus';
    this.hopsInput.parentElement!.hidden = this.mode !== 'focus';
    this.modeButton.textContent = this.mode === 'focus' ? `Show all ${formatCount(input.tables.length)} tables` : 'Focus view';
    this.modeButton.hidden = input.tables.length === 0;
    this.renderPicker();
    const include = this.tablesToDraw();
    if (this.mode === 'all' && large) {
      this.drawOverview(include, view);
      return;
    }
    this.currentText = input.tables.length === 0
      ? input.mermaid
      : mermaidFor(input.tables, input.relationships, include, { columns: this.mode === 'focus' || !large });
    this.setStatus(this.mode === 'all' && large ? `Drawing all ${formatCount(include.size)} tables…` : 'Drawing…');
    const started = performance.now();
    let svgText: string;
    try {
      const mermaid = await initMermaid();
      ({ svg: svgText } = await mermaid.render(`erd-${seq}`, this.currentText));
    } catch (err) {
      if (seq !== this.renderSeq) return;
      clear(this.stage);
      this.setStatus(`Could not draw the diagram: ${err instanceof Error ? err.message : String(err)}`, true);
      return;
    }
    if (seq !== this.renderSeq) return;
    this.mountSvg(parseSvg(svgText));
    const ms = Math.round(performance.now() - started);
    this.drawn = include;
    if (view) this.panZoom.set(view);
    else if (this.mode === 'focus' && this.focus) this.highlight(this.focus, true);
    else this.fit();
    const what = this.mode === 'focus' && this.focus
      ? `${formatCount(include.size)} of ${formatCount(input.tables.length)} tables within ${this.hops} hop${this.hops === 1 ? '' : 's'} of ${this.focus}`
      : `${counted(include.size, 'table')}, ${counted(input.relationships.length, 'relationship')}${large ? ' (columns hidden)' : ''}`;
    this.setStatus(`${what} · drawn in ${formatCount(ms)} ms`);
    this.stage.dataset.rendered = String(seq);
    post({ type: 'rendered', mode: this.mode, tables: include.size, ms });
    this.persist();
  }

  /** The whole large schema without Mermaid: a grid overview that builds in milliseconds (see overview.ts). */
  private drawOverview(include: Set<string>, view?: { zoom: number; panX: number; panY: number }): void {
    const input = this.input!;
    const started = performance.now();
    // no Mermaid text is drawn; an export writes it (mermaidToExport)
    this.currentText = '';
    this.mountSvg(buildOverviewSvg(input.tables, input.relationships, overviewLayout(input.tables, this.adj)));
    const ms = Math.round(performance.now() - started);
    this.drawn = include;
    if (view) this.panZoom.set(view);
    else this.fit();
    this.setStatus(`Overview of all ${counted(include.size, 'table')} and ${counted(input.relationships.length, 'relationship')} · click a table to open it, search to focus · drawn in ${formatCount(ms)} ms`);
    this.stage.dataset.rendered = String(this.renderSeq);
    post({ type: 'rendered', mode: 'all', tables: include.size, ms });
    this.persist();
  }

  /** Puts an SVG on the stage and indexes its table nodes. */
  private mountSvg(svg: SVGSVGElement): void {
    const vb = svg.viewBox.baseVal;
    const w = vb && vb.width ? vb.width : svg.getBBox?.().width ?? 800;
    const h = vb && vb.height ? vb.height : 600;
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(h));
    svg.style.maxWidth = 'none';
    this.svgSize = { w, h };
    clear(this.stage);
    this.stage.appendChild(svg);
    this.nodes.clear();
    const tables = this.input?.tables ?? [];
    for (const g of Array.from(svg.querySelectorAll<SVGGElement>('g.node'))) {
      const i = tableIndexFromNodeId(g.id);
      const t = i === undefined ? undefined : tables[i];
      if (!t) continue;
      this.nodes.set(t.id, g);
      g.classList.add('erd-table');
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `Table ${t.id}`);
    }
  }

  private fit(): void { this.panZoom.fit(this.svgSize.w, this.svgSize.h); }

  /** Highlights a drawn table and centres the view on it. */
  highlight(id: string, keepZoom = false): void {
    for (const g of this.nodes.values()) g.classList.remove('erd-highlight');
    const g = this.nodes.get(id);
    if (!g) return;
    g.classList.add('erd-highlight');
    const box = g.getBBox();
    const ctm = g.transform.baseVal.consolidate()?.matrix;
    const x = (ctm?.e ?? 0) + box.x + box.width / 2;
    const y = (ctm?.f ?? 0) + box.y + box.height / 2;
    const zoom = keepZoom ? Math.min(1, Math.max(0.3, this.panZoom.state.zoom)) : Math.max(0.6, Math.min(1, this.panZoom.state.zoom));
    this.panZoom.center(x, y, zoom);
  }

  private onDiagramClick(ev: MouseEvent): void {
    if (this.panZoom.justDragged) { this.panZoom.justDragged = false; return; }
    const g = (ev.target as Element).closest?.('g.erd-table');
    if (!g) return;
    const i = tableIndexFromNodeId(g.id);
    const t = i === undefined ? undefined : this.input?.tables[i];
    if (!t) return;
    for (const n of this.nodes.values()) n.classList.remove('erd-highlight');
    g.classList.add('erd-highlight');
    post({ type: 'openTable', table: t.id });
  }

  private renderSearch(): void {
    clear(this.searchResults);
    const q = this.searchInput.value;
    if (!this.input || !q.trim()) { this.searchResults.hidden = true; return; }
    const hits = searchTables(this.input.tables, q, 20);
    if (hits.length === 0) this.searchResults.appendChild(el('div', 'no-hits', 'No table matches.'));
    for (const t of hits) this.searchResults.appendChild(this.tableButton(t, () => this.goTo(t.id)));
    this.searchResults.hidden = false;
  }

  private goTo(id: string): void {
    this.searchResults.hidden = true;
    if (this.drawn.has(id)) this.highlight(id);
    else this.setFocus(id);
  }

  private renderPicker(): void {
    if (this.mode !== 'focus' || !this.input) return;
    clear(this.pickerList);
    const hits = searchTables(this.input.tables, this.pickerInput.value, 500);
    for (const t of hits) {
      const b = this.tableButton(t, () => this.setFocus(t.id));
      if (t.id === this.focus) b.classList.add('current');
      this.pickerList.appendChild(b);
    }
    if (hits.length === 500) this.pickerList.appendChild(el('div', 'no-hits', 'Type to narrow the list.'));
  }

  private tableButton(t: ErdTable, onClick: () => void): HTMLButtonElement {
    const b = el('button', 'table-item');
    b.type = 'button';
    b.append(el('span', 'codicon codicon-table'), el('span', 'table-name', t.id));
    const degree = this.adj.get(t.id)?.size ?? 0;
    if (degree > 0) b.appendChild(el('span', 'degree', String(degree)));
    b.addEventListener('click', onClick);
    return b;
  }

  private openExportMenu(x: number, y: number): void {
    clear(this.menu);
    const items: Array<[string, ErdExportFormat]> = [['SVG image…', 'svg'], ['PNG image…', 'png'], ['Mermaid source…', 'mermaid'], ['Markdown snippet…', 'markdown']];
    for (const [label, format] of items) {
      const b = el('button', 'menu-item', label);
      b.type = 'button';
      b.addEventListener('click', () => { this.menu.hidden = true; void this.export(format); });
      this.menu.appendChild(b);
    }
    this.menu.hidden = false;
    this.menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - this.menu.offsetWidth - 4))}px`;
    this.menu.style.top = `${y}px`;
  }

  /** The exported Mermaid text: the host's own text or every table's for the whole diagram, the drawn one for a focus view. */
  private exportMermaid(): string {
    return this.input ? mermaidToExport(this.input, this.mode, this.currentText) : this.currentText;
  }

  async export(format: ErdExportFormat): Promise<void> {
    const svg = this.stage.querySelector('svg');
    try {
      if (format === 'mermaid') post({ type: 'export', format, content: this.exportMermaid() });
      else if (format === 'markdown') post({ type: 'export', format, content: markdownSnippet(this.input?.title ?? 'ERD', this.exportMermaid()) });
      else if (!svg) this.setStatus('Nothing to export yet.', true);
      else if (format === 'svg') post({ type: 'export', format, content: svgMarkup(svg) });
      else post({ type: 'export', format, content: await svgToPngBase64(svg, this.svgSize) });
    } catch (err) {
      this.setStatus(`Export failed: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  private persist(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const state: ErdWebviewState = { restoreKey: this.input?.restoreKey, mode: this.mode, focus: this.focus, hops: this.hops, ...this.panZoom.state };
      this.saved = state;
      saveState(state);
    }, 250);
  }
}

/** Parses Mermaid's SVG (sanitized by Mermaid in strict mode, text labels only). */
function parseSvg(svgText: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  return document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
}

export function svgMarkup(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.querySelectorAll('.erd-highlight').forEach((n) => n.classList.remove('erd-highlight'));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** Draws the SVG onto a canvas (2× when it fits, on the editor background) and returns the PNG as base64. */
export async function svgToPngBase64(svg: SVGSVGElement, size: { w: number; h: number }): Promise<string> {
  const scale = Math.max(0.1, Math.min(2, 8000 / size.w, 8000 / size.h));
  const blob = new Blob([svgMarkup(svg)], { type: 'image/svg+xml' });
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => { img.onload = () => resolve(); img.onerror = () => reject(new Error('the SVG could not be loaded as an image')); img.src = url; });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(size.w * scale);
    canvas.height = Math.ceil(size.h * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || (document.body.classList.contains('vscode-light') ? '#ffffff' : '#1e1e1e');
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `1 table`, `2,400 tables`. */
function counted(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
