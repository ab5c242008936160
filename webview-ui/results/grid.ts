/**
 * The virtual results grid: fixed row height, a spacer for the (scaled) scroll space, a sticky layer holding only the
 * visible rows, row elements recycled as the window moves. Plain DOM on the hot path; text via textContent only.
 */
import type { CellValue, ResultColumn } from '../../src/core/ports';
import type { SortSpec } from '../../src/shared/protocol/results';
import { el } from '../shared/dom';
import { cellText } from './copyFormats';
import type { RowCache } from './rowCache';
import { contains, select, selectionBounds, type Selection, type SelectionBounds } from './selection';
import { revealRowTop, scrollGeometry, scrollTopFor, virtualTop, visibleRange, type ScrollGeometry } from './scrollMath';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
const MIN_WIDTH = 40;
const NUMERIC = new Set<ResultColumn['kind']>(['integer', 'decimal', 'float']);

interface CellElement extends HTMLDivElement {
  _base: string;
  _state: number; // 0 value, 1 null, 2 pending
}

interface RowElement extends HTMLDivElement {
  _row: number;
  _hasSel: boolean;
  _data: CellValue[] | undefined;
  _selVersion: number;
  _cells: CellElement[];
  _num: HTMLDivElement;
}

export interface GridCallbacks {
  onSort(sort: SortSpec[]): void;
  onContextMenu(ev: MouseEvent): void;
  onCopy(): void;
  onViewport(first: number, count: number): void;
  onStateChange(): void;
}

/** A column's width before the user resizes it: room for its values' kind, and for its name, type and sort button. */
export function defaultWidth(c: ResultColumn): number {
  const wide = /^(int8|bigint|numeric|decimal)/i.test(c.typeName); // 19-digit keys, exact decimals
  const byKind = c.kind === 'timestamp' ? 180 : c.kind === 'text' || c.kind === 'other' ? 160 : wide ? 160 : 110;
  return Math.max(byKind, Math.min(360, (c.name.length + displayType(c.typeName).length) * 7.5 + 56));
}

/** The warehouse's own names for engine type names (PostgreSQL's and the Data API's `int8`, `bool`…), as DDL writes them. */
const TYPE_NAMES: Record<string, string> = {
  int2: 'SMALLINT', int4: 'INTEGER', int8: 'BIGINT', bool: 'BOOLEAN', float4: 'REAL', float8: 'DOUBLE PRECISION',
  bpchar: 'CHAR', varchar: 'VARCHAR', text: 'TEXT', numeric: 'NUMERIC', date: 'DATE', timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ', time: 'TIME', timetz: 'TIMETZ', super: 'SUPER', geometry: 'GEOMETRY', varbyte: 'VARBYTE',
};

export function displayType(typeName: string): string {
  const lower = typeName.toLowerCase();
  return TYPE_NAMES[lower] ?? TYPE_NAMES[lower.replace(/\(.*$/, '')]?.concat(typeName.slice(lower.indexOf('('))) ?? typeName;
}

/** Marks a row element whose cells still show another row's values. */
const RECYCLED: CellValue[] = [];

export class Grid {
  readonly root = el('div', 'grid');
  private readonly header = el('div', 'grid-header');
  private readonly headerRow = el('div', 'header-row');
  private readonly scroller = el('div', 'grid-scroller');
  private readonly layer = el('div', 'grid-layer');
  private readonly spacer = el('div', 'grid-spacer');
  private readonly headerCells: HTMLDivElement[] = [];
  private readonly active = new Map<number, RowElement>();
  private readonly pool: RowElement[] = [];
  private geometry: ScrollGeometry = scrollGeometry(0, ROW_HEIGHT, 0);
  private viewportHeight = 0;
  private numWidth = 60;
  private selection: Selection | undefined;
  private selBounds: SelectionBounds | undefined;
  private selVersion = 1;
  private dragging = false;
  private viewportTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFirst = -1;
  private lastCount = -1;
  sort: SortSpec[] = [];
  widths: number[];

  constructor(readonly columns: ResultColumn[], private readonly cache: RowCache, private readonly cb: GridCallbacks, widths?: number[]) {
    this.widths = columns.map((c, i) => (widths && widths[i] >= MIN_WIDTH ? widths[i] : defaultWidth(c)));
    this.header.appendChild(this.headerRow);
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-rowcount', '0');
    this.scroller.append(this.layer, this.spacer);
    this.root.append(this.header, this.scroller);
    this.buildHeader();
    this.scroller.addEventListener('scroll', () => this.render(), { passive: true });
    this.scroller.addEventListener('mousedown', (ev) => this.onMouseDown(ev));
    this.scroller.addEventListener('mousemove', (ev) => this.onMouseMove(ev));
    window.addEventListener('mouseup', () => { this.dragging = false; });
    this.scroller.addEventListener('keydown', (ev) => this.onKey(ev));
    this.scroller.addEventListener('contextmenu', (ev) => {
      const hit = this.hitTest(ev);
      if (hit && (!this.selBounds || !contains(this.selBounds, hit.row, Math.max(0, hit.col)))) this.setSelection(select(hit.col < 0 ? 'rows' : 'cells', hit.row, Math.max(0, hit.col)));
      ev.preventDefault();
      this.cb.onContextMenu(ev);
    });
    new ResizeObserver(() => this.layout()).observe(this.scroller);
  }

  get scrollState(): { scrollTop: number; scrollLeft: number } {
    return { scrollTop: this.scroller.scrollTop, scrollLeft: this.scroller.scrollLeft };
  }

  restoreScroll(scrollTop: number, scrollLeft: number): void {
    this.scroller.scrollTop = scrollTop;
    this.scroller.scrollLeft = scrollLeft;
    this.render();
  }

  focus(): void { this.scroller.focus({ preventScroll: true }); }

  get currentSelection(): SelectionBounds | undefined { return this.selBounds; }

  /** Selects a column range programmatically (e.g. for the chart). */
  selectedColumns(): number[] {
    if (!this.selBounds) return [];
    const out: number[] = [];
    for (let c = this.selBounds.left; c <= this.selBounds.right; c++) out.push(c);
    return out;
  }

  private totalWidth(): number {
    return this.numWidth + this.widths.reduce((a, b) => a + b, 0);
  }

  private buildHeader(): void {
    const num = el('div', 'hcell rownum', '#');
    num.style.width = `${this.numWidth}px`;
    num.title = 'Select all';
    num.addEventListener('click', () => this.selectAll());
    this.headerRow.appendChild(num);
    this.columns.forEach((col, i) => {
      const cell = el('div', `hcell${NUMERIC.has(col.kind) ? ' num' : ''}`);
      cell.style.width = `${this.widths[i]}px`;
      cell.setAttribute('role', 'columnheader');
      cell.title = `${col.name} (${displayType(col.typeName)})`;
      const name = el('span', 'hname', col.name);
      const type = el('span', 'htype', displayType(col.typeName));
      const sortBtn = el('button', 'hsort codicon');
      sortBtn.type = 'button';
      sortBtn.title = 'Sort (Shift: add to sort)';
      sortBtn.addEventListener('click', (ev) => { ev.stopPropagation(); this.toggleSort(i, ev.shiftKey); });
      const grip = el('div', 'hresize');
      grip.addEventListener('mousedown', (ev) => this.startResize(ev, i));
      grip.addEventListener('click', (ev) => ev.stopPropagation());
      cell.append(name, type, sortBtn, grip);
      cell.addEventListener('click', (ev) => {
        this.setSelection(select('columns', 0, i, ev.shiftKey ? this.selection : undefined));
        this.focus();
      });
      this.headerCells.push(cell);
      this.headerRow.appendChild(cell);
    });
    this.updateSortIndicators();
  }

  setSort(sort: SortSpec[]): void {
    this.sort = sort;
    this.updateSortIndicators();
  }

  private toggleSort(column: number, add: boolean): void {
    const existing = this.sort.find((s) => s.column === column);
    const next: SortSpec | undefined = !existing ? { column, direction: 'asc' } : existing.direction === 'asc' ? { column, direction: 'desc' } : undefined;
    const others = add ? this.sort.filter((s) => s.column !== column) : [];
    this.sort = next ? [...others, next] : others;
    this.updateSortIndicators();
    this.cb.onSort(this.sort);
  }

  private updateSortIndicators(): void {
    this.headerCells.forEach((cell, i) => {
      const btn = cell.querySelector('.hsort') as HTMLElement;
      const idx = this.sort.findIndex((s) => s.column === i);
      const s = this.sort[idx];
      btn.className = `hsort codicon ${s ? (s.direction === 'asc' ? 'codicon-arrow-up active' : 'codicon-arrow-down active') : 'codicon-arrow-swap'}`;
      cell.setAttribute('aria-sort', s ? (s.direction === 'asc' ? 'ascending' : 'descending') : 'none');
    });
  }

  private startResize(ev: MouseEvent, column: number): void {
    ev.preventDefault();
    ev.stopPropagation();
    const startX = ev.clientX;
    const startWidth = this.widths[column];
    const move = (e: MouseEvent) => this.setWidth(column, Math.max(MIN_WIDTH, startWidth + e.clientX - startX));
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      this.cb.onStateChange();
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  setWidth(column: number, width: number): void {
    this.widths[column] = width;
    this.headerCells[column].style.width = `${width}px`;
    for (const row of [...this.active.values(), ...this.pool]) row._cells[column].style.width = `${width}px`;
    this.sizeContent();
  }

  /** Row count changed (more rows streamed in, or a new sort/filter). */
  setRowCount(rowCount: number, resetRows: boolean): void {
    this.cache.rowCount = rowCount;
    this.scroller.setAttribute('aria-rowcount', String(rowCount));
    const digits = String(Math.max(1, rowCount)).length;
    const numWidth = Math.max(48, digits * 8 + 20);
    if (numWidth !== this.numWidth) {
      this.numWidth = numWidth;
      (this.headerRow.firstChild as HTMLElement).style.width = `${numWidth}px`;
      for (const row of [...this.active.values(), ...this.pool]) row._num.style.width = `${numWidth}px`;
    }
    if (resetRows) for (const row of this.active.values()) row._data = RECYCLED;
    this.layout();
  }

  private layout(): void {
    this.viewportHeight = this.scroller.clientHeight;
    this.sizeContent();
  }

  private sizeContent(): void {
    const width = this.totalWidth();
    this.headerRow.style.width = `${width}px`;
    this.layer.style.width = `${width}px`;
    this.layer.style.height = `${this.viewportHeight}px`;
    this.layer.style.marginBottom = `${-this.viewportHeight}px`;
    this.geometry = scrollGeometry(this.cache.rowCount, ROW_HEIGHT, this.viewportHeight);
    this.spacer.style.height = `${this.geometry.spacerHeight}px`;
    this.spacer.style.width = `${width}px`;
    this.render();
  }

  private makeRow(): RowElement {
    const row = el('div', 'row') as RowElement;
    row.setAttribute('role', 'row');
    row._num = el('div', 'cell rownum');
    row._num.style.width = `${this.numWidth}px`;
    row.appendChild(row._num);
    row._cells = this.columns.map((c, i) => {
      const cell = el('div', NUMERIC.has(c.kind) ? 'cell num' : 'cell') as CellElement;
      cell._base = cell.className;
      cell._state = 0;
      cell.style.width = `${this.widths[i]}px`;
      cell.dataset.col = String(i);
      row.appendChild(cell);
      return cell;
    });
    row._row = -1;
    row._data = undefined;
    row._selVersion = 0;
    row._hasSel = false;
    this.layer.appendChild(row);
    return row;
  }

  /** Positions the rows of the current window; called on every scroll event and whenever data arrives. */
  render(): void {
    const g = this.geometry;
    const top = virtualTop(this.scroller.scrollTop, g);
    const { first, last } = visibleRange(top, this.viewportHeight, ROW_HEIGHT, this.cache.rowCount, OVERSCAN);
    this.headerRow.style.transform = `translateX(${-this.scroller.scrollLeft}px)`;
    for (const [index, row] of this.active) {
      if (index < first || index >= last) {
        this.active.delete(index);
        row.hidden = true;
        this.pool.push(row);
      }
    }
    this.cache.ensure(first, last);
    if (!this.cache.complete && last >= this.cache.rowCount) this.cache.ensure(this.cache.rowCount, this.cache.rowCount + 1);
    for (let i = first; i < last; i++) {
      let row = this.active.get(i);
      if (!row) {
        row = this.pool.pop() ?? this.makeRow();
        row.hidden = false;
        row._row = i;
        // A recycled row must be refilled even when its new data is still pending (undefined), or it would keep
        // showing the previous row's values under the new row number.
        row._data = RECYCLED;
        row._selVersion = 0;
        row._num.textContent = String(i + 1);
        row.setAttribute('aria-rowindex', String(i + 1));
        this.active.set(i, row);
      }
      row.style.transform = `translateY(${i * ROW_HEIGHT - top}px)`;
      const data = this.cache.row(i);
      if (data !== row._data) this.fill(row, data);
      if (row._selVersion !== this.selVersion) this.paintSelection(row);
    }
    this.reportViewport(Math.floor(top / ROW_HEIGHT), Math.ceil(this.viewportHeight / ROW_HEIGHT));
  }

  private fill(row: RowElement, data: CellValue[] | undefined): void {
    row._data = data;
    const cells = row._cells;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      const v = data ? data[c] ?? null : null;
      const state = !data ? 2 : v === null ? 1 : 0;
      cell.textContent = data ? cellText(v) : '';
      if (state !== cell._state) {
        cell._state = state;
        cell.className = state === 0 ? cell._base : `${cell._base} ${state === 1 ? 'null' : 'pending'}`;
        if (row._hasSel) row._selVersion = 0; // className reset dropped 'selected': repaint it
      }
    }
  }

  private paintSelection(row: RowElement): void {
    row._selVersion = this.selVersion;
    const b = this.selBounds;
    const rowIn = !!b && row._row >= b.top && row._row <= b.bottom;
    if (!rowIn && !row._hasSel) return;
    row._hasSel = rowIn;
    row.classList.toggle('row-selected', rowIn && this.selection?.kind === 'rows');
    for (let c = 0; c < row._cells.length; c++) row._cells[c].classList.toggle('selected', rowIn && c >= b!.left && c <= b!.right);
  }

  private reportViewport(first: number, count: number): void {
    if (first === this.lastFirst && count === this.lastCount) return;
    this.lastFirst = first;
    this.lastCount = count;
    if (this.viewportTimer) clearTimeout(this.viewportTimer);
    this.viewportTimer = setTimeout(() => {
      this.cb.onViewport(first, Math.max(0, Math.min(count, this.cache.rowCount - first)));
      this.cb.onStateChange();
    }, 150);
  }

  private hitTest(ev: MouseEvent): { row: number; col: number } | undefined {
    const target = ev.target as HTMLElement;
    const rowEl = target.closest('.row') as RowElement | null;
    if (!rowEl || rowEl._row < 0) return undefined;
    if (target.classList.contains('rownum')) return { row: rowEl._row, col: -1 };
    const cell = target.closest('.cell') as HTMLElement | null;
    if (!cell?.dataset.col) return undefined;
    return { row: rowEl._row, col: Number(cell.dataset.col) };
  }

  private onMouseDown(ev: MouseEvent): void {
    if (ev.button !== 0) return;
    const hit = this.hitTest(ev);
    if (!hit) return;
    if (hit.col < 0) this.setSelection(select('rows', hit.row, 0, ev.shiftKey ? this.selection : undefined));
    else this.setSelection(select('cells', hit.row, hit.col, ev.shiftKey ? this.selection : undefined));
    this.dragging = true;
    this.focus();
  }

  private onMouseMove(ev: MouseEvent): void {
    if (!this.dragging || !this.selection) return;
    const hit = this.hitTest(ev);
    if (!hit) return;
    this.setSelection({ ...this.selection, focusRow: hit.row, focusCol: Math.max(0, hit.col) });
  }

  setSelection(s: Selection | undefined): void {
    this.selection = s;
    this.selBounds = s ? selectionBounds(s, this.cache.rowCount, this.columns.length) : undefined;
    this.selVersion++;
    this.headerCells.forEach((h, i) => h.classList.toggle('selected', !!s && s.kind === 'columns' && !!this.selBounds && i >= this.selBounds.left && i <= this.selBounds.right));
    this.render();
  }

  selectAll(): void {
    if (this.cache.rowCount === 0) return;
    this.setSelection({ kind: 'cells', anchorRow: 0, anchorCol: 0, focusRow: this.cache.rowCount - 1, focusCol: this.columns.length - 1 });
  }

  /** Scrolls so that a virtual row is visible. */
  revealRow(row: number): void {
    const g = this.geometry;
    const top = virtualTop(this.scroller.scrollTop, g);
    const next = revealRowTop(row, top, this.viewportHeight, ROW_HEIGHT);
    if (next !== top) this.scroller.scrollTop = scrollTopFor(next, g);
  }

  private onKey(ev: KeyboardEvent): void {
    const mod = ev.ctrlKey || ev.metaKey;
    if (mod && ev.key.toLowerCase() === 'c') { ev.preventDefault(); this.cb.onCopy(); return; }
    if (mod && ev.key.toLowerCase() === 'a') { ev.preventDefault(); this.selectAll(); return; }
    const rows = this.cache.rowCount;
    if (rows === 0) return;
    const page = Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageUp: [-page, 0], PageDown: [page, 0],
    };
    let dr = 0;
    let dc = 0;
    if (ev.key in moves) [dr, dc] = moves[ev.key];
    else if (ev.key === 'Home') [dr, dc] = mod ? [-rows, 0] : [0, -this.columns.length];
    else if (ev.key === 'End') [dr, dc] = mod ? [rows, 0] : [0, this.columns.length];
    else if (ev.key === 'Escape') { this.setSelection(undefined); return; }
    else return;
    ev.preventDefault();
    const s = this.selection ?? select('cells', 0, 0);
    const row = Math.min(rows - 1, Math.max(0, s.focusRow + dr));
    const col = Math.min(this.columns.length - 1, Math.max(0, s.focusCol + dc));
    this.setSelection(ev.shiftKey ? { ...s, kind: 'cells', focusRow: row, focusCol: col } : select('cells', row, col));
    this.revealRow(row);
  }
}
