import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeCsv } from '../../../src/adapters/embedded/csv';
import { inferSeedType } from '../../../src/core/workspace/seedTypes';
import { dbtPythonOrSkip } from '../dbtToolchain';
import { mulberry32 } from '../prng';

/**
 * Seed column types against dbt itself: random columns of values in the formats seeds hold (and the near misses), the
 * types dbt-core + dbt-postgres declare for them, and ours. scripts/test.sh installs that dbt (scripts/ensure-dbt.sh)
 * and requires it; elsewhere the test runs when QUARRY_DBT_PYTHON or the default install is there.
 */
const POOLS: Array<(r: () => number) => string> = [
  (r) => String(Math.floor(r() * 2000) - 1000),
  (r) => `00${Math.floor(r() * 90)}`,
  (r) => (r() * 100).toFixed(Math.floor(r() * 3)),
  (r) => `${Math.floor(r() * 9) + 1}e${Math.floor(r() * 7) - 3}`,
  (r) => `$${Math.floor(r() * 5000).toLocaleString('en-US')}`,
  (r) => `${Math.floor(r() * 100)}%`,
  (r) => String(3_000_000_000 + Math.floor(r() * 1000)),
  (r) => ['true', 'false', 'TRUE', 'False'][Math.floor(r() * 4)]!,
  (r) => ['t', 'f', 'yes', 'no', '1', '0'][Math.floor(r() * 6)]!,
  (r) => `2024-${1 + Math.floor(r() * 12)}-${1 + Math.floor(r() * 31)}`,
  (r) => `2024-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
  (r) => `2024-03-0${1 + Math.floor(r() * 9)} ${10 + Math.floor(r() * 14)}:${10 + Math.floor(r() * 50)}:${10 + Math.floor(r() * 50)}`,
  (r) => `2024-03-0${1 + Math.floor(r() * 9)} 1${Math.floor(r() * 9)}:30`,
  (r) => `2024-03-0${1 + Math.floor(r() * 9)}T1${Math.floor(r() * 9)}:30${['', ':15', ':15.250', 'Z', '+02:00', ':15-05:00'][Math.floor(r() * 6)]}`,
  (r) => `1${Math.floor(r() * 9)}:30:00`,
  (r) => ['', 'null', 'NULL', ' '][Math.floor(r() * 4)]!,
  (r) => ['abc', 'N/A', '-', '1 000', '0x1F', '+-1', '1.2.3'][Math.floor(r() * 7)]!,
];

describe('dbt seed column types, checked against dbt', function () {
  this.timeout(120_000);
  let python: string | undefined;
  let dir: string;
  before(function () {
    python = dbtPythonOrSkip(this);
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-dbt-seed-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('declares the type dbt declares for 400 random columns (mixed formats, nulls and near misses)', () => {
    const r = mulberry32(20261127);
    const columns: string[][] = [];
    for (let c = 0; c < 400; c++) {
      // mostly one or two formats per column, so that every type is reached, not only text
      const pools = [POOLS[Math.floor(r() * POOLS.length)]!, POOLS[Math.floor(r() * POOLS.length)]!];
      const mixed = r() < 0.35;
      const rows = 1 + Math.floor(r() * 6);
      columns.push(Array.from({ length: rows }, () => (mixed ? pools[Math.floor(r() * 2)]! : pools[0]!)(r)));
    }
    const height = Math.max(...columns.map((c) => c.length));
    const header = columns.map((_, i) => `c${i}`);
    const body = Array.from({ length: height }, (_, row) => columns.map((c) => c[row] ?? ''));
    const file = path.join(dir, 'random_seed.csv');
    writeFileSync(file, writeCsv([header, ...body]));
    const script = path.resolve(__dirname, '../../tools/dbt_seed_types.py');
    const declared = JSON.parse(execFileSync(python!, [script, file], { encoding: 'utf8' })) as Record<string, string>;

    const differences: string[] = [];
    const seen = new Set<string>();
    columns.forEach((values, i) => {
      const padded = [...values, ...Array<string>(height - values.length).fill('')];
      const ours = inferSeedType(padded).dataType;
      let theirs = declared[`c${i}`]!;
      // where dbt's own load would fail, ours is the type a load needs (see seedTypes)
      if (theirs === 'integer' && (ours === 'bigint' || ours === 'numeric')) theirs = ours;
      seen.add(theirs);
      if (ours !== theirs) differences.push(`${JSON.stringify(values)}: dbt ${theirs}, Quarry ${ours}`);
    });
    assert.deepEqual(differences, []);
    // the columns reached every type dbt gives seeds (a generator that made only text would prove nothing)
    assert.deepEqual([...seen].sort(), ['bigint', 'boolean', 'date', 'float8', 'integer', 'text', 'timestamp without time zone']);
  });
});
