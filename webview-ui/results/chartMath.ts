/** Scales and ticks for the small results chart. Pure. */
import type { CellValue, ResultColumn } from '../../src/core/ports';

/** `time`: dates and timestamps; `clock`: a time of day (TIME, TIMETZ). */
export type AxisKind = 'number' | 'time' | 'clock' | 'category';

export function axisKind(column: ResultColumn): AxisKind {
  if (column.kind === 'integer' || column.kind === 'decimal' || column.kind === 'float') return 'number';
  if (/^(?:time|timetz|time with(?:out)? time zone)$/i.test(column.typeName)) return 'clock';
  if (column.kind === 'date' || column.kind === 'timestamp') return 'time';
  return 'category';
}

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:[+-]\d{2}(?::?\d{2})?)?$/;
/** A timestamp with a zone written as Redshift writes it (`+00`, `+0530`), which Date.parse does not read. */
const SHORT_ZONE = /^(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2})(?::?(\d{2}))?$/;

/** A numeric position for a value, or undefined when it cannot be plotted. */
export function numericValue(v: CellValue, kind: AxisKind): number | undefined {
  if (v === null) return undefined;
  if (kind === 'clock') {
    // milliseconds since midnight
    const m = TIME_OF_DAY.exec(String(v).trim());
    return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Math.round(Number(m[4] ?? 0) * 1000) : undefined;
  }
  if (kind === 'time') {
    const iso = String(v).trim().replace(' ', 'T');
    const zone = SHORT_ZONE.exec(iso);
    const t = Date.parse(zone ? `${zone[1]}${zone[2]}:${zone[3] ?? '00'}` : iso);
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
  if (kind === 'clock') return new Date(v).toISOString().slice(11, 16);
  if (Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}
