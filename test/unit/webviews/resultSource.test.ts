import { strict as assert } from 'node:assert';
import type { CellValue, ResultColumn, ResultPage } from '../../../src/core/ports';
import { ArrayResultSource, PagedResultSource } from '../../../src/vscode/webviews/resultSource';

const columns: ResultColumn[] = [{ name: 'n', typeName: 'int4', kind: 'integer' }];

/** Pages of `size` rows, counting how many the consumer pulled; each page waits for `gate()` when given. */
function pages(count: number, size: number, log: number[], gate?: () => Promise<void>): AsyncIterable<CellValue[][]> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let p = 0; p < count; p++) {
        if (gate) await gate();
        log.push(p);
        yield Array.from({ length: size }, (_, i) => [p * size + i]);
      }
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ArrayResultSource', () => {
  it('serves windows and short answers at the end', async () => {
    const s = new ArrayResultSource(columns, [[1], [2], [3]]);
    assert.equal(s.rowCount(), 3);
    assert.ok(s.complete);
    assert.deepEqual(await s.getRows(1, 5), [[2], [3]]);
    assert.deepEqual(await s.getRows(3, 5), []);
  });
});

describe('PagedResultSource', () => {
  it('pulls pages on demand and prefetches exactly one page ahead', async () => {
    const log: number[] = [];
    const s = new PagedResultSource(columns, pages(10, 100, log));
    assert.equal(s.rowCount(), 0);
    const rows = await s.getRows(150, 10);
    assert.deepEqual(rows.map((r) => r[0]), [150, 151, 152, 153, 154, 155, 156, 157, 158, 159]);
    await tick();
    assert.deepEqual(log, [0, 1, 2], 'two pages needed, the third prefetched');
    assert.equal(s.rowCount(), 300);
    assert.equal(s.complete, false);
    // A window inside the prefetched page needs no wait and triggers the next prefetch.
    await s.getRows(250, 10);
    await tick();
    assert.deepEqual(log, [0, 1, 2, 3]);
  });

  it('notifies listeners and completes with a short last answer', async () => {
    const log: number[] = [];
    const s = new PagedResultSource(columns, pages(3, 4, log));
    let appends = 0;
    s.onDidAppend(() => appends++);
    const all = await s.getRows(0, 100);
    assert.equal(all.length, 12);
    assert.ok(s.complete);
    assert.ok(appends >= 4, `appends: ${appends}`);
  });

  it('loads eagerly when asked to', async () => {
    const log: number[] = [];
    const s = new PagedResultSource(columns, pages(5, 10, log), { eager: true });
    while (!s.complete) await tick();
    assert.equal(s.rowCount(), 50);
    assert.deepEqual(log, [0, 1, 2, 3, 4]);
  });

  it('never pulls two pages at once', async () => {
    const log: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const gate = async () => { inFlight++; maxInFlight = Math.max(maxInFlight, inFlight); await tick(); inFlight--; };
    const s = new PagedResultSource(columns, pages(6, 10, log, gate));
    await Promise.all([s.getRows(0, 5), s.getRows(30, 5), s.getRows(10, 5)]);
    assert.equal(maxInFlight, 1);
    assert.equal((await s.getRows(30, 5))[0][0], 30);
  });

  it('records an iterator failure and keeps the rows it had', async () => {
    async function* failing(): AsyncGenerator<CellValue[][]> {
      yield [[1], [2]];
      throw new Error('statement aborted');
    }
    const s = new PagedResultSource(columns, failing());
    const rows = await s.getRows(0, 10);
    assert.deepEqual(rows, [[1], [2]]);
    assert.ok(s.complete);
    assert.equal(s.error, 'statement aborted');
  });

  it('takes columns from the first engine page', async () => {
    async function* enginePages(): AsyncGenerator<ResultPage> {
      yield { columns, rows: [[1]], nextToken: 'a' };
      yield { columns, rows: [[2]] };
    }
    const s = await PagedResultSource.fromResultPages(enginePages());
    assert.deepEqual(s.columns, columns);
    assert.deepEqual(await s.getRows(0, 10), [[1], [2]]);
  });
});
