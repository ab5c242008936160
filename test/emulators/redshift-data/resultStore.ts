/**
 * Where a finished statement's rows live until GetStatementResult reads them.
 * CursorResult keeps a `WITH HOLD` scroll cursor on the statement's own connection: PostgreSQL materialises the
 * result server-side (spilling to disk), and each page is one `MOVE ABSOLUTE` + `FETCH n`, so a million-row result
 * is never held in this process. MemoryResult holds small results (session statements, non-cursorable SQL).
 */
import type pg from 'pg';
import type { PgField, RawRow } from './wireTypes';

export interface ResultStore {
  readonly totalRows: number;
  fetch(offset: number, count: number): Promise<{ fields: PgField[]; rows: RawRow[] }>;
  release(): Promise<void>;
}

/** A connection shared by the cursors of one batch; closed when the last user releases it. */
export class SharedConnection {
  private refs = 1;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly client: pg.Client) {}

  retain(): void {
    this.refs++;
  }

  async release(): Promise<void> {
    if (--this.refs > 0) return;
    await this.client.end().catch(() => undefined);
  }

  /** Runs `fn` alone on the connection (MOVE+FETCH pairs must not interleave). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

export class CursorResult implements ResultStore {
  private fields?: PgField[];
  /** Rows already read = the cursor position; -1 when unknown. */
  private position = 0;
  constructor(
    private readonly conn: SharedConnection,
    private readonly cursor: string,
    readonly totalRows: number,
  ) {}

  fetch(offset: number, count: number): Promise<{ fields: PgField[]; rows: RawRow[] }> {
    return this.conn.exclusive(async () => {
      // MOVE ABSOLUTE to the current position makes PostgreSQL rewind and re-scan; only move on a jump (retries).
      if (this.position !== offset) await this.conn.client.query(`MOVE ABSOLUTE ${offset} IN ${this.cursor}`);
      this.position = -1;
      const res = await this.conn.client.query({ text: `FETCH FORWARD ${count} FROM ${this.cursor}`, rowMode: 'array' });
      this.position = offset + res.rows.length;
      this.fields ??= res.fields as unknown as PgField[];
      return { fields: this.fields, rows: res.rows as RawRow[] };
    });
  }

  async release(): Promise<void> {
    await this.conn.exclusive(() => this.conn.client.query(`CLOSE ${this.cursor}`)).catch(() => undefined);
    await this.conn.release();
  }
}

export class MemoryResult implements ResultStore {
  constructor(
    private readonly fields: PgField[],
    private readonly rows: RawRow[],
  ) {}

  get totalRows(): number {
    return this.rows.length;
  }

  async fetch(offset: number, count: number): Promise<{ fields: PgField[]; rows: RawRow[] }> {
    return { fields: this.fields, rows: this.rows.slice(offset, offset + count) };
  }

  async release(): Promise<void> {}
}
