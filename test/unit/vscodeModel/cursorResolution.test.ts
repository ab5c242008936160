import * as assert from 'node:assert/strict';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { completionsAt, resolveAtCursor } from '../../../src/core/sql/cursorResolution';
import { extractDbtModel, extractSql } from '../../../src/core/workspace/sqlExtractor';

const DDL = `
CREATE TABLE sales.orderinfo (order_id BIGINT NOT NULL, product_id INTEGER, customer_id INTEGER, PRIMARY KEY (order_id));
CREATE TABLE sales.skuinfo (sku_id INTEGER NOT NULL, sku_name VARCHAR(200));
CREATE TABLE public.customers (customer_id INTEGER, name VARCHAR(100));
`;
const catalog = new CatalogIndex(buildCatalog([extractSql('ddl.sql', DDL)]));

function at(sql: string, marker: string, delta = 0) {
  const offset = sql.indexOf(marker) + delta;
  assert.ok(offset >= delta, `marker ${marker} missing`);
  return resolveAtCursor(sql, offset, catalog);
}

describe('resolveAtCursor', () => {
  const q = 'select o.product_id, s.sku_name from sales.orderinfo o join sales.skuinfo as s on o.product_id = s.sku_id';

  it('resolves an aliased column to its table', () => {
    const t = at(q, 'product_id');
    assert.equal(t?.kind, 'column');
    assert.equal(t?.kind === 'column' && `${t.table.name}.${t.column.name}`, 'orderinfo.product_id');
  });

  it('resolves an alias and a schema-qualified table name to the table', () => {
    const alias = at(q, 's.sku_name');
    assert.equal(alias?.kind === 'table' && alias.table.name, 'skuinfo');
    const qualified = at(q, 'orderinfo o', 2);
    assert.equal(qualified?.kind === 'table' && qualified.table.name, 'orderinfo');
  });

  it('resolves a bare column through the tables in scope, and reports ambiguity', () => {
    const single = at('select sku_name from sales.skuinfo', 'sku_name');
    assert.equal(single?.kind === 'column' && single.table.name, 'skuinfo');
    const amb = at('select customer_id from sales.orderinfo, customers', 'customer_id');
    assert.equal(amb?.kind, 'columns');
    assert.equal(amb?.kind === 'columns' && amb.hits.length, 2);
  });

  it('looks only at the statement under the cursor', () => {
    const two = 'select * from sales.skuinfo s;\nselect s.product_id from sales.orderinfo s;';
    const t = at(two, 'product_id');
    assert.equal(t?.kind === 'column' && t.table.name, 'orderinfo');
  });

  it('returns nothing for unknown names and inside string literals', () => {
    assert.equal(at('select x.nope from sales.orderinfo x', 'nope'), undefined);
    assert.equal(at("select 'product_id' from sales.orderinfo", 'product_id'), undefined);
  });

  it('completes the columns of an alias after a dot', () => {
    const sql = 'select s. from sales.skuinfo s';
    const names = completionsAt(sql, sql.indexOf('s.') + 2, catalog).filter((c) => c.kind === 'column').map((c) => c.kind === 'column' && c.column.name);
    assert.deepEqual(names.sort(), ['sku_id', 'sku_name']);
  });

  it('offers a table outside the default search path with its schema, and after `schema.` by its name', () => {
    const tables = (sql: string) => completionsAt(sql, sql.length, catalog).flatMap((c) => (c.kind === 'table' ? [`${c.table.name}${c.qualified ? ' (qualified)' : ''}`] : [])).sort();
    assert.deepEqual(tables('select * from cust'), ['customers', 'orderinfo (qualified)', 'skuinfo (qualified)']);
    assert.deepEqual(tables('select * from sales.'), ['orderinfo', 'skuinfo']);
  });
});

/** A project shaped like dbt's jaffle_shop: staging models, and marts named `customers` and `orders` like CTEs of theirs. */
const model = (name: string, sql: string) => extractDbtModel(`models/${name}.sql`, sql, { project: 'jaffle_shop' });
const jaffle = new CatalogIndex(buildCatalog([
  model('stg_customers', "select id as customer_id, first_name, last_name from {{ source('raw', 'customers') }}"),
  model('stg_orders', "select id as order_id, user_id as customer_id, order_date, status from {{ source('raw', 'orders') }}"),
  model('stg_payments', "select id as payment_id, order_id, payment_method, amount from {{ source('raw', 'payments') }}"),
  model('orders', "select order_id, customer_id, status, amount from {{ ref('stg_orders') }}"),
  model('customers', "select customer_id, first_name, number_of_orders from {{ ref('stg_customers') }}"),
]));

const CUSTOMERS = `with customers as (
    select * from {{ ref('stg_customers') }}
),
orders as (
    select * from {{ ref('stg_orders') }}
),
payments as (
    select * from {{ ref('stg_payments') }}
),
customer_orders as (
    select
        customer_id,
        min(order_date) as first_order,
        count(order_id) as number_of_orders
    from orders
    group by customer_id
),
customer_payments as (
    select
        orders.customer_id,
        sum(amount) as total_amount
    from payments
    left join orders on payments.order_id = orders.order_id
    group by orders.customer_id
)
select customers.customer_id, customer_orders.number_of_orders, customer_payments.total_amount
from customers
left join customer_orders on customers.customer_id = customer_orders.customer_id
left join customer_payments on customers.customer_id = customer_payments.customer_id`;

function inJaffle(sql: string, marker: string, delta = 0) {
  const offset = sql.indexOf(marker) + delta;
  assert.ok(offset >= delta, `marker ${marker} missing`);
  return resolveAtCursor(sql, offset, jaffle);
}

describe('resolveAtCursor in a query with CTEs named like relations', () => {
  it("resolves a CTE's column through the CTE, not to the relation it is named like", () => {
    const t = inJaffle(CUSTOMERS, 'orders.customer_id', 'orders.'.length);
    assert.equal(t?.kind, 'cteColumn');
    if (t?.kind !== 'cteColumn') return;
    assert.equal(t.cte.name, 'orders');
    assert.equal(`${t.column.base?.table.name}.${t.column.base?.column.name}`, 'stg_orders.customer_id');
  });

  it('resolves a CTE read in a JOIN to the CTE, with where it is defined and what it reads', () => {
    const t = inJaffle(CUSTOMERS, 'left join orders on', 'left join '.length);
    assert.equal(t?.kind, 'cte');
    if (t?.kind !== 'cte') return;
    assert.equal(t.cte.site?.start, CUSTOMERS.indexOf('orders as ('));
    assert.deepEqual(t.cte.reads.map((r) => r.table?.name), ['stg_orders']);
    assert.deepEqual(t.cte.columns.map((c) => c.name), ['order_id', 'customer_id', 'order_date', 'status']);
  });

  it('resolves the name of a CTE where its WITH clause defines it', () => {
    const sql = "{% set methods = ['credit_card', 'coupon'] %}\nwith orders as (select * from {{ ref('stg_orders') }}) select orders.order_id from orders";
    const t = inJaffle(sql, 'orders as', 1);
    assert.equal(t?.kind, 'cte');
    assert.equal(t?.kind === 'cte' && t.cte.site?.start, sql.indexOf('orders as'));
  });

  it('reads the query of a CREATE VIEW … AS WITH the same way', () => {
    const sql = 'create view v as with customers as (select * from sales.orderinfo) select customers.order_id from customers';
    const t = at(sql, 'customers.order_id', 'customers.'.length);
    assert.equal(t?.kind === 'cteColumn' && `${t.cte.name} ${t.column.base?.table.name}`, 'customers orderinfo');
  });

  it("goes to a computed column of a CTE where its select list names it", () => {
    const t = inJaffle(CUSTOMERS, 'customer_orders.number_of_orders', 'customer_orders.'.length);
    assert.equal(t?.kind, 'cteColumn');
    if (t?.kind !== 'cteColumn') return;
    assert.equal(t.column.base, undefined);
    assert.equal(t.column.site?.start, CUSTOMERS.indexOf('number_of_orders'));
  });

  it("resolves an unqualified column by the relations of its own query block, not the statement's", () => {
    const t = inJaffle(CUSTOMERS, 'customer_id,', 1);
    assert.equal(t?.kind, 'cteColumn');
    assert.equal(t?.kind === 'cteColumn' && `${t.cte.name} ${t.column.base?.table.name}`, 'orders stg_orders');
  });

  it("completes a CTE's columns after `cte.`, through select * over a ref()", () => {
    const columns = (sql: string, marker: string) => {
      const offset = sql.indexOf(marker) + marker.length;
      return completionsAt(sql, offset, jaffle).flatMap((c) => (c.kind === 'queryColumn' ? [c.column.name] : c.kind === 'column' ? [`${c.table.name}.${c.column.name}`] : []));
    };
    assert.deepEqual(columns(CUSTOMERS, 'select\n        orders.'), ['order_id', 'customer_id', 'order_date', 'status']);
    assert.deepEqual(columns(CUSTOMERS, 'customer_orders.'), ['customer_id', 'first_order', 'number_of_orders']);
  });

  it('offers the CTEs of the query among the relations', () => {
    const sql = "with orders as (select * from {{ ref('stg_orders') }}) select * from ";
    const ctes = completionsAt(sql, sql.length, jaffle).flatMap((c) => (c.kind === 'cte' ? [c.cte.name] : []));
    assert.deepEqual(ctes, ['orders']);
  });
});

describe('resolveAtCursor on a subquery of a FROM clause', () => {
  const sql = 'select s.sku_name, s.n from (select sku_name, count(*) as n from sales.skuinfo group by 1) s where s.n > 1';

  it('reads the alias as the subquery it names: where it is named, what it reads, its columns', () => {
    const t = at(sql, 's.sku_name');
    assert.equal(t?.kind, 'cte');
    if (t?.kind !== 'cte') return;
    assert.equal(t.cte.subquery, true);
    assert.equal(t.cte.name, 's');
    assert.equal(sql.slice(t.cte.site!.start, t.cte.site!.end), 's', 'named by its alias');
    assert.equal(t.cte.site!.start, sql.lastIndexOf(') s') + 2);
    assert.deepEqual(t.cte.columns.map((c) => c.name), ['sku_name', 'n']);
    assert.deepEqual(t.cte.reads.map((r) => r.table?.name), ['skuinfo']);
  });

  it("reads its columns as the subquery's: computed where its select list names them, or passing a catalog column on", () => {
    const computed = at(sql, 's.n', 2);
    assert.equal(computed?.kind, 'cteColumn');
    if (computed?.kind !== 'cteColumn') return;
    assert.equal(computed.column.base, undefined);
    assert.equal(computed.column.site && sql.slice(computed.column.site.start, computed.column.site.end), 'n');
    const passed = at(sql, 's.sku_name', 2);
    assert.equal(passed?.kind === 'cteColumn' && passed.column.base && `${passed.column.base.table.name}.${passed.column.base.column.name}`, 'skuinfo.sku_name');
    // unqualified, through the one relation of its block
    const bare = at('select n from (select count(*) as n from sales.skuinfo) s', 'n from');
    assert.equal(bare?.kind === 'cteColumn' && bare.cte.subquery && bare.column.name, 'n');
  });

  it('leads a column a `*` brings from another CTE to where that CTE computes it', () => {
    const chained = 'with a as (select sku_id + 1 as y, sku_name from sales.skuinfo), b as (select * from a) select b.y, b.sku_name from b';
    const y = at(chained, 'b.y', 2);
    assert.equal(y?.kind, 'cteColumn');
    if (y?.kind !== 'cteColumn') return;
    assert.equal(y.column.from, 'a');
    assert.equal(y.column.site?.start, chained.indexOf('y,'), "a's select list names it");
    const passed = at(chained, 'b.sku_name', 2);
    assert.equal(passed?.kind === 'cteColumn' && passed.column.base?.column.name, 'sku_name');
    assert.equal(passed?.kind === 'cteColumn' && passed.column.site?.start, chained.indexOf('sku_name from sales'));
  });

  it('completes no CTE inside its own query, nor one defined after it', () => {
    const sql = 'with a as (select sku_id from sales.skuinfo), b as (select * from  ), c as (select 1 as x) select * from c';
    const ctes = completionsAt(sql, sql.indexOf('from  ') + 5, catalog).flatMap((x) => (x.kind === 'cte' ? [x.cte.name] : []));
    assert.deepEqual(ctes, ['a']);
  });

  it('completes a recursive CTE inside its own query', () => {
    const sql = 'with recursive t as (select sku_id from sales.skuinfo union all select s.sku_id from sales.skuinfo s join  ) select * from t';
    const ctes = completionsAt(sql, sql.indexOf('join  ') + 5, catalog).flatMap((x) => (x.kind === 'cte' ? [x.cte.name] : []));
    assert.deepEqual(ctes, ['t']);
  });
});
