import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellValue, ResultColumn } from '../../../src/core/ports';
import { exportResultSource } from '../../../src/vscode/webviews/exportWriter';
import { ArrayResultSource, PagedResultSource } from '../../../src/vscode/webviews/resultSource';

const columns: ResultColumn[] = [
  { name: 'id', typeName: 'int8', kind: 'integer' },
  { name: 'note', typeName: 'varchar', kind: 'text' },
  { name: 'amount', typeName: 'numeric', kind: 'decimal' },
];

describe('exportResultSource', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'quarry-export-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes CSV with RFC 4180 quoting, NULL as empty and "" for the empty string', async () => {
    const file = join(dir, 'out.csv');
    const source = new ArrayResultSource(columns, [
      ['9007199254740993', 'a,"b"', '12345678901234567890.12'],
      [2, '', null],
      [3, 'line\nbreak', '0.5'],
    ]);
    const outcome = await exportResultSource(source, file, 'csv');
    assert.deepEqual(outcome, { rows: 3, cancelled: false });
    assert.equal(readFileSync(file, 'utf8'), 'id,note,amount\n9007199254740993,"a,""b""",12345678901234567890.12\n2,"",\n3,"line\nbreak",0.5\n');
  });

  it('streams JSON Lines across many chunks from a paged source, reporting progress', async () => {
    const file = join(dir, 'out.jsonl');
    async function* pages(): AsyncGenerator<CellValue[][]> {
      for (let p = 0; p < 24; p++) yield Array.from({ length: 1000 }, (_, i): CellValue[] => [p * 1000 + i, i % 2 ? null : `n${i}`, '1.10']);
    }
    const source = new PagedResultSource(columns, pages());
    const progress: number[] = [];
    const outcome = await exportResultSource(source, file, 'jsonl', (n) => progress.push(n));
    assert.equal(outcome.rows, 24_000);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 24_000);
    assert.deepEqual(JSON.parse(lines[0]), { id: 0, note: 'n0', amount: '1.10' });
    assert.deepEqual(JSON.parse(lines[23_999]), { id: 23_999, note: null, amount: '1.10' });
    assert.ok(progress.length >= 4);
    assert.equal(progress[progress.length - 1], 24_000);
    assert.ok(progress.every((v, i) => i === 0 || v > progress[i - 1]));
  });

  it('writes a JSON array that parses back to the rows (empty result too)', async () => {
    const file = join(dir, 'out.json');
    await exportResultSource(new ArrayResultSource(columns, [[1, 'x', null], [2, '<b>', '3']]), file, 'json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), [{ id: 1, note: 'x', amount: null }, { id: 2, note: '<b>', amount: '3' }]);
    const empty = join(dir, 'empty.json');
    await exportResultSource(new ArrayResultSource(columns, []), empty, 'json');
    assert.deepEqual(JSON.parse(readFileSync(empty, 'utf8')), []);
  });

  it('stops on cancellation and removes the partial file', async () => {
    const file = join(dir, 'cancel.csv');
    const rows = Array.from({ length: 20_000 }, (_, i): CellValue[] => [i, 'x', '1']);
    const token = { isCancellationRequested: false };
    const outcome = await exportResultSource(new ArrayResultSource(columns, rows), file, 'csv', (n) => { if (n >= 5_000) token.isCancellationRequested = true; }, token);
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.rows < 20_000);
    assert.equal(existsSync(file), false);
  });
});
