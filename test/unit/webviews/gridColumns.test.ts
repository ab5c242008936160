import { strict as assert } from 'node:assert';
import { defaultWidth, displayType } from '../../../webview-ui/results/grid';

describe('results grid columns', () => {
  it('names engine types as Redshift DDL does', () => {
    assert.deepEqual(['int8', 'int4', 'int2', 'bool', 'float8', 'varchar(20)', 'numeric(12,2)', 'geography'].map(displayType), ['BIGINT', 'INTEGER', 'SMALLINT', 'BOOLEAN', 'DOUBLE PRECISION', 'VARCHAR(20)', 'NUMERIC(12,2)', 'geography']);
  });

  it('is wide enough for its name, its type and a 19-digit key', () => {
    assert.ok(defaultWidth({ name: 'revenue', typeName: 'numeric', kind: 'decimal' }) >= (7 + 7) * 7.5 + 56);
    assert.ok(defaultWidth({ name: 'tracking_no', typeName: 'int8', kind: 'integer' }) >= 160);
    assert.ok(defaultWidth({ name: 'n', typeName: 'int4', kind: 'integer' }) >= 110);
  });
});
