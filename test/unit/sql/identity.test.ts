import * as assert from 'node:assert/strict';
import { renderCreateTable } from '../../../src/core/catalog/ddlWriter';
import { parseSql } from '../../../src/core/sql/ddlParser';

describe('IDENTITY(seed, step)', () => {
  it('keeps seed and step from the DDL through to the rebuilt DDL', () => {
    const r = parseSql('CREATE TABLE s.t (id BIGINT IDENTITY(100, 5) NOT NULL, name VARCHAR(20));', 't.sql');
    const op = r.ddl.find((o) => o.op === 'createTable');
    assert.ok(op && op.op === 'createTable');
    const id = op.table.columns[0];
    assert.deepEqual([id.identity, id.identitySeed, id.identityStep], [true, 100, 5]);
    assert.match(renderCreateTable(op.table, 'redshift'), /IDENTITY\(100,\s*5\)/i);
  });
});
