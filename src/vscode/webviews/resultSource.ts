/**
 * Where the results grid reads rows from. The host owns the rows; the webview asks for windows.
 * This module must not import `vscode` (unit tests and the CLI use it).
 */
import type { CancellationSignal, CellValue, QueryEngine, ResultColumn, ResultPage } from '../../core/ports';

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
  private readonly rows: CellValue[][] = [];
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
  rowCount(): number { return this.rows.length; }
  onDidAppend(listener: () => void): SourceSubscription { return this.listeners.add(listener); }

  async getRows(offset: number, limit: number): Promise<CellValue[][]> {
    const end = offset + Math.max(0, limit);
    while (this.rows.length < end && !this.done) await this.pullPage();
    this.prefetch();
    return this.rows.slice(offset, end);
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
          for (const row of next.value) this.rows.push(row);
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
    while (!this.done && this.rows.length < limit) await this.pullPage();
  }
}

/** The pages of a finished statement, fetched with the engine's NextToken until the last page. */
export async function* enginePages(engine: QueryEngine, statementId: string, signal?: CancellationSignal): AsyncGenerator<ResultPage> {
  let token: string | undefined;
  do {
    if (signal?.aborted) return;
    const page = await engine.fetchPage(statementId, token, signal);
    yield page;
    token = page.nextToken;
  } while (token);
}
