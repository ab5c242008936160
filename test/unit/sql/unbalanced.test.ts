import * as assert from 'node:assert/strict';
import { parseSql } from '../../../src/core/sql/ddlParser';

describe('parseSql on an unclosed column list', () => {
  it('reports the open parenthesis and still parses the next statement', () => {
    const r = parseSql('CREATE TABLE s.broken (\n  id INTEGER,\n  name VARCHAR(20\n;\nCREATE TABLE s.after_broken (id INTEGER);\n', 'b.sql');
    assert.equal(r.diagnostics.length, 1);
    assert.deepEqual([r.diagnostics[0].line, r.diagnostics[0].column], [1, 23]);
    assert.match(r.diagnostics[0].message, /not closed/);
    assert.ok(r.ddl.some((o) => o.op === 'createTable' && o.table.name === 'after_broken'));
  });
});
