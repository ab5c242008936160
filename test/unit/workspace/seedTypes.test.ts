import * as assert from 'node:assert/strict';
import { inferSeedType, normalizeSeedValue } from '../../../src/core/workspace/seedTypes';

/**
 * What `dbt seed` (dbt-core 1.10, dbt-postgres 1.9) declared for each column, read from its own type tester and
 * `PostgresAdapter.convert_agate_type` on a CSV holding these values.
 */
const DBT_DECLARED: Array<[string, string[], string]> = [
  ['integers', ['1', '2', '-3'], 'integer'],
  ['leading zeros', ['007', '010', '1'], 'integer'],
  ['decimals', ['1.5', '2'], 'float8'],
  ['trailing zeros only', ['1.0', '2.00'], 'integer'],
  ['exponent', ['1e3', '2'], 'integer'],
  ['negative exponent', ['1e-3', '2'], 'float8'],
  ['plus sign', ['+5', '6'], 'integer'],
  ['true/false', ['true', 'false'], 'boolean'],
  ['any case', ['True', 'FALSE'], 'boolean'],
  ['t/f', ['t', 'f'], 'text'],
  ['yes/no', ['yes', 'no'], 'text'],
  ['1/0', ['1', '0'], 'integer'],
  ['dates', ['2024-01-02', '2024-12-31'], 'date'],
  ['one-digit month', ['2024-1-2', '2024-12-31'], 'date'],
  ['impossible date', ['2024-02-30', '2024-01-01'], 'text'],
  ['timestamp without seconds', ['2024-01-02 03:04:05', '2024-01-02 03:04'], 'text'],
  ['timestamps', ['2024-01-02 03:04:05', '2024-12-31 23:59:59'], 'timestamp without time zone'],
  ['space and fraction', ['2024-01-02 03:04:05.123'], 'text'],
  ['ISO 8601', ['2024-01-02T03:04:05', '2024-01-02T03:04:05.123'], 'timestamp without time zone'],
  ['ISO hours only', ['2024-01-02T03'], 'timestamp without time zone'],
  ['ISO with zones', ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05+02:00'], 'timestamp without time zone'],
  ['space and zone', ['2024-01-02 03:04:05+02:00'], 'text'],
  ['dates and timestamps', ['2024-01-02', '2024-01-02 03:04:05'], 'text'],
  ['ISO and space timestamps', ['2024-01-02T00:00:00', '2024-01-02 03:04:05'], 'text'],
  ['only nulls', ['null', '', ''], 'integer'],
  ['nulls among numbers', ['1', 'NULL', ''], 'integer'],
  ['text', ['abc', '1'], 'text'],
  ['group separators', ['1,000', '2'], 'integer'],
  ['padded', [' 1 ', '2'], 'integer'],
  ['currency', ['$1', '2'], 'integer'],
  ['euro decimals', ['€1.50', '2'], 'float8'],
  ['negative currency', ['-$5', '3'], 'integer'],
  ['times of day', ['03:04:05', '04:05:06'], 'text'],
  ['percent', ['5%', '6%'], 'integer'],
  ['leading dot', ['-0.5', '.5'], 'float8'],
  ['underscores', ['1_000', '2'], 'integer'],
  ['trailing dot', ['1.', '2'], 'integer'],
  ['true and 1', ['true', '1'], 'text'],
  ['comma in boolean', ['tr,ue', 'false'], 'boolean'],
  ['hexadecimal', ['0x1F', '2'], 'text'],
  ['space inside', ['1 000', '2'], 'text'],
  ['two signs', ['+-1', '2'], 'text'],
];

describe('dbt seed column types', () => {
  for (const [what, values, declared] of DBT_DECLARED) {
    it(`${what}: ${declared}`, () => assert.equal(inferSeedType(values).dataType, declared));
  }

  it('departs from dbt only where its load would fail: beyond integer, beyond bigint, NaN and Infinity', () => {
    assert.equal(inferSeedType(['1', '3000000000']).dataType, 'bigint');
    assert.equal(inferSeedType(['12345678901234567890']).dataType, 'numeric');
    assert.equal(inferSeedType(['NaN', '1']).dataType, 'float8');
    assert.equal(inferSeedType(['-Infinity', '1']).dataType, 'float8');
  });

  it('tells nullability and the family', () => {
    assert.deepEqual(inferSeedType(['1', '']), { dataType: 'integer', typeFamily: 'integer', nullable: true, needsNormalizing: false });
    assert.equal(inferSeedType(['2024-01-02T03:04']).typeFamily, 'timestamp');
    assert.equal(inferSeedType(['x']).nullable, false);
  });

  it('says when the numbers must be rewritten for a database to read them, and rewrites them as dbt loads them', () => {
    assert.equal(inferSeedType(['1', ' 2 ', '+3']).needsNormalizing, false);
    assert.equal(inferSeedType(['1.5', '-.5', '1e-3']).needsNormalizing, false);
    for (const odd of [['$1,200'], ['5%'], ['1e3'], ['1.0'], ['1_000']]) assert.equal(inferSeedType(odd).needsNormalizing, true, odd[0]);
    assert.equal(normalizeSeedValue('$1,200', 'integer'), '1200');
    assert.equal(normalizeSeedValue('-$5', 'integer'), '-5');
    assert.equal(normalizeSeedValue('5%', 'integer'), '5');
    assert.equal(normalizeSeedValue('1e3', 'integer'), '1000');
    assert.equal(normalizeSeedValue('2.00', 'integer'), '2');
    assert.equal(normalizeSeedValue('€1.50', 'float8'), '1.50');
    assert.equal(normalizeSeedValue('12345678901234567890', 'numeric'), '12345678901234567890');
    assert.equal(normalizeSeedValue('abc', 'integer'), 'abc');
  });
});
