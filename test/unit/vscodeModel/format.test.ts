import * as assert from 'node:assert/strict';
import { formatSql } from '../../../src/core/sql/format';

describe('formatSql', () => {
  it('formats Redshift SQL with upper-case keywords and the configured indent', () => {
    const r = formatSql('select a,b from t where x=1', { indent: 4 });
    assert.ok(r.ok);
    assert.match(r.ok ? r.text : '', /^SELECT\n {4}a,\n {4}b\nFROM/);
  });

  it("keeps a column's ENCODE on its line, and leaves the word alone in strings", () => {
    const r = formatSql("create table t (a integer encode raw not null, b varchar(10) encode lzo);\nselect encode(x, 'base64'), '\n  encode raw' from t;\n");
    assert.ok(r.ok);
    assert.match(r.text, /a integer ENCODE RAW NOT NULL,\n\s+b varchar\(10\) ENCODE LZO\n/i);
    assert.ok(r.text.includes("'\n  encode raw'"), r.text);
  });

  it('keeps every dbt Jinja block byte-identical', () => {
    const src = "select {{ dbt_utils.star(ref('x')) }} from {{ ref('stg_orders') }} o {% if is_incremental() %} where o.ts > (select max(ts) from {{ this }}) {% endif %}";
    const r = formatSql(src, { keywordCase: 'lower' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const blocks = (s: string) => s.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g);
    assert.deepEqual(blocks(r.ok ? r.text : ''), blocks(src));
  });

  it('leaves text with an unterminated string alone and says why', () => {
    const r = formatSql("select 'abc from t");
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /unterminated/);
  });

  it('keeps :name parameters', () => {
    const r = formatSql('select * from t where d >= :start_date');
    assert.ok(r.ok && r.text.includes(':start_date'));
  });

  it('leaves SQL alone when the formatter would split an operator it does not know, and says where', () => {
    // sql-formatter's Redshift grammar turns `->>` into `- >>` and `@>` into `@ >`: other queries, or none
    const json = formatSql("select id,\n  payload->>'status' as status from events");
    assert.equal(json.ok, false);
    assert.match(json.ok ? '' : json.reason, /line 2, column 10 \(`->>` would become `-`\)/);
    const array = formatSql('select id from t where tags @> array[1]');
    assert.equal(array.ok, false);
    assert.match(array.ok ? '' : array.reason, /`@>`/);
  });

  it('still formats when only layout, keyword case and comment indentation change', () => {
    const r = formatSql('select a, b::varchar(max) from t -- note\nwhere x != 1;\n  /* two\n     lines */ select 2', { keywordCase: 'upper' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.match(r.text, /^SELECT\n/);
    assert.ok(r.text.includes('b::VARCHAR(max)') && r.text.includes('-- note') && r.text.includes('x != 1'), r.text);
  });

  it('keeps Jinja glued to the names and tags it touches, so the rendered columns stay the same', () => {
    const r = formatSql("select {{ method }}_amount, p{{ i }}, {{ a }}{{ b }} from {{ ref('orders') }}");
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.ok(r.text.includes('{{ method }}_amount') && r.text.includes('p{{ i }}') && r.text.includes('{{ a }}{{ b }}'), r.text);
    const path = formatSql('select {{ root }}/{{ id }} from t');
    assert.equal(path.ok, false, 'a space around the / would change the rendered text');
  });

  it('refuses a layout that would move code into a -- comment once whitespace control has run', () => {
    // `{%-` pulls the tag onto the comment's line; the formatter would put `, y` after it on that line
    const r = formatSql('select x -- note\n{%- if flag %}\n, y\n{%- endif %}\nfrom t');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /-- comment would take in the code/);
  });

  it('keeps the line break after {{ sql }} (a model may end in a -- comment) and between continued strings', () => {
    const r = formatSql('create table x as (\n  {{ sql }}\n);\nselect \'foo\'\n\'bar\';');
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.match(r.text, /\{\{ sql \}\}[ \t]*\n[ \t]*\);/);
    assert.match(r.text, /'foo'[ \t]*\n[ \t]*'bar'/);
  });

  it('keeps dollar-quoted bodies and Jinja holding quoted braces whole', () => {
    const fn = formatSql('create function f() returns int as $body$ select $$x$$ $body$ language sql;');
    assert.ok(fn.ok, fn.ok ? '' : fn.reason);
    assert.ok(fn.text.includes('$body$ select $$x$$ $body$'), fn.text);
    const hook = formatSql('{{ config(post_hook="grant select on {{ this }} to role r") }}\nselect 1');
    assert.ok(hook.ok, hook.ok ? '' : hook.reason);
    assert.ok(hook.text.startsWith('{{ config(post_hook="grant select on {{ this }} to role r") }}\n'), hook.text);
  });

  it("refuses to split a prefixed literal (B'0101' would become the type cast B '0101')", () => {
    const r = formatSql("select B'0101', N'abc' from t");
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /`B'0101'`/);
  });

  it("writes types and Redshift's table attributes in the keywords' case", () => {
    const r = formatSql('create table t (orderid bigint not null encode az64, placed timestamp) diststyle key distkey (orderid) interleaved sortkey (placed);');
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.match(r.text, /orderid BIGINT NOT NULL ENCODE/);
    assert.match(r.text, /\) DISTSTYLE KEY DISTKEY \(orderid\) INTERLEAVED SORTKEY \(placed\);/);
    const lower = formatSql('SELECT CAST(a AS INTEGER) FROM t', { keywordCase: 'lower' });
    assert.ok(lower.ok && /cast\(a as integer\)/i.test(lower.text) && lower.text.includes('integer'), lower.ok ? lower.text : lower.reason);
  });
});
