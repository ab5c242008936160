/** Scales and ticks for the small results chart. Pure. */
import type { CellValue, ResultColumn } from '../../src/core/ports';

export type AxisKind = 'number' | 'time' | 'category';

export function axisKind(column: ResultColumn): AxisKind {
  if (column.kind === 'integer' || column.kind === 'decimal' || column.kind === 'float') return 'number';
  if (column.kind === 'date' || column.kind === 'timestamp') return 'time';
  return 'category';
}

/** A numeric position for a value, or undefined when it cannot be plotted. */
export function numericValue(v: CellValue, kind: AxisKind): number | undefined {
  if (v === null) return undefined;
  if (kind === 'time') {
    const t = Date.parse(String(v).replace(' ', 'T'));
    return Number.isNaN(t) ? undefined : t;
  }
  const n = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const span = max - min;
  const rough = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function formatTick(v: number, kind: AxisKind): string {
  if (kind === 'time') return new Date(v).toISOString().slice(0, 10);
  if (Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}
