/** The results webview: tabs of result sets, toolbar, grid or chart, footer. Talks to the host only via the protocol. */
import type { CellValue } from '../../src/core/ports';
import {
  isResultsHostMessage,
  type ExportFormat, type ResultSetInfo, type ResultsHostMessage, type ResultsMeta, type ResultsWebviewMessage, type ResultsWebviewState, type SortSpec, type ViewSpec,
} from '../../src/shared/protocol/results';
import { clear, el, formatCount, iconButton } from '../shared/dom';
import { loadState, postToHost, saveState } from '../shared/vscodeApi';
import { CHART_MAX_POINTS, ChartView } from './chart';
import { formatRows, type CopyFormat } from './copyFormats';
import { Grid } from './grid';
import { RowCache } from './rowCache';

const MAX_COPY_ROWS = 200_000;

function post(message: ResultsWebviewMessage): void { postToHost(message); }

interface TabState {
  info: ResultSetInfo;
  cache: RowCache;
  grid: Grid;
  view: ViewSpec;
  chart?: ChartView;
  showChart: boolean;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export class ResultsApp {
  private readonly tabsBar = el('div', 'tabs');
  private readonly toolbar = el('div', 'toolbar');
  private readonly body = el('div', 'body');
  private readonly footer = el('div', 'footer');
  private readonly notice = el('div', 'notice');
  private readonly filterInput = el('input', 'filter');
  private readonly menu = el('div', 'menu');
  private tabs: TabState[] = [];
  private active = 0;
  private meta: ResultsMeta | undefined;
  private chartRequest = 0;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saved: ResultsWebviewState | undefined = loadState<ResultsWebviewState>();

  constructor(private readonly root: HTMLElement) {
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter loaded rows';
    this.filterInput.setAttribute('aria-label', 'Filter loaded rows');
    this.filterInput.addEventListener('input', () => {
      if (this.filterTimer) clearTimeout(this.filterTimer);
      this.filterTimer = setTimeout(() => this.applyView({ ...this.current()!.view, filter: this.filterInput.value }), 300);
    });
    this.menu.hidden = true;
    this.menu.setAttribute('role', 'menu');
    root.append(this.tabsBar, this.toolbar, this.notice, this.body, this.footer, this.menu);
    this.notice.hidden = true;
    window.addEventListener('message', (ev) => { if (isResultsHostMessage(ev.data)) this.onMessage(ev.data); });
    window.addEventListener('mousedown', (ev) => { if (!this.menu.contains(ev.target as Node)) this.menu.hidden = true; });
    window.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') this.menu.hidden = true; });
    this.showEmpty('Waiting for results…');
    post({ type: 'ready' });
  }

  private current(): TabState | undefined { return this.tabs[this.active]; }

  private showEmpty(text: string): void {
    clear(this.body);
    this.body.appendChild(el('div', 'empty', text));
  }

  private onMessage(m: ResultsHostMessage): void {
    switch (m.type) {
      case 'init': this.init(m.sets, m.meta, m.active); break;
      case 'rows': this.tabs[m.set]?.cache.receive(m.requestId, m.viewVersion, m.offset, m.rows); break;
      case 'progress': {
        const tab = this.tabs[m.set];
        if (!tab) return;
        const grew = m.rowCount !== tab.info.rowCount;
        Object.assign(tab.info, { rowCount: m.rowCount, loadedCount: m.loadedCount, complete: m.complete });
        tab.cache.complete = m.complete;
        if (grew) tab.grid.setRowCount(m.rowCount, false);
        if (m.set === this.active) this.renderFooter();
        break;
      }
      case 'viewChanged': {
        const tab = this.tabs[m.set];
        if (!tab) return;
        tab.info.rowCount = m.rowCount;
        tab.info.viewVersion = m.viewVersion;
        tab.view = m.view;
        tab.cache.reset(m.viewVersion, m.rowCount);
        tab.grid.setSort(m.view.sort);
        tab.grid.setSelection(undefined);
        tab.grid.setRowCount(m.rowCount, true);
        if (tab.chart && tab.showChart) tab.chart.fetch();
        if (m.set === this.active) this.renderFooter();
        this.persist();
        break;
      }
      case 'chartData':
        if (m.requestId === this.chartRequest) this.tabs[m.set]?.chart?.receive(m.columns, m.rows, m.sampled, m.total);
        break;
      case 'unavailable':
        this.tabs = [];
        clear(this.tabsBar); clear(this.toolbar); clear(this.footer);
        this.showEmpty(m.message);
        break;
      case 'notice':
        this.showNotice(m.message, m.level);
        break;
    }
  }

  private showNotice(message: string, level: 'info' | 'error'): void {
    this.notice.textContent = message;
    this.notice.className = `notice ${level}`;
    this.notice.hidden = false;
    setTimeout(() => { this.notice.hidden = true; }, 6000);
  }

  private init(sets: ResultSetInfo[], meta: ResultsMeta, active: number): void {
    this.meta = meta;
    const saved = this.saved && this.saved.restoreKey === meta.restoreKey ? this.saved : undefined;
    this.tabs = sets.map((info, i) => this.createTab(info, i, saved?.perSet[i]?.widths));
    this.active = Math.min(saved?.active ?? active, Math.max(0, sets.length - 1));
    this.renderTabs();
    this.renderToolbar();
    this.showTab(this.active);
    this.tabs.forEach((tab, i) => {
      const s = saved?.perSet[i];
      const hostView = tab.info.view;
      const hostHasView = hostView.sort.length > 0 || hostView.filter !== '';
      // After a full reload the host starts unsorted: re-apply what the user had.
      if (s && !hostHasView && (s.view.sort.length > 0 || s.view.filter)) this.applyView(s.view, i);
      if (s && i === this.active) requestAnimationFrame(() => tab.grid.restoreScroll(s.scrollTop, s.scrollLeft));
    });
    this.persist();
  }

  private createTab(info: ResultSetInfo, index: number, widths?: number[]): TabState {
    const cache = new RowCache(
      (requestId, offset, limit, viewVersion) => post({ type: 'getRows', set: index, requestId, offset, limit, viewVersion }),
      () => { if (this.active === index) tab.grid.render(); },
    );
    cache.viewVersion = info.viewVersion;
    cache.rowCount = info.rowCount;
    cache.complete = info.complete;
    const grid = new Grid(info.columns, cache, {
      onSort: (sort: SortSpec[]) => this.applyView({ ...tab.view, sort }, index),
      onContextMenu: (ev) => this.openMenu(ev.clientX, ev.clientY),
      onCopy: () => { void this.copy('tsv', false); },
      onViewport: (first, count) => post({ type: 'viewport', set: index, first, count }),
      onStateChange: () => this.persist(),
    }, widths);
    const tab: TabState = { info, cache, grid, view: info.view ?? { sort: [], filter: '' }, showChart: false };
    grid.setSort(tab.view.sort);
    return tab;
  }

  private applyView(view: ViewSpec, index = this.active): void {
    post({ type: 'setView', set: index, view });
  }

  private renderTabs(): void {
    clear(this.tabsBar);
    this.tabsBar.hidden = this.tabs.length < 2;
    this.tabsBar.setAttribute('role', 'tablist');
    this.tabs.forEach((tab, i) => {
      const b = el('button', `tab${i === this.active ? ' active' : ''}`, tab.info.label || `Result ${i + 1}`);
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(i === this.active));
      b.addEventListener('click', () => this.showTab(i));
      this.tabsBar.appendChild(b);
    });
  }

  private renderToolbar(): void {
    clear(this.toolbar);
    const chartBtn = iconButton('graph', 'Chart the result', () => this.toggleChart(), 'Chart');
    chartBtn.classList.add('chart-toggle');
    const exportBtn = iconButton('export', 'Export all rows to a file', (ev) => {
      const r = (ev.currentTarget as HTMLElement).getBoundingClientRect();
      this.openExportMenu(r.left, r.bottom);
    }, 'Export');
    const copyBtn = iconButton('copy', 'Copy the selection', (ev) => {
      const r = (ev.currentTarget as HTMLElement).getBoundingClientRect();
      this.openMenu(r.left, r.bottom);
    }, 'Copy');
    const spacer = el('div', 'spacer');
    this.toolbar.append(this.filterInput, spacer, copyBtn, chartBtn, exportBtn);
  }

  private showTab(i: number): void {
    this.active = i;
    Array.from(this.tabsBar.children).forEach((b, j) => { b.classList.toggle('active', i === j); b.setAttribute('aria-selected', String(i === j)); });
    const tab = this.current();
    clear(this.body);
    if (!tab) { this.showEmpty('No result sets.'); return; }
    this.filterInput.value = tab.view.filter;
    if (tab.info.columns.length === 0) {
      this.showEmpty('The statement returned no columns.');
    } else if (tab.showChart && tab.chart) {
      this.body.appendChild(tab.chart.root);
    } else {
      this.body.appendChild(tab.grid.root);
      tab.grid.setRowCount(tab.info.rowCount, false);
    }
    this.renderFooter();
    this.persist();
  }

  private toggleChart(): void {
    const tab = this.current();
    if (!tab || tab.info.columns.length === 0) return;
    tab.showChart = !tab.showChart;
    if (tab.showChart && !tab.chart) {
      const idx = this.active;
      tab.chart = new ChartView(tab.info.columns, (req) => {
        this.chartRequest++;
        post({ type: 'getChartData', set: idx, requestId: this.chartRequest, columns: req.columns, maxPoints: CHART_MAX_POINTS });
      }, tab.grid.selectedColumns());
      this.showTab(this.active);
      tab.chart.fetch();
      return;
    }
    this.showTab(this.active);
  }

  private renderFooter(): void {
    clear(this.footer);
    const tab = this.current();
    const meta = this.meta;
    if (!tab || !meta) return;
    const { rowCount, loadedCount, complete } = tab.info;
    const filtered = tab.view.filter.trim() !== '';
    const rowsText = filtered
      ? `${formatCount(rowCount)} of ${formatCount(loadedCount)} loaded rows match`
      : complete ? `${formatCount(rowCount)} row${rowCount === 1 ? '' : 's'}` : `${formatCount(loadedCount)} rows loaded…`;
    const rows = el('span', 'rows', rowsText);
    rows.setAttribute('aria-live', 'polite');
    this.footer.appendChild(rows);
    if (meta.durationMs !== undefined) this.footer.appendChild(el('span', 'duration', formatDuration(meta.durationMs)));
    if (meta.bytesScanned !== undefined) this.footer.appendChild(el('span', 'bytes', `${formatBytes(meta.bytesScanned)} scanned`));
    const engine = el('span', meta.isLocal ? 'engine local' : 'engine');
    if (meta.isLocal) engine.appendChild(el('span', 'codicon codicon-vm'));
    engine.appendChild(el('span', '', meta.isLocal ? 'Embedded engine (local)' : meta.engineLabel));
    engine.title = meta.isLocal ? 'These rows come from the embedded local engine, not from Redshift.' : meta.engineLabel;
    this.footer.appendChild(engine);
  }

  private openMenu(x: number, y: number): void {
    const items: Array<[string, () => void]> = [
      ['Copy (TSV)', () => void this.copy('tsv', false)],
      ['Copy with Headers (TSV)', () => void this.copy('tsv', true)],
      ['Copy as CSV', () => void this.copy('csv', true)],
      ['Copy as JSON', () => void this.copy('json', true)],
      ['Copy as Markdown', () => void this.copy('markdown', true)],
    ];
    this.showMenu(x, y, items);
  }

  private openExportMenu(x: number, y: number): void {
    const formats: Array<[string, ExportFormat]> = [['Export as CSV…', 'csv'], ['Export as JSON…', 'json'], ['Export as JSON Lines…', 'jsonl']];
    this.showMenu(x, y, formats.map(([label, format]) => [label, () => post({ type: 'export', set: this.active, format })]));
  }

  private showMenu(x: number, y: number, items: Array<[string, () => void]>): void {
    clear(this.menu);
    for (const [label, run] of items) {
      const item = el('button', 'menu-item', label);
      item.type = 'button';
      item.setAttribute('role', 'menuitem');
      item.addEventListener('click', () => { this.menu.hidden = true; run(); });
      this.menu.appendChild(item);
    }
    this.menu.hidden = false;
    const w = this.menu.offsetWidth;
    const h = this.menu.offsetHeight;
    this.menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - w - 4))}px`;
    this.menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - h - 4))}px`;
    (this.menu.firstChild as HTMLElement | null)?.focus();
  }

  /** Copies the selection (fetching rows that are not in the window) and hands the text to the host's clipboard. */
  async copy(format: CopyFormat, headers: boolean): Promise<void> {
    const tab = this.current();
    const b = tab?.grid.currentSelection;
    if (!tab || !b) { this.showNotice('Select cells, rows or columns to copy.', 'info'); return; }
    const count = Math.min(b.bottom - b.top + 1, MAX_COPY_ROWS);
    let rows: CellValue[][] = [];
    let missing = false;
    for (let i = b.top; i < b.top + count; i++) {
      const r = tab.cache.row(i);
      if (!r) { missing = true; break; }
      rows.push(r);
    }
    if (missing) rows = await tab.cache.fetchRange(b.top, count);
    const cut = rows.map((r) => r.slice(b.left, b.right + 1));
    const columns = tab.info.columns.slice(b.left, b.right + 1);
    post({ type: 'copy', text: formatRows(format, columns, cut, { headers }) });
    const more = b.bottom - b.top + 1 > count ? ` (first ${formatCount(count)} rows)` : '';
    this.showNotice(`Copied ${formatCount(cut.length)} row${cut.length === 1 ? '' : 's'} as ${format.toUpperCase()}${more}.`, 'info');
  }

  private persist(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const state: ResultsWebviewState = {
        restoreKey: this.meta?.restoreKey,
        active: this.active,
        perSet: this.tabs.map((t) => ({ ...t.grid.scrollState, widths: [...t.grid.widths], view: t.view })),
      };
      this.saved = state;
      saveState(state);
    }, 200);
  }
}
