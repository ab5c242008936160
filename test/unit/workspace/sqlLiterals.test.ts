import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSqlLiterals, findSqlLiterals } from '../../../src/core/workspace/sqlLiterals';

const dir = path.join(__dirname, '../../fixtures/workspace/code');
const read = (f: string): string => readFileSync(path.join(dir, f), 'utf8');
const joinKey = (j: { left: { table?: { name: string }; column: string }; right: { table?: { name: string }; column: string } }): string =>
  [`${j.left.table?.name}.${j.left.column}`, `${j.right.table?.name}.${j.right.column}`].sort().join(' = ');

describe('SQL in string literals', () => {
  it('finds SQL in PHP double-quoted strings and heredocs with source line numbers', () => {
    const r = analyzeSqlLiterals(read('vendors.php'), 'php', 'vendors.php');
    const byLine = new Map(r.joins.map((j) => [j.origin.line, joinKey(j)]));
    assert.equal(byLine.get(35), 'customers.customer_id = orders.customer_id');
    assert.equal(byLine.get(41), 'invoices.vendor_id = vendors.vendor_id');
    assert.ok(r.tableRefs.some((t) => t.schema === 'purchasing' && t.name === 'vendors' && t.origin.line === 40));
  });

  it('finds SQL in Python triple-quoted strings and TS template literals', () => {
    const py = analyzeSqlLiterals(read('status.py'), 'python', 'status.py');
    assert.deepEqual(py.joins.map((j) => [j.origin.line, joinKey(j)]), [[37, 'orders.store_id = stores.store_id']]);
    const ts = analyzeSqlLiterals(read('codes.ts'), 'typescript', 'codes.ts');
    assert.deepEqual(ts.joins.map((j) => [j.origin.line, joinKey(j)]), [[29, 'customers.customer_id = orders.customer_id']]);
  });

  it("reads a template literal's ${…} as a value, never as a column of a join", () => {
    const src = 'const q = `SELECT t.id FROM hr.teams t JOIN hr.people p ON p.team_id = t.id\n  WHERE p.id = ${pid} AND t.org_id = ${org.id}`;\n';
    const r = analyzeSqlLiterals(src, 'typescript', 'q.ts');
    assert.deepEqual(r.joins.map((j) => [j.origin.line, joinKey(j)]), [[1, 'people.team_id = teams.id']]);
  });

  it('joins concatenated parts keeping each part on its own line', () => {
    const src = 'String q = "SELECT a.id FROM app.a a "\n  + "JOIN app.b b ON b.a_id = a.id";\n';
    const lits = findSqlLiterals(src, 'java');
    assert.equal(lits.length, 1);
    assert.equal(lits[0]!.sql.split('\n').length, 2);
    const r = analyzeSqlLiterals(src, 'java', 'Q.java');
    assert.equal(r.joins[0]?.origin.line, 2);
  });

  it('ignores strings that are not queries', () => {
    assert.equal(findSqlLiterals("$x = 'select a colour from the list';\n$y = 'Hello';", 'php').length, 1);
    assert.equal(findSqlLiterals("x = 'Selected items'\ny = 'with love'", 'python').length, 0);
  });
});
