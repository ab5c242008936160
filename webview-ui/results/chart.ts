/** A small SVG chart (bar / line / scatter) of sampled result rows. Labels via textContent only. */
import type { CellValue, ResultColumn } from '../../src/core/ports';
import { clear, el, formatCount } from '../shared/dom';
import { axisKind, formatTick, niceTicks, numericValue, type AxisKind } from './chartMath';

export type ChartType = 'bar' | 'line' | 'scatter';
const SVG = 'http://www.w3.org/2000/svg';
export const CHART_MAX_POINTS = 2_000;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export interface ChartRequest { columns: number[] }

export class ChartView {
  readonly root = el('div', 'chart');
  private readonly controls = el('div', 'chart-controls');
  private readonly typeSel = el('select');
  private readonly xSel = el('select');
  private readonly ySel = el('select');
  private readonly note = el('span', 'chart-note');
  private readonly canvas = el('div', 'chart-canvas');
  private data: { rows: CellValue[][]; sampled: boolean; total: number; columns: number[] } | undefined;

  constructor(private readonly columns: ResultColumn[], private readonly request: (req: ChartRequest) => void, initial: number[]) {
    for (const t of ['bar', 'line', 'scatter']) this.typeSel.appendChild(new Option(t[0].toUpperCase() + t.slice(1), t));
    columns.forEach((c, i) => {
      this.xSel.appendChild(new Option(c.name, String(i)));
      this.ySel.appendChild(new Option(c.name, String(i)));
    });
    this.ySel.multiple = true;
    this.ySel.size = Math.min(4, columns.length);
    const numeric = columns.map((c, i) => (axisKind(c) === 'number' ? i : -1)).filter((i) => i >= 0);
    const x = initial[0] ?? 0;
    const chosen = initial.slice(1).filter((i) => numeric.includes(i));
    const ys = chosen.length > 0 ? chosen : numeric.filter((i) => i !== x).slice(0, 1);
    this.xSel.value = String(x);
    // only numbers can be plotted: other columns stay listed (in place) but cannot be picked for Y
    for (const o of Array.from(this.ySel.options)) {
      o.disabled = !numeric.includes(Number(o.value));
      o.selected = ys.includes(Number(o.value));
    }
    this.typeSel.value = axisKind(columns[x] ?? columns[0]) === 'category' ? 'bar' : 'line';
    const label = (text: string, control: HTMLElement) => { const l = el('label', 'chart-field'); l.append(el('span', '', text), control); return l; };
    this.controls.append(label('Chart', this.typeSel), label('X', this.xSel), label('Y', this.ySel), this.note);
    this.root.append(this.controls, this.canvas);
    this.typeSel.addEventListener('change', () => this.draw());
    this.xSel.addEventListener('change', () => this.fetch());
    this.ySel.addEventListener('change', () => this.fetch());
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  fetch(): void {
    const ys = Array.from(this.ySel.selectedOptions).map((o) => Number(o.value));
    if (ys.length === 0) { this.note.textContent = 'Choose one or more Y columns.'; clear(this.canvas); return; }
    this.note.textContent = 'Loading…';
    this.request({ columns: [Number(this.xSel.value), ...ys] });
  }

  receive(columns: number[], rows: CellValue[][], sampled: boolean, total: number): void {
    this.data = { columns, rows, sampled, total };
    this.note.textContent = sampled ? `Sample of ${formatCount(rows.length)} of ${formatCount(total)} rows` : `${formatCount(rows.length)} rows`;
    this.draw();
  }

  private draw(): void {
    clear(this.canvas);
    const d = this.data;
    if (!d || d.columns.length < 2) return;
    const width = Math.max(200, this.canvas.clientWidth);
    const height = Math.max(150, this.canvas.clientHeight);
    const m = { l: 60, r: 16, t: 12, b: 36 };
    const type = this.typeSel.value as ChartType;
    const xCol = this.columns[d.columns[0]];
    const xKind: AxisKind = axisKind(xCol);
    const xs = d.rows.map((r, i) => (xKind === 'category' ? i : numericValue(r[0], xKind)));
    const series = d.columns.slice(1).map((_, s) => d.rows.map((r) => numericValue(r[s + 1], 'number')));
    const finite = (a: Array<number | undefined>) => a.filter((v): v is number => v !== undefined);
    const allX = finite(xs);
    const allY = series.flatMap(finite);
    if (allX.length === 0 || allY.length === 0) { this.note.textContent = 'Nothing to plot: the columns hold no numbers.'; return; }
    let x0 = Math.min(...allX), x1 = Math.max(...allX);
    const y0 = Math.min(0, ...allY);
    let y1 = Math.max(0, ...allY);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (y0 === y1) { y1 += 1; }
    if (type === 'bar') { const pad = (x1 - x0) / Math.max(1, allX.length) / 2; x0 -= pad; x1 += pad; }
    const sx = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (width - m.l - m.r);
    const sy = (v: number) => height - m.b - ((v - y0) / (y1 - y0)) * (height - m.t - m.b);
    const root = svg('svg', { width, height, class: 'chart-svg', role: 'img' });
    const axes = svg('g', { class: 'axes' });
    for (const t of niceTicks(y0, y1)) {
      axes.appendChild(svg('line', { x1: m.l, x2: width - m.r, y1: sy(t), y2: sy(t), class: 'grid-line' }));
      const label = svg('text', { x: m.l - 6, y: sy(t) + 4, 'text-anchor': 'end' });
      label.textContent = formatTick(t, 'number');
      axes.appendChild(label);
    }
    if (xKind !== 'category') {
      for (const t of niceTicks(x0, x1, 6)) {
        const label = svg('text', { x: sx(t), y: height - m.b + 16, 'text-anchor': 'middle' });
        label.textContent = formatTick(t, xKind);
        axes.appendChild(label);
      }
    } else {
      const every = Math.ceil(d.rows.length / 10);
      d.rows.forEach((r, i) => {
        if (i % every !== 0) return;
        const label = svg('text', { x: sx(i), y: height - m.b + 16, 'text-anchor': 'middle' });
        label.textContent = String(r[0] ?? 'NULL').slice(0, 14);
        axes.appendChild(label);
      });
    }
    axes.appendChild(svg('line', { x1: m.l, x2: width - m.r, y1: sy(0), y2: sy(0), class: 'axis-line' }));
    root.appendChild(axes);
    const barSlot = (width - m.l - m.r) / Math.max(1, allX.length) / Math.max(1, series.length);
    series.forEach((ys, s) => {
      const g = svg('g', { class: `series s${s % 6}` });
      if (type === 'line') {
        // a line runs along X, whatever order the rows came in
        const pts: Array<[number, number]> = [];
        ys.forEach((y, i) => { const x = xs[i]; if (x !== undefined && y !== undefined) pts.push([x, y]); });
        if (xKind !== 'category') pts.sort((a, b) => a[0] - b[0]);
        g.appendChild(svg('polyline', { points: pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' '), fill: 'none' }));
      } else {
        ys.forEach((y, i) => {
          const x = xs[i];
          if (x === undefined || y === undefined) return;
          if (type === 'scatter') g.appendChild(svg('circle', { cx: sx(x), cy: sy(y), r: 2.5 }));
          else {
            const w = Math.max(1, barSlot * 0.8);
            g.appendChild(svg('rect', { x: sx(x) - (w * series.length) / 2 + s * w, y: Math.min(sy(y), sy(0)), width: w, height: Math.abs(sy(0) - sy(y)) }));
          }
        });
      }
      root.appendChild(g);
    });
    const legend = el('div', 'chart-legend');
    d.columns.slice(1).forEach((c, s) => {
      const item = el('span', `legend-item s${s % 6}`);
      item.append(el('span', 'swatch'), el('span', '', this.columns[c]?.name ?? ''));
      legend.appendChild(item);
    });
    this.canvas.append(root, legend);
  }
}
