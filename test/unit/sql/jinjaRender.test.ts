import { strict as assert } from 'node:assert';
import { renderStaticJinja } from '../../../src/core/sql/jinjaRender';
import { extractDbtModel } from '../../../src/core/workspace/sqlExtractor';

const render = (text: string): string => renderStaticJinja(text).text;

describe('renderStaticJinja', () => {
  it("names a pivot's columns: the loop over a list set in the model unrolled, its variable and loop.last rendered", () => {
    const model = [
      "{% set payment_methods = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'] %}",
      'with payments as (select * from {{ ref("stg_payments") }})',
      'select',
      '    order_id,',
      '    {% for payment_method in payment_methods -%}',
      "    sum(case when payment_method = '{{ payment_method }}' then amount else 0 end) as {{ payment_method }}_amount{% if not loop.last %},{% endif %}",
      '    {% endfor %}',
      'from payments',
      'group by order_id',
    ].join('\n');
    const facts = extractDbtModel('models/order_payments.sql', model, { project: 'jaffle_shop' });
    const created = facts.ddl[0]!;
    assert.ok(created.op === 'createTable');
    assert.deepEqual(
      created.table.columns.map((c) => c.name),
      ['order_id', 'credit_card_amount', 'coupon_amount', 'bank_transfer_amount', 'gift_card_amount'],
    );
    // each column is defined where the select list names it (hover and go to definition lead there), a loop's at the loop
    const at = (name: string) => created.table.columns.find((c) => c.name === name)!.origin;
    const lineOf = (needle: string) => model.split('\n').findIndex((l) => l.includes(needle)) + 1;
    assert.equal(at('order_id').line, lineOf('order_id,'));
    assert.equal(at('coupon_amount').line, lineOf('_amount{% if'));
  });

  it('puts facts from an unrolled loop at their place in the file, and leaves what it cannot evaluate as written', () => {
    const model = [
      "{% set parts = ['a', 'b'] %}",
      'select o.id',
      "from {{ ref('orders') }} o",
      '{% for p in parts %}',
      "left join {{ ref('part_' ~ p) }} x_{{ p }} on x_{{ p }}.order_id = o.id",
      '{% endfor %}',
      '{% for p in parts %}',
      "join {{ ref('part_a') }} y{{ loop.index }} on y{{ loop.index }}.order_id = o.id",
      '{% endfor %}',
    ].join('\n');
    const facts = extractDbtModel('models/m.sql', model, { project: 'p' });
    // ref('part_' ~ p) is not rendered (only what Jinja would give for sure is): those joins name no relation
    assert.deepEqual(
      facts.joins.map((j) => `${j.left.table?.name ?? '?'}.${j.left.column}=${j.right.table?.name ?? '?'}.${j.right.column}@${j.origin.line}:${j.origin.column}`),
      ['part_a.order_id=orders.id@8:47', 'part_a.order_id=orders.id@8:47'],
    );
  });

  it('renders for-else, nested loops, loop attributes, filters, comparisons and conditional expressions', () => {
    assert.equal(render('{% for x in [] %}{{ x }}{% else %}none{% endfor %}'), 'none');
    assert.equal(
      render("{% for r in ['x', 'y'] %}{% for c in [1, 2] %}{{ r }}{{ c }}:{{ loop.index0 }}/{{ loop.revindex }}{{ ',' if not loop.last }}{% endfor %};{% endfor %}"),
      'x1:0/2,x2:1/1;y1:0/2,y2:1/1;',
    );
    assert.equal(render("{% set xs = ['A', 'b'] %}{{ xs | length }} {{ xs[0] if false else 'z' | upper }}{% if 'b' in xs and xs|length >= 2 %} yes{% endif %}"), '2 Z yes');
    assert.equal(render('{% set n = 3 %}{% if n > 2 %}big{% elif n > 1 %}mid{% else %}small{% endif %}'), 'big');
  });

  it('puts a ref() or source() held in a {% set %} variable where the variable is used, so its joins count', () => {
    const model = "{% set orders_rel = ref('stg_orders') %}{% set src = source('crm', 'accounts') %}\nselect o.id from {{ orders_rel }} o join {{ src }} a on a.id = o.account_id join {{ ref('b', v=2) }} b on b.id = o.id";
    assert.equal(render(model), "\nselect o.id from {{ ref('stg_orders') }} o join {{ source('crm', 'accounts') }} a on a.id = o.account_id join {{ ref('b', v=2) }} b on b.id = o.id");
    const f = extractDbtModel('models/m.sql', model, { project: 'p' });
    assert.deepEqual(f.joins.map((j) => `${j.left.table?.name}.${j.left.column} = ${j.right.table?.name}.${j.right.column}`), ['accounts.id = stg_orders.account_id', 'b.id = stg_orders.id']);
    assert.equal(render("{% set r = ref(model_name) %}select 1 from {{ r }}"), "{% set r = ref(model_name) %}select 1 from {{ r }}", 'a call with a variable argument stays as written');
  });

  it('leaves the template as written where it cannot tell what Jinja would make of it', () => {
    for (const text of [
      "{% for c in adapter.get_columns_in_relation(ref('x')) %}{{ c.name }},{% endfor %} select 1",
      "{% set cols = var('cols') %}{% for c in cols %}{{ c }}{% endfor %}",
      '{% for a, b in pairs %}{{ a }}{% endfor %}',
      '{% if x %}unclosed',
      '{% for x in [1] %}{{ x }}',
      'select {{ unterminated',
      '{% endif %} stray',
      'select 1 {% if is_incremental() %}where x > (select max(x) from {{ this }}){% endif %}',
    ]) {
      assert.equal(render(text), text, text);
      assert.equal(renderStaticJinja(text).changed, false, text);
    }
    // within a kept construct, what can be told is still rendered
    assert.equal(render("{% set c = 'amount' %}{% if is_incremental() %}{{ c }}{% endif %}"), '{% if is_incremental() %}amount{% endif %}');
    assert.equal(render("{% set c = 'x' %}{% raw %}{{ c }}{% endraw %}{{ c }}"), '{% raw %}{{ c }}{% endraw %}x');
  });

  it('maps each rendered offset back to the source, a rendered value to its tag', () => {
    const source = "{% set m = 'coupon' %}\nselect {{ m }}_amount";
    const r = renderStaticJinja(source);
    assert.equal(r.text, '\nselect coupon_amount');
    assert.equal(r.sourceOffset(r.text.indexOf('select')), source.indexOf('select'));
    assert.equal(r.sourceOffset(r.text.indexOf('coupon')), source.indexOf('{{ m }}'));
    assert.equal(r.sourceOffset(r.text.indexOf('_amount')), source.indexOf('_amount'));
  });

  it('gives up on a loop that would unroll past its bound, and stays within the depth bound', () => {
    const huge = `{% for a in [${Array.from({ length: 400 }, (_, i) => i).join(',')}] %}{% for b in [${Array.from({ length: 400 }, (_, i) => i).join(',')}] %}{{ a }}-{{ b }} some padding text to grow it{% endfor %}{% endfor %}`;
    assert.equal(renderStaticJinja(huge).changed, false);
    const deep = '{% if true %}'.repeat(40) + 'x' + '{% endif %}'.repeat(40);
    assert.equal(render(deep), deep);
  });

  it("defines a model's column brought by `select *` from a CTE where that CTE's select list names it", () => {
    const model = [
      'with source as (',
      "    select * from {{ source('jaffle_shop', 'customers') }}",
      '),',
      'renamed as (',
      '    select',
      '        id as customer_id,',
      '        first_name',
      '    from source',
      ')',
      'select * from renamed',
    ].join('\n');
    const created = extractDbtModel('models/stg_customers.sql', model, { project: 'jaffle_shop' }).ddl[0]!;
    assert.ok(created.op === 'createTable');
    const at = (name: string) => created.table.columns.find((c) => c.name === name)?.origin;
    assert.deepEqual([at('customer_id')?.line, at('customer_id')?.column], [6, 15]);
    assert.equal(at('first_name')?.line, 7);
  });
});
