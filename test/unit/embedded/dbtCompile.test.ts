import assert from 'node:assert/strict';
import { compileDbtModel, type DbtCompileResolver } from '../../../src/core/sql/dbtCompile';

const MODELS: Record<string, string> = { stg_orders: 'staging.stg_orders', 'pkg.util': 'other.util', country_codes: 'reference.country_codes' };

const resolver: DbtCompileResolver = {
  ref: (args) => MODELS[args.join('.')],
  source: (s, t) => (s === 'sales' ? `raw_sales.${t}` : undefined),
  self: 'marts.fct_orders',
  columnsOf: (relation) => (relation.name === 'stg_orders' ? ['order_id', 'Status', 'select', '_loaded_at'] : undefined),
};

function sqlOf(text: string): string {
  const result = compileDbtModel(text, resolver);
  if ('error' in result) assert.fail(`unexpected error: ${result.error}`);
  return result.sql;
}

function errorOf(text: string): string {
  const result = compileDbtModel(text, resolver);
  if (!('error' in result)) assert.fail(`expected an error, got SQL: ${result.sql}`);
  return result.error;
}

describe('compileDbtModel', () => {
  it('replaces ref() with the resolved relation, with one or two arguments and either quote style', () => {
    assert.equal(sqlOf(`select * from {{ ref('stg_orders') }} o join {{ref("pkg", "util")}} u on true`), 'select * from staging.stg_orders o join other.util u on true');
  });

  it('replaces source() with the resolved relation', () => {
    assert.equal(sqlOf(`select * from {{ source('sales', 'orderinfo') }}`), 'select * from raw_sales.orderinfo');
  });

  it('replaces {{ this }} with the model itself', () => {
    assert.equal(sqlOf(`select max(id) from {{ this }}`), 'select max(id) from marts.fct_orders');
  });

  it('honours whitespace-control marks', () => {
    assert.equal(sqlOf(`select max(id) from\n  {{- this -}}\n  as x`), 'select max(id) frommarts.fct_ordersas x');
  });

  it('drops config() calls, also multi-line ones, and Jinja comments', () => {
    const text = `{{\n  config(materialized='incremental', sort=['a', 'b'])\n}}\n{# a note with {{ ref('x') }} #}select 1`;
    assert.equal(sqlOf(text), '\nselect 1');
  });

  it('keeps the non-incremental branch of is_incremental() blocks', () => {
    const text = `select * from t {% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}`;
    assert.equal(sqlOf(text), 'select * from t ');
    const withElse = `select * from {% if is_incremental() %}{{ this }}{% else %}{{ ref('stg_orders') }}{% endif %}`;
    assert.equal(sqlOf(withElse), 'select * from staging.stg_orders');
    const negated = `select 1 {%- if not is_incremental() %} as full_build{% endif %}`;
    assert.equal(sqlOf(negated), 'select 1 as full_build');
  });

  it('does not resolve refs inside the skipped incremental branch', () => {
    assert.equal(sqlOf(`select 1 {% if is_incremental() %}{{ ref('unknown') }}{% endif %}`), 'select 1 ');
  });

  it("writes dbt_utils.star()'s columns out from the catalog: some left out, qualified, renamed, quoted where needed", () => {
    assert.equal(
      sqlOf(`select {{ dbt_utils.star(from=ref('stg_orders'), except=["_LOADED_AT"], relation_alias='o', prefix='o_') }} from {{ ref('stg_orders') }} o`),
      'select o.order_id as o_order_id,\n  o."Status" as "o_Status",\n  o."select" as o_select from staging.stg_orders o',
    );
    assert.equal(sqlOf(`select {{ dbt_utils.star(ref('stg_orders')) }}`), 'select order_id,\n  "Status",\n  "select",\n  _loaded_at');
  });

  it("computes dbt_utils.generate_surrogate_key() as dbt_utils does: md5 of the parts as text, '-' between, nulls as its placeholder", () => {
    assert.equal(
      sqlOf(`select {{ dbt_utils.generate_surrogate_key(['o.order_id', "coalesce(o.status, 0)"]) }} as k`),
      "select md5(cast(coalesce(cast(o.order_id as text), '_dbt_utils_surrogate_key_null_') || '-' || coalesce(cast(coalesce(o.status, 0) as text), '_dbt_utils_surrogate_key_null_') as text)) as k",
    );
  });

  it('renders {% set %} lists, {% for %} loops over them, loop.last and the variables, as Jinja does (checked against jinja2)', () => {
    const text = [
      "{% set methods = ['credit_card', 'coupon'] -%}",
      "{%- set cents = 100 %}",
      'select order_id,',
      '  {% for m in methods -%}',
      "  sum(case when payment_method = '{{ m }}' then amount / {{ cents }} else 0 end) as {{ m }}_amount{% if not loop.last %},{% endif %}",
      '  {% endfor %}',
      "from {{ ref('stg_orders') }} {% if is_incremental() %}where true{% endif %}",
    ].join('\n');
    assert.equal(
      sqlOf(text),
      [
        '',
        'select order_id,',
        "  sum(case when payment_method = 'credit_card' then amount / 100 else 0 end) as credit_card_amount,",
        "  sum(case when payment_method = 'coupon' then amount / 100 else 0 end) as coupon_amount",
        '  ',
        'from staging.stg_orders ',
      ].join('\n'),
    );
    // an error inside an unrolled loop names the line of the file
    assert.match(errorOf("{% set xs = [1, 2] %}\nselect\n{% for x in xs %}{{ var('v') }}{% endfor %}"), /line 3\)$/);
  });

  it('names unsupported Jinja constructs', () => {
    assert.match(errorOf(`{% for c in cols %}{{ c }},{% endfor %} select 1`), /^unsupported Jinja: \{% for %\}/);
    assert.match(errorOf(`{% set x = var('cols') %} select 1`), /^unsupported Jinja: \{% set %\}/);
    assert.match(errorOf(`select {{ var('start') }}`), /^unsupported Jinja: var\(\)/);
    assert.match(errorOf(`select {{ dbt_utils.star(ref('stg_orders'), except=var('x')) }}`), /^unsupported Jinja: \{\{ dbt_utils\.star/);
    assert.match(errorOf(`select {{ dbt_utils.star(ref('country_codes')) }}`), /^dbt_utils\.star\(\) over country_codes, whose columns are not known/);
    assert.match(errorOf(`{% macro m() %}1{% endmacro %}`), /^unsupported Jinja: \{% macro %\}/);
    assert.match(errorOf(`select * from t {% if target.name == 'dev' %}limit 10{% endif %}`), /^unsupported Jinja: \{% if %\} other than is_incremental\(\)/);
    assert.match(errorOf(`select {{ ref('stg_orders') ~ '_x' }}`), /^unsupported Jinja: ref\(\)/);
  });

  it('reports unbalanced if blocks and unterminated Jinja', () => {
    assert.match(errorOf(`select 1 {% if is_incremental() %} where true`), /no \{% endif %\}/);
    assert.match(errorOf(`select 1 {% endif %}`), /\{% endif %\} without \{% if %\}/);
    assert.match(errorOf(`select 1 {% else %}`), /\{% else %\} without \{% if %\}/);
    assert.match(errorOf(`select * from {{ ref('stg_orders')`), /unterminated \{\{/);
  });

  it('refuses Jinja inside strings or comments rather than render it differently from dbt', () => {
    assert.match(errorOf(`select '{{ var("x") }}' as v`), /Jinja inside a string/);
    assert.match(errorOf(`select 1 -- {{ ref('stg_orders') }}`), /Jinja inside a comment/);
  });

  it('reports a ref() or source() that does not resolve, with its arguments', () => {
    assert.match(errorOf(`select * from {{ ref('nope') }}`), /ref\('nope'\) does not resolve/);
    assert.match(errorOf(`select * from {{ source('crm', 'leads') }}`), /source\('crm', 'leads'\) does not resolve/);
  });

  it('leaves Jinja-free SQL untouched', () => {
    const text = "select a::int, 'x' as y -- note\nfrom s.t where b = $$z$$";
    assert.equal(sqlOf(text), text);
  });
});
