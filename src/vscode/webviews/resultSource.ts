/**
 * Where the results grid reads rows from. The host owns the rows; the webview asks for windows.
 * This module must not import `vscode` (unit tests and the CLI use it).
 */
import type { CancellationSignal, CellValue, QueryEngine, ResultColumn, ResultPage } from '../../core/ports';
import { NextTokenGuard } from '../../core/paging';

export interface SourceSubscription { dispose(): void }

export interface ResultSource {
  readonly columns: ResultColumn[];
  /** Rows available now (grows while the result streams in). */
  rowCount(): number;
  /** true once every row has been loaded (or loading failed: see `error`). */
  readonly complete: boolean;
  /** Why loading stopped early, if it did. */
  readonly error?: string;
  /** Called whenever rows are appended or the source completes. */
  onDidAppend(listener: () => void): SourceSubscription;
  /**
   * Rows [offset, offset + limit). Resolves once those rows exist or the source is complete, so a short (or empty)
   * answer means the end of the result.
   */
  getRows(offset: number, limit: number): Promise<CellValue[][]>;
  dispose?(): void;
}

class Listeners {
  private readonly set = new Set<() => void>();
  add(listener: () => void): SourceSubscription {
    this.set.add(listener);
    return { dispose: () => { this.set.delete(listener); } };
  }
  fire(): void {
    for (const l of [...this.set]) {
      try { l(); } catch { /* a listener's failure must not stop the others */ }
    }
  }
  clear(): void { this.set.clear(); }
}

/** A complete, in-memory result (tests, small local results). */
export class ArrayResultSource implements ResultSource {
  readonly complete = true;
  private readonly listeners = new Listeners();

  constructor(readonly columns: ResultColumn[], private readonly rows: CellValue[][]) {}

  rowCount(): number { return this.rows.length; }
  onDidAppend(listener: () => void): SourceSubscription { return this.listeners.add(listener); }
  async getRows(offset: number, limit: number): Promise<CellValue[][]> {
    return this.rows.slice(offset, offset + Math.max(0, limit));
  }
}

interface ColumnPage {
  start: number;
  length: number;
  columns: CellValue[][];
}

export interface PagedSourceOptions {
  /** Keep loading in the background until the end (default false: load on demand, one page ahead). */
  eager?: boolean;
  /** Stop eager loading beyond this many rows (later rows still load on demand). Default 5,000,000. */
  eagerLimit?: number;
}

/**
 * Rows pulled page by page from an async iterator. A request for rows beyond what is loaded pulls pages until they
 * exist; after each request the next page is prefetched so that scrolling on rarely waits.
 */
export class PagedResultSource implements ResultSource {
  /**
   * Loaded rows, stored column by column per page: a million-row result costs one array per column per page instead
   * of one array per row, which keeps the extension host's memory near the size of the values themselves.
   */
  private readonly pages: ColumnPage[] = [];
  private loaded = 0;
  private readonly listeners = new Listeners();
  private readonly iterator: AsyncIterator<CellValue[][]>;
  private pulling: Promise<void> | undefined;
  private done = false;
  private failure: string | undefined;
  private disposed = false;
  /** Pages pulled so far (tests observe prefetching through it). */
  pagesPulled = 0;

  constructor(readonly columns: ResultColumn[], pages: AsyncIterable<CellValue[][]>, private readonly options: PagedSourceOptions = {}) {
    this.iterator = pages[Symbol.asyncIterator]();
    if (options.eager) void this.loadEagerly();
  }

  /** Builds a source from engine pages; the first page supplies the columns. */
  static async fromResultPages(pages: AsyncIterable<ResultPage>, options?: PagedSourceOptions): Promise<PagedResultSource> {
    const it = pages[Symbol.asyncIterator]();
    const first = await it.next();
    const columns = first.done ? [] : first.value.columns;
    async function* rowPages(): AsyncGenerator<CellValue[][]> {
      if (first.done) return;
      yield first.value.rows;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value.rows;
      }
    }
    return new PagedResultSource(columns, rowPages(), options);
  }

  get complete(): boolean { return this.done; }
  get error(): string | undefined { return this.failure; }
  rowCount(): number { return this.loaded; }
  onDidAppend(listener: () => void): SourceSubscription { return this.listeners.add(listener); }

  async getRows(offset: number, limit: number): Promise<CellValue[][]> {
    const end = offset + Math.max(0, limit);
    while (this.loaded < end && !this.done) await this.pullPage();
    this.prefetch();
    return this.readRows(Math.max(0, offset), Math.min(end, this.loaded));
  }

  private readRows(from: number, to: number): CellValue[][] {
    const out: CellValue[][] = [];
    if (from >= to) return out;
    let p = this.pageIndexOf(from);
    for (let i = from; i < to; i++) {
      while (i >= this.pages[p].start + this.pages[p].length) p++;
      const page = this.pages[p];
      const r = i - page.start;
      const row = new Array<CellValue>(page.columns.length);
      for (let c = 0; c < page.columns.length; c++) row[c] = page.columns[c][r];
      out.push(row);
    }
    return out;
  }

  /** Binary search for the page holding row `i`. */
  private pageIndexOf(i: number): number {
    let lo = 0;
    let hi = this.pages.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.pages[mid].start <= i) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  private append(rows: CellValue[][]): void {
    if (rows.length === 0) return;
    const width = Math.max(this.columns.length, rows[0].length);
    const columns: CellValue[][] = Array.from({ length: width }, () => new Array<CellValue>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let c = 0; c < width; c++) columns[c][r] = row[c] ?? null;
    }
    this.pages.push({ start: this.loaded, length: rows.length, columns });
    this.loaded += rows.length;
  }

  /** Loads the next page in the background unless one is already on its way. */
  prefetch(): void {
    if (!this.done && !this.pulling) void this.pullPage();
  }

  dispose(): void {
    this.disposed = true;
    this.done = true;
    this.listeners.clear();
    void this.iterator.return?.();
  }

  private pullPage(): Promise<void> {
    if (this.pulling) return this.pulling;
    this.pulling = (async () => {
      try {
        const next = await this.iterator.next();
        if (this.disposed) return;
        if (next.done) {
          this.done = true;
        } else {
          this.pagesPulled++;
          this.append(next.value);
        }
      } catch (err) {
        this.failure = err instanceof Error ? err.message : String(err);
        this.done = true;
      } finally {
        this.pulling = undefined;
      }
      this.listeners.fire();
    })();
    return this.pulling;
  }

  private async loadEagerly(): Promise<void> {
    const limit = this.options.eagerLimit ?? 5_000_000;
    while (!this.done && this.loaded < limit) await this.pullPage();
  }
}

/** The pages of a finished statement, fetched with the engine's NextToken until the last page (a repeated token
 * ends them with RepeatedNextTokenError; the pages before it stay shown). */
export async function* enginePages(engine: QueryEngine, statementId: string, signal?: CancellationSignal): AsyncGenerator<ResultPage> {
  const pages = new NextTokenGuard('GetStatementResult');
  let token: string | undefined;
  do {
    if (signal?.aborted) return;
    const page = await engine.fetchPage(statementId, token, signal);
    yield page;
    token = pages.next(page.nextToken);
  } while (token);
}
