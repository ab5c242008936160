import { strict as assert } from 'node:assert';
import type { CellValue, ResultColumn } from '../../../src/core/ports';
import { ArrayResultSource } from '../../../src/vscode/webviews/resultSource';
import { compareDecimalStrings, computeViewIndex, ResultView } from '../../../src/vscode/webviews/resultView';

const columns: ResultColumn[] = [
  { name: 'id', typeName: 'int8', kind: 'integer' },
  { name: 'name', typeName: 'varchar', kind: 'text' },
  { name: 'amount', typeName: 'numeric', kind: 'decimal' },
];

describe('host-side sort and filter', () => {
  it('compares decimal strings exactly, beyond 2^53', () => {
    assert.equal(compareDecimalStrings('9007199254740993', '9007199254740992'), 1);
    assert.equal(compareDecimalStrings('-10', '-9'), -1);
    assert.equal(compareDecimalStrings('1.50', '1.5'), 0);
    assert.equal(compareDecimalStrings('0.001', '-0'), 1);
    assert.equal(compareDecimalStrings('100', '99.999'), 1);
    assert.ok(Number.isNaN(compareDecimalStrings('NaN', '1')));
  });

  it('sorts by several columns, NULLs last in both directions, stable', () => {
    const rows: CellValue[][] = [
      [1, 'b', '10'], [2, null, '9'], [3, 'a', '9007199254740993'], [4, 'b', null], [5, 'a', '9007199254740992'],
    ];
    const byName = computeViewIndex(rows, columns, { sort: [{ column: 1, direction: 'asc' }, { column: 2, direction: 'desc' }], filter: '' });
    assert.deepEqual([...byName].map((i) => rows[i][0]), [3, 5, 1, 4, 2]);
    const byAmountDesc = computeViewIndex(rows, columns, { sort: [{ column: 2, direction: 'desc' }], filter: '' });
    assert.deepEqual([...byAmountDesc].map((i) => rows[i][0]), [3, 5, 1, 2, 4]);
  });

  it('filters case-insensitively on any cell, ignoring NULL', () => {
    const rows: CellValue[][] = [[1, 'Alpha', null], [2, 'beta', '1'], [3, null, 'ALPHABET']];
    assert.deepEqual([...computeViewIndex(rows, columns, { sort: [], filter: 'alpha' })], [0, 2]);
    assert.deepEqual([...computeViewIndex(rows, columns, { sort: [], filter: 'null' })], []);
  });

  it('serves sorted windows, bumps its version and returns to identity', async () => {
    const rows: CellValue[][] = Array.from({ length: 1000 }, (_, i) => [i, `n${i % 10}`, String(1000 - i)]);
    const view = new ResultView(new ArrayResultSource(columns, rows));
    await view.apply({ sort: [{ column: 2, direction: 'asc' }], filter: '' });
    assert.equal(view.version, 1);
    assert.deepEqual((await view.getRows(0, 2)).map((r) => r[0]), [999, 998]);
    await view.apply({ sort: [], filter: 'n3' });
    assert.equal(view.rowCount(), 100);
    await view.apply({ sort: [], filter: '' });
    assert.ok(view.isIdentity);
    assert.equal(view.rowCount(), 1000);
  });

  it('samples evenly for charts', async () => {
    const rows: CellValue[][] = Array.from({ length: 10_000 }, (_, i) => [i, 'x', String(i)]);
    const view = new ResultView(new ArrayResultSource(columns, rows));
    const s = await view.sample([0, 2], 100);
    assert.equal(s.rows.length, 100);
    assert.ok(s.sampled);
    assert.deepEqual(s.rows[1], [100, '100']);
    const small = await view.sample([0], 20_000);
    assert.equal(small.sampled, false);
    assert.equal(small.rows.length, 10_000);
  });
});
