import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSql } from '../../../src/core/sql/ddlParser';
import { analyzeQuery } from '../../../src/core/sql/queryAnalysis';
import { splitStatements, statementAt } from '../../../src/core/sql/splitter';
import { tokenize } from '../../../src/core/sql/tokenizer';
import { renderStaticJinja } from '../../../src/core/sql/jinjaRender';
import { compileDbtModel } from '../../../src/core/sql/dbtCompile';
import { extractDbtModel, extractDbtSnapshots } from '../../../src/core/workspace/sqlExtractor';
import { mulberry32 } from '../prng';

const FIXTURES = join(__dirname, '../../fixtures/sql');
const CORPUS_FILES = ['redshift_sales.sql', 'queries.sql', 'dbt/models/orders_enriched.sql', 'broken.sql'];

const INJECT = [
  "'", '"', '$$', '$x$', '/*', '*/', '--', '{{', '}}', '{%', '%}', '{#', '(', ')', ';', ',', '.', '=', '::', 'E\'', '\\',
  'select', 'from', 'join', 'left join', 'on', 'using', 'where', 'and', 'or', 'with', 'as', 'create table', 'create view',
  'alter table', 'add', 'drop', 'comment on column', 'is', 'references', 'primary key', 'sortkey', 'distkey', 'encode',
  'identity(1,1)', 'union all', '(select', "{{ ref('m') }}", "{{ source('s','t') }}", 'x.y', 'a.b = c.d', 'case when', 'end',
  ':p', '$1', '#tmp', '\n', ' ', '*', 'o.*', ', x.*', '::numeric(12,2)', 'cast(', '{% snapshot s %}', '{% endsnapshot %}',
  '{{ config(', "unique_key=['a', ", "meta={'k': ", 'snapshot_meta_column_names={', "hard_deletes='new_record'", 'enabled=False',
  'sum(', 'avg(distinct ', 'using (k)', 'create procedure p() as $$ begin', 'end; $$ language plpgsql', 'language sql', 'for r in',
  'loop', 'end loop', 'then', "execute 'select", 'create function f() returns int as $$ select',
  "{{ dbt_utils.star(from=ref('m'), except=['a'], prefix='p_') }}", "{{ dbt_utils.star(ref('m')) }}", "{{ dbt_utils.generate_surrogate_key(['a', 'b']) }}",
  "{% set xs = ['a', 'b'] %}", '{% for x in xs %}', '{% endfor %}', '{{ x }}', '{% if loop.last %}', '{% else %}', '{% endif %}', '{%- ', ' -%}',
  "{{ ',' if not loop.last }}", '{% for y in [1, 2, 3] -%}', '{{ loop.index }}', '(+)', 'a.x(+) = b.y',
];

const SEED = Number(process.env.QUARRY_FUZZ_SEED ?? 20240611);
const CASES = Number(process.env.QUARRY_FUZZ_CASES ?? 3000);
const PER_CASE_MS = 500; // generous: the machine is shared; a real hang takes far longer

describe('fuzz: tokenizer, splitter, parser and analysis never throw and always finish', function () {
  this.timeout(60_000);

  const corpus = CORPUS_FILES.map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
  const pieces = corpus.flatMap((text) => splitStatements(text).map((s) => s.text));

  function mutate(rand: () => number): string {
    // 1-4 consecutive statements as the base
    const start = Math.floor(rand() * pieces.length);
    const count = 1 + Math.floor(rand() * 4);
    const base = pieces.slice(start, start + count).join(';\n');
    const toks = tokenize(base).map((t) => t.text);
    const edits = 1 + Math.floor(rand() * 6);
    for (let e = 0; e < edits && toks.length > 0; e++) {
      const at = Math.floor(rand() * toks.length);
      const kind = rand();
      if (kind < 0.25) toks.splice(at, 1 + Math.floor(rand() * 3));
      else if (kind < 0.45) toks.splice(at, 0, ...toks.slice(at, at + 1 + Math.floor(rand() * 5)));
      else if (kind < 0.8) toks.splice(at, 0, INJECT[Math.floor(rand() * INJECT.length)]);
      else if (kind < 0.9) toks.length = at; // truncate
      else {
        const other = Math.floor(rand() * toks.length);
        [toks[at], toks[other]] = [toks[other], toks[at]];
      }
    }
    return toks.join('');
  }

  function check(text: string, label: string, rand: () => number): number {
    const t0 = performance.now();
    const toks = tokenize(text);
    assert.equal(toks.map((t) => t.text).join(''), text, `${label}: tokenizer is lossless`);
    const stmts = splitStatements(text, toks);
    let last = -1;
    for (const s of stmts) {
      assert.ok(s.start > last && s.end <= text.length && s.start <= s.end, `${label}: statement offsets`);
      last = s.end;
    }
    statementAt(text, Math.floor(rand() * (text.length + 1)), stmts);
    const r = parseSql(text, 'fuzz.sql');
    for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, `${label}: diagnostic position`);
    for (const j of r.queries.joins) assert.ok(j.left.column && j.right.column, `${label}: join columns`);
    analyzeQuery(text, 'fuzz.sql', 3, { columnOffset: 4 });
    extractDbtModel('models/fuzz.sql', text, { project: 'p' });
    // the static Jinja renderer: every rendered offset maps into the source
    const rendered = renderStaticJinja(text);
    for (let k = 0; k < 4 && rendered.text.length; k++) {
      const at = rendered.sourceOffset(Math.floor(rand() * rendered.text.length));
      assert.ok(at >= 0 && at <= text.length, `${label}: rendered offset maps into the source`);
    }
    compileDbtModel(text, { ref: (a) => a.join('.'), source: (a, b) => `${a}.${b}`, self: 'me', columnsOf: () => ['a', 'b'] });
    extractDbtSnapshots('snapshots/fuzz.sql', `{% snapshot fuzz %}\n${text}\n{% endsnapshot %}`, { project: 'p' });
    const ms = performance.now() - t0;
    assert.ok(ms < PER_CASE_MS, `${label}: took ${ms.toFixed(0)} ms`);
    return ms;
  }

  it(`survives ${CASES} mutated fixture statements (seed ${SEED})`, () => {
    const rand = mulberry32(SEED);
    let worst = 0;
    for (let i = 0; i < CASES; i++) {
      const text = mutate(rand);
      try {
        worst = Math.max(worst, check(text, `case ${i}`, rand));
      } catch (err) {
        // keep the failing input in the message so it can become a unit test
        throw new Error(`case ${i} (seed ${SEED}) failed on input:\n${text}\n---\n${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    assert.ok(worst < PER_CASE_MS);
  });

  it('survives pathological shapes', () => {
    const rand = mulberry32(SEED + 1);
    const deep = 3000;
    const cases = [
      '('.repeat(deep) + 'select 1' + ')'.repeat(deep),
      'select * from ' + '('.repeat(deep) + 'select 1',
      'select 1 from a where ' + 'a.x = b.y and '.repeat(3000) + 'true',
      'with ' + Array.from({ length: 500 }, (_, i) => `c${i} as (select * from c${i + 1})`).join(', ') + ' select * from c0 join c1 on c0.a = c1.b',
      'create table t (' + 'c int encode zstd, '.repeat(3000) + 'd int)',
      'select ' + 'case when '.repeat(2000) + 'x',
      "{{ ref('a') ".repeat(2000),
      '/* /* /* '.repeat(1000),
      'select a from t join '.repeat(2000),
      ';'.repeat(10_000),
      'create table x (a int references ' + 'y.'.repeat(2000) + 'z)',
      'with r as (select a, b from t) select ' + 'r.*, '.repeat(3000) + '* from r join s on s.a = r.a',
      '{% snapshot a %}'.repeat(2000) + 'select * from t',
      'select ' + '(x::int)::'.repeat(1500) + 'int from t',
      '{{ config(a=' + '['.repeat(20_000) + ']'.repeat(20_000) + ", schema='s') }} select 1",
      "{{ config(meta={'a': " + "{'b': ".repeat(5000) + "'x'" + '}'.repeat(5000) + ') }}',
      'select ' + 'sum('.repeat(3000) + 'x' + ')'.repeat(3000) + ' from t',
      'select * from a ' + 'join b using (k) '.repeat(2000) + 'join c on k = c.k',
      'with c0 as (select v from t), ' + Array.from({ length: 60 }, (_, i) => `c${i + 1} as (select v * v * v + v as v from c${i})`).join(', ') + ' select v, sum(v) from c60',
      'select ' + Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' * ') + ' as p from t',
      'create procedure p() as $$ begin ' + 'for r in select a.x from a join b on a.x = b.y loop '.repeat(2000) + 'end; $$ language plpgsql',
      'create procedure p() as $$ ' + 'if x then else begin loop in for as then '.repeat(3000) + 'select 1 $$',
      "create function f() returns int language sql as '" + "execute ''select ".repeat(2000) + "'",
      'create procedure p() as $$ ' + "execute 'select * from a join b on a.x = b.y'; ".repeat(2000) + '$$ language plpgsql',
      "select {{ dbt_utils.star(from=ref('a'), except=[" + "'x', ".repeat(5000) + "]) }} from {{ ref('a') }}",
      "select {{ dbt_utils.star(from=ref('a'), except=" + '['.repeat(3000) + ') }}, ' + "{{ dbt_utils.star(ref('b')) }}, ".repeat(2000) + '1',
      '{% for a in [1,2,3,4,5,6,7,8,9,10] %}'.repeat(12) + 'select {{ a }} as c{{ loop.index }}, ' + '{% endfor %}'.repeat(12),
      '{% if true %}'.repeat(5000) + 'x' + '{% endif %}'.repeat(5000),
      "{% set xs = [" + "'a', ".repeat(20_000) + "] %}{% for x in xs %}{{ x }}_c, {% endfor %}",
      '{% for x in [1] %}{{ '.repeat(3000),
    ];
    for (const [i, text] of cases.entries()) check(text, `pathological ${i}`, rand);
  });
});
