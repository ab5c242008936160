import { strict as assert } from 'node:assert';
import { splitStatements, statementAt, statementsOf } from '../../../src/core/sql/splitter';

describe('splitter', () => {
  it('splits on ; outside strings, comments, dollar quotes and Jinja', () => {
    const sql = [
      "select ';' as a;",
      '-- comment; with semicolon',
      'create function f() returns int as $$ select 1; $$ language sql;',
      "select {{ ref('x;y') }} /* ; */ from t",
      ';',
    ].join('\n');
    const stmts = splitStatements(sql);
    assert.equal(stmts.length, 3);
    assert.equal(stmts[0].text, "select ';' as a");
    assert.ok(stmts[1].text.startsWith('-- comment; with semicolon\ncreate function'));
    assert.ok(stmts[1].text.endsWith('language sql'));
    assert.equal(stmts[2].text, "select {{ ref('x;y') }} /* ; */ from t");
    assert.equal(stmts[2].line, 4);
    for (const s of stmts) assert.equal(sql.slice(s.start, s.end), s.text);
  });

  it('drops segments that hold only comments or whitespace and keeps significant tokens only', () => {
    const stmts = splitStatements('  ;; /* only a comment */ ;\n select 1 -- trailing\n');
    assert.equal(stmts.length, 1);
    assert.deepEqual(stmts[0].tokens.map((t) => t.text), ['select', '1']);
    assert.equal(stmts[0].line, 2);
    assert.equal(stmts[0].column, 2);
  });

  it('reports an unterminated token in its statement', () => {
    const stmts = splitStatements("select 1; select 'oops; select 2;");
    assert.equal(stmts.length, 2);
    assert.equal(stmts[1].unterminated?.kind, 'string');
  });

  it('finds the statement at the cursor', () => {
    const sql = 'select 1;\n\nselect 2 from t;  \n\n  select 3';
    const at = (needle: string, delta = 0): string | undefined => statementAt(sql, sql.indexOf(needle) + delta)?.text;
    assert.equal(at('1'), 'select 1');
    assert.equal(at('2'), 'select 2 from t');
    assert.equal(at('from'), 'select 2 from t');
    assert.equal(at('t;', 2), 'select 2 from t'); // after the semicolon, same line
    assert.equal(statementAt(sql, sql.indexOf('\n\n  select 3') + 1)?.text, 'select 3'); // blank lines before: the next one
    assert.equal(statementAt(sql, sql.length)?.text, 'select 3');
    assert.equal(statementAt('', 0), undefined);
  });

  it('keeps the statements of the last text for the next request on the same text, and reads a changed text anew', () => {
    const text = 'select 1;\nselect a from t;';
    const first = statementsOf(text);
    const equal = [...text].join(''); // the same content, another string
    assert.equal(statementsOf(equal), first, 'an equal text is not split again');
    const changed = statementsOf(`${text}\nselect 2;`);
    assert.notEqual(changed, first);
    assert.equal(changed.length, 3);
  });
});
