/**
 * The webview's window of rows: blocks fetched from the host on demand, least-recently-used blocks dropped.
 * The webview never holds the whole result.
 */
import type { CellValue } from '../../src/core/ports';
import { MAX_ROWS_PER_REQUEST } from '../../src/shared/protocol/results';

export const BLOCK_ROWS = 200;
const MAX_BLOCKS = 80;

export type RowRequest = (requestId: number, offset: number, limit: number, viewVersion: number) => void;

interface Waiter { offset: number; count: number; resolve: (rows: CellValue[][]) => void; received: Map<number, CellValue[][]>; expected: Set<number> }

export class RowCache {
  private readonly blocks = new Map<number, CellValue[][]>();
  private readonly pending = new Map<number, number>(); // block → requestId
  private readonly waiters = new Map<number, Waiter>(); // requestId → range fetch
  private nextRequestId = 1;
  viewVersion = 0;
  rowCount = 0;
  complete = true;

  constructor(private readonly request: RowRequest, private readonly onLoaded: () => void) {}

  /** The row if its block is here; asks for missing blocks of the range as a side effect. */
  row(index: number): CellValue[] | undefined {
    const block = this.blocks.get(Math.floor(index / BLOCK_ROWS));
    return block?.[index % BLOCK_ROWS];
  }

  /** Makes sure the blocks covering [first, last) are here or on their way; refreshes their LRU order. */
  ensure(first: number, last: number): void {
    if (last <= first) return;
    const b0 = Math.floor(first / BLOCK_ROWS);
    const b1 = Math.floor((last - 1) / BLOCK_ROWS);
    for (let b = b0; b <= b1; b++) {
      const block = this.blocks.get(b);
      if (block) {
        this.blocks.delete(b);
        this.blocks.set(b, block);
        // A short block at the end of a streaming result: ask again once more rows exist.
        if (block.length < BLOCK_ROWS && b * BLOCK_ROWS + block.length < this.rowCount && !this.pending.has(b)) this.fetchBlock(b);
      } else if (!this.pending.has(b)) {
        this.fetchBlock(b);
      }
    }
  }

  private fetchBlock(b: number): void {
    const id = this.nextRequestId++;
    this.pending.set(b, id);
    this.request(id, b * BLOCK_ROWS, BLOCK_ROWS, this.viewVersion);
  }

  /** Rows of the host's answer. Returns false when the answer is stale. */
  receive(requestId: number, viewVersion: number, offset: number, rows: CellValue[][]): boolean {
    if (viewVersion !== this.viewVersion) return false;
    const waiter = this.waiters.get(requestId);
    if (waiter) {
      waiter.received.set(offset, rows);
      waiter.expected.delete(requestId);
      if (waiter.expected.size === 0) this.finishWaiter(waiter);
      return true;
    }
    const b = Math.floor(offset / BLOCK_ROWS);
    if (this.pending.get(b) !== requestId) return false;
    this.pending.delete(b);
    this.blocks.set(b, rows);
    while (this.blocks.size > MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
    this.onLoaded();
    return true;
  }

  /** Fetches an arbitrary range (for copying a selection), in requests of at most MAX_ROWS_PER_REQUEST rows. */
  fetchRange(offset: number, count: number): Promise<CellValue[][]> {
    return new Promise((resolve) => {
      const waiter: Waiter = { offset, count, resolve, received: new Map(), expected: new Set() };
      if (count <= 0) { resolve([]); return; }
      const ids: Array<[number, number, number]> = [];
      for (let o = offset; o < offset + count; o += MAX_ROWS_PER_REQUEST) {
        const id = this.nextRequestId++;
        waiter.expected.add(id);
        this.waiters.set(id, waiter);
        ids.push([id, o, Math.min(MAX_ROWS_PER_REQUEST, offset + count - o)]);
      }
      for (const [id, o, n] of ids) this.request(id, o, n, this.viewVersion);
    });
  }

  private finishWaiter(w: Waiter): void {
    for (const [id, v] of this.waiters) if (v === w) this.waiters.delete(id);
    const parts = [...w.received.entries()].sort((a, b) => a[0] - b[0]);
    const rows: CellValue[][] = [];
    for (const [, part] of parts) for (const r of part) rows.push(r);
    w.resolve(rows);
  }

  /** Drops every row (the host changed the order); pending answers of the old version are ignored. */
  reset(viewVersion: number, rowCount: number): void {
    this.viewVersion = viewVersion;
    this.rowCount = rowCount;
    this.blocks.clear();
    this.pending.clear();
    for (const w of new Set(this.waiters.values())) w.resolve([]);
    this.waiters.clear();
  }
}
