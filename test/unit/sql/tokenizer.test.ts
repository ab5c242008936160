import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringValue, tokenize, type Token } from '../../../src/core/sql/tokenizer';

const FIXTURES = join(__dirname, '../../fixtures/sql');

function significant(sql: string): Token[] {
  return tokenize(sql, { skipWhitespace: true, skipComments: true });
}

describe('tokenizer', () => {
  it('classifies keywords, identifiers, numbers, operators and punctuation with positions', () => {
    const toks = significant('SELECT o.qty * 2.5e3 AS Total\n  FROM sales.orderinfo o WHERE o.id >= 10;');
    const summary = toks.map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(summary.slice(0, 8), ['keyword:SELECT', 'identifier:o', 'punct:.', 'identifier:qty', 'operator:*', 'number:2.5e3', 'keyword:AS', 'identifier:Total']);
    assert.equal(toks[7].value, 'total');
    const from = toks.find((t) => t.value === 'from');
    assert.ok(from);
    assert.equal(from.line, 2);
    assert.equal(from.column, 3);
    assert.ok(toks.some((t) => t.kind === 'operator' && t.text === '>='));
    assert.equal(toks[toks.length - 1].text, ';');
  });

  it('is lossless: the token texts concatenate to the input', () => {
    const sql = readFileSync(join(FIXTURES, 'redshift_sales.sql'), 'utf8');
    const toks = tokenize(sql);
    assert.equal(toks.map((t) => t.text).join(''), sql);
    for (let i = 1; i < toks.length; i++) assert.equal(toks[i].offset, toks[i - 1].end);
  });

  it("reads '' escapes and E'' backslash escapes", () => {
    const toks = significant(`select 'it''s', E'a\\'b\\n', 'x'`);
    const strings = toks.filter((t) => t.kind === 'string');
    assert.equal(strings.length, 3);
    assert.equal(stringValue(strings[0]), "it's");
    assert.equal(stringValue(strings[1]), "a'b\n");
    assert.equal(stringValue(strings[2]), 'x');
  });

  it("reads B'', X'', N'' and U&'' literals and U&\"\" names whole, as PostgreSQL does", () => {
    const toks = significant(`select B'0101', x'1F', N'it''s', U&'d\\0061t', U&"d\\0061t" from t`);
    assert.deepEqual(toks.slice(1, 10).map((t) => `${t.kind}:${t.text}`), [
      "string:B'0101'", 'punct:,', "string:x'1F'", 'punct:,', "string:N'it''s'", 'punct:,', "string:U&'d\\0061t'", 'punct:,', 'quotedIdentifier:U&"d\\0061t"',
    ]);
    assert.equal(stringValue(toks[5]), "it's");
    assert.equal(stringValue(toks[1]), '0101');
    // a name that merely ends in one of the letters is not a prefix
    assert.deepEqual(significant("select ab'x'").map((t) => t.kind), ['keyword', 'identifier', 'string']);
  });

  it("ends an operator before a trailing + or -, as PostgreSQL does (x*-1 is * then -)", () => {
    const ops = (sql: string) => significant(sql).filter((t) => t.kind === 'operator').map((t) => t.text);
    assert.deepEqual(ops('select x*-1, a=-1, b<>-2, v+-3 from t'), ['*', '-', '=', '-', '<>', '-', '+', '-']);
    // with one of ~ ! @ # % ^ & | ` ? the run stays one operator
    assert.deepEqual(ops("select a @- b, c !~- d, e ->> 'k'"), ['@-', '!~-', '->>']);
  });

  it('keeps the case of quoted identifiers and undoes "" escapes', () => {
    const toks = significant('select "Order""Id", "Name" from T');
    const q = toks.filter((t) => t.kind === 'quotedIdentifier');
    assert.deepEqual(q.map((t) => t.value), ['Order"Id', 'Name']);
    assert.equal(toks[toks.length - 1].value, 't');
  });

  it('handles line comments and nested block comments', () => {
    const toks = tokenize('a -- x */ y\n/* one /* two */ still */ b');
    const comments = toks.filter((t) => t.kind === 'comment');
    assert.deepEqual(comments.map((t) => t.text), ['-- x */ y', '/* one /* two */ still */']);
    assert.deepEqual(toks.filter((t) => t.kind === 'identifier').map((t) => t.text), ['a', 'b']);
  });

  it('reads $$ and $tag$ dollar quotes, and $1 parameters', () => {
    const toks = significant('select $$a;b$$, $fn$ body $$ inner $$ $fn$, $1');
    const d = toks.filter((t) => t.kind === 'dollarString');
    assert.equal(d.length, 2);
    assert.equal(stringValue(d[0]), 'a;b');
    assert.equal(stringValue(d[1]), ' body $$ inner $$ ');
    assert.ok(toks.some((t) => t.kind === 'parameter' && t.text === '$1'));
  });

  it('reads dbt Jinja blocks as single tokens, even with }} inside a string', () => {
    const toks = significant("select * from {{ ref('a}}b') }} {% if x %}{# c #}");
    const j = toks.filter((t) => t.kind === 'jinja');
    assert.deepEqual(j.map((t) => t.text), ["{{ ref('a}}b') }}", '{% if x %}', '{# c #}']);
  });

  it('tells :name parameters from :: casts, and reads ? and #temp names', () => {
    const toks = significant('select x::int from #stage where id = :order_id and y = ?');
    assert.ok(toks.some((t) => t.kind === 'operator' && t.text === '::'));
    assert.ok(toks.some((t) => t.kind === 'parameter' && t.text === ':order_id'));
    assert.ok(toks.some((t) => t.kind === 'parameter' && t.text === '?'));
    assert.ok(toks.some((t) => t.kind === 'identifier' && t.text === '#stage'));
    assert.ok(!toks.some((t) => t.kind === 'parameter' && t.text === ':int'));
  });

  it('flags unterminated strings, identifiers, comments, dollar quotes and Jinja at EOF', () => {
    for (const sql of ["select 'abc", 'select "abc', 'select /* a /* b */', 'select $x$ abc', 'select {{ ref(', 'select {% if']) {
      const toks = tokenize(sql);
      const last = toks[toks.length - 1];
      assert.equal(last.unterminated, true, sql);
      assert.equal(last.end, sql.length, sql);
    }
    assert.ok(!tokenize("select 'abc'").some((t) => t.unterminated));
  });

  it('tracks lines across multi-line strings and comments', () => {
    const toks = significant("select 'a\nb', /* c\n\nd */ x\n, y");
    const x = toks.find((t) => t.value === 'x');
    const y = toks.find((t) => t.value === 'y');
    assert.equal(x?.line, 4);
    assert.equal(y?.line, 5);
    assert.equal(y?.column, 3);
  });

  it('is linear: several MB of SQL tokenize quickly', () => {
    const base = readFileSync(join(FIXTURES, 'redshift_sales.sql'), 'utf8') + readFileSync(join(FIXTURES, 'queries.sql'), 'utf8');
    const big = base.repeat(Math.ceil(4_000_000 / base.length));
    const t0 = performance.now();
    const toks = tokenize(big);
    const ms = performance.now() - t0;
    assert.ok(toks.length > 100_000);
    // ~4 MB; generous bound for a shared 2-core machine (linear code does this in well under a second)
    assert.ok(ms < 4000, `took ${ms.toFixed(0)} ms`);
    // pathological inputs stay linear too
    const t1 = performance.now();
    tokenize("'".repeat(200_000) + '/*'.repeat(100_000) + '$a'.repeat(100_000) + '{{'.repeat(100_000));
    assert.ok(performance.now() - t1 < 2000);
  });
});
