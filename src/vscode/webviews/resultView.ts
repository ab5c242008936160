/**
 * Sort and filter over the loaded rows of a ResultSource, done in the host so a webview never sorts a million rows.
 * The view is an index permutation over a snapshot of the loaded rows. No `vscode` import.
 */
import type { CellValue, ResultColumn } from '../../core/ports';
import type { SortSpec, ViewSpec } from '../../shared/protocol/results';
import type { ResultSource } from './resultSource';

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;

/** Compares two decimal strings exactly (BIGINT/NUMERIC arrive as strings); NaN when either is not a plain decimal. */
export function compareDecimalStrings(a: string, b: string): number {
  const ma = DECIMAL.exec(a);
  const mb = DECIMAL.exec(b);
  if (!ma || !mb || (ma[2] === '' && !ma[3]) || (mb[2] === '' && !mb[3])) return Number.NaN;
  const intA = ma[2].replace(/^0+/, '');
  const intB = mb[2].replace(/^0+/, '');
  const fracA = (ma[3] ?? '').replace(/0+$/, '');
  const fracB = (mb[3] ?? '').replace(/0+$/, '');
  const zeroA = intA === '' && fracA === '';
  const zeroB = intB === '' && fracB === '';
  const signA = zeroA ? 0 : ma[1] === '-' ? -1 : 1;
  const signB = zeroB ? 0 : mb[1] === '-' ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  let magnitude: number;
  if (intA.length !== intB.length) magnitude = intA.length < intB.length ? -1 : 1;
  else if (intA !== intB) magnitude = intA < intB ? -1 : 1;
  else magnitude = fracA === fracB ? 0 : fracA < fracB ? -1 : 1;
  return magnitude * signA;
}

function numericString(v: number | string): string {
  return typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v)) : v;
}

/** Orders two non-null cells of one column; exact for decimal strings, code-unit order for text. */
export function compareCells(a: CellValue, b: CellValue, kind: ResultColumn['kind']): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  if (kind === 'integer' || kind === 'decimal' || kind === 'float' || typeof a === 'number' || typeof b === 'number') {
    const exact = compareDecimalStrings(numericString(a as number | string), numericString(b as number | string));
    if (!Number.isNaN(exact)) return exact;
    const na = Number(a);
    const nb = Number(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na < nb ? -1 : 1;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Row indexes of `rows` matching `filter` (case-insensitive substring of any cell), sorted by `sort` (stable, NULLs last). */
export function computeViewIndex(rows: readonly CellValue[][], columns: readonly ResultColumn[], spec: ViewSpec): Uint32Array {
  const needle = spec.filter.trim().toLowerCase();
  let index: Uint32Array;
  if (needle) {
    const hits: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (v !== null && String(v).toLowerCase().includes(needle)) { hits.push(i); break; }
      }
    }
    index = Uint32Array.from(hits);
  } else {
    index = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) index[i] = i;
  }
  const sort = spec.sort.filter((s) => s.column < columns.length);
  if (sort.length > 0) index.sort(rowComparator(rows, columns, sort));
  return index;
}

function rowComparator(rows: readonly CellValue[][], columns: readonly ResultColumn[], sort: SortSpec[]): (a: number, b: number) => number {
  return (ia, ib) => {
    for (const s of sort) {
      const a = rows[ia][s.column];
      const b = rows[ib][s.column];
      if (a === null || b === null) {
        if (a !== b) return a === null ? 1 : -1; // NULLs last in both directions
        continue;
      }
      const c = compareCells(a, b, columns[s.column].kind);
      if (c !== 0) return s.direction === 'asc' ? c : -c;
    }
    return ia - ib;
  };
}

/** A ResultSource seen through the current sort/filter. Identity (no copy) while the spec is empty. */
export class ResultView {
  private snapshot: CellValue[][] | undefined;
  private index: Uint32Array | undefined;
  spec: ViewSpec = { sort: [], filter: '' };
  version = 0;

  constructor(readonly source: ResultSource) {}

  get columns(): ResultColumn[] { return this.source.columns; }

  get isIdentity(): boolean { return this.index === undefined; }

  rowCount(): number {
    return this.index ? this.index.length : this.source.rowCount();
  }

  /** Applies a spec over the rows loaded now; rows that arrive later are not part of a sorted/filtered view. */
  async apply(spec: ViewSpec): Promise<void> {
    const empty = spec.sort.length === 0 && spec.filter.trim() === '';
    if (empty) {
      this.snapshot = undefined;
      this.index = undefined;
    } else {
      const rows = await this.source.getRows(0, this.source.rowCount());
      this.index = computeViewIndex(rows, this.source.columns, spec);
      this.snapshot = rows;
    }
    this.spec = { sort: spec.sort.map((s) => ({ ...s })), filter: spec.filter };
    this.version++;
  }

  async getRows(offset: number, limit: number): Promise<CellValue[][]> {
    if (!this.index || !this.snapshot) return this.source.getRows(offset, limit);
    const end = Math.min(this.index.length, offset + limit);
    const out: CellValue[][] = [];
    for (let i = offset; i < end; i++) out.push(this.snapshot[this.index[i]]);
    return out;
  }

  /** Up to maxPoints rows of the chosen columns, evenly strided over the view when there are more rows. */
  async sample(columns: number[], maxPoints: number): Promise<{ rows: CellValue[][]; sampled: boolean; total: number }> {
    const total = this.rowCount();
    const step = total > maxPoints ? total / maxPoints : 1;
    const count = Math.min(total, maxPoints);
    const rows: CellValue[][] = [];
    if (step === 1) {
      const all = await this.getRows(0, count);
      for (const r of all) rows.push(columns.map((c) => r[c] ?? null));
    } else {
      for (let i = 0; i < count; i++) {
        const [r] = await this.getRows(Math.floor(i * step), 1);
        if (r) rows.push(columns.map((c) => r[c] ?? null));
      }
    }
    return { rows, sampled: step !== 1, total };
  }
}
