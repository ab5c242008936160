import { strict as assert } from 'node:assert';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { isWrittenDown, joinCompletionsAt } from '../../../src/core/sql/joinCompletion';
import type { JoinProposal } from '../../../src/core/modeling/types';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractDbtModel, extractSql } from '../../../src/core/workspace/sqlExtractor';

/** Completions at the `|` in `sql`, as inserted text. */
function completions(files: Parameters<typeof buildCatalog>[0], sql: string, options?: { dbtModel?: boolean }): string[] | undefined {
  const catalog = buildCatalog(files);
  const proposals = inferJoins(catalog);
  const offset = sql.indexOf('|');
  assert.ok(offset >= 0, 'no cursor in the test SQL');
  return joinCompletionsAt(sql.replace('|', ''), offset, new CatalogIndex(catalog), () => proposals, options)?.map((c) => c.text);
}

const WAREHOUSE = [extractSql('ddl/sales.sql', `
  CREATE TABLE public.customers (id bigint PRIMARY KEY, name varchar(100));
  CREATE TABLE sales.orders (order_id bigint PRIMARY KEY, customer_id bigint REFERENCES public.customers (id), placed_at timestamp);
  CREATE TABLE sales.order_lines (order_id bigint, line_no int, sku varchar(20), qty int, PRIMARY KEY (order_id, line_no),
    FOREIGN KEY (order_id) REFERENCES sales.orders (order_id));
  CREATE TABLE sales.line_notes (order_id bigint, line_no int, note varchar(200),
    FOREIGN KEY (order_id, line_no) REFERENCES sales.order_lines (order_id, line_no));
  CREATE TABLE hr.employees (employee_id bigint PRIMARY KEY, manager_id bigint REFERENCES hr.employees (employee_id));
`)];

describe('sql/joinCompletion', () => {
  it('after JOIN, offers the relations a declared key relates to one in the query, with their condition', () => {
    const items = completions(WAREHOUSE, 'select * from sales.orders o join |');
    assert.ok(items, 'a JOIN is a place for join completions');
    assert.ok(items.includes('customers c on c.id = o.customer_id'), items.join('\n'));
    // outside the default schema the relation is written with its schema
    assert.ok(items.includes('sales.order_lines ol on ol.order_id = o.order_id'), items.join('\n'));
    assert.ok(!items.some((i) => i.startsWith('sales.orders ')), 'the query reads orders already');
  });

  it('after ON, offers the condition between the relation just joined and one before it, composite keys whole', () => {
    assert.deepEqual(completions(WAREHOUSE, 'select * from sales.orders o join customers cu on |'), ['cu.id = o.customer_id']);
    assert.deepEqual(completions(WAREHOUSE, 'SELECT * FROM sales.order_lines l JOIN sales.line_notes n ON |'), ['n.order_id = l.order_id AND n.line_no = l.line_no']);
    // the word being typed is not the relation: the condition still joins `cu`
    assert.deepEqual(completions(WAREHOUSE, 'select * from sales.orders o join customers cu on cu|'), ['cu.id = o.customer_id']);
  });

  it('joins a relation to itself either way: its parent and its children', () => {
    const items = completions(WAREHOUSE, 'select * from hr.employees e join |');
    assert.deepEqual(items?.sort(), ['hr.employees e2 on e2.employee_id = e.manager_id', 'hr.employees e2 on e2.manager_id = e.employee_id']);
  });

  it('offers nothing where no condition follows or no JOIN or ON precedes', () => {
    assert.equal(completions(WAREHOUSE, 'select * from sales.orders o cross join |'), undefined);
    assert.equal(completions(WAREHOUSE, 'select * from sales.orders o where |'), undefined);
    assert.equal(completions(WAREHOUSE, 'select * from sales.orders o join customers c on c.id = o.customer_id |'), undefined);
    assert.deepEqual(completions(WAREHOUSE, 'select * from unknown_table u join |'), []);
  });

  it('takes no alias a query around it uses: a correlated subquery keeps seeing the outer relation', () => {
    const items = completions(WAREHOUSE, 'select * from hr.employees o where exists (select 1 from sales.order_lines ol join |');
    assert.ok(items?.includes('sales.orders o2 on o2.order_id = ol.order_id'), items?.join('\n'));
  });

  it('reads the cardinality from the relations in the query to the joined one', () => {
    const catalog = buildCatalog(WAREHOUSE);
    const at = (sql: string) => joinCompletionsAt(sql, sql.length, new CatalogIndex(catalog), () => inferJoins(catalog));
    const orders = at('select * from customers c join ')?.find((c) => c.relation?.name === 'sales.orders');
    assert.equal(orders?.cardinality, 'one-to-many', 'each customer row meets many orders: rows multiply');
    const customers = at('select * from sales.orders o join ')?.find((c) => c.relation?.name === 'customers');
    assert.equal(customers?.cardinality, 'many-to-one');
  });

  it('offers a table a CTE passes on without its key columns, and ranks a model guess with names', () => {
    const items = completions(WAREHOUSE, 'with c as (select name from customers) select * from sales.orders o join |');
    assert.ok(items?.includes('customers c2 on c2.id = o.customer_id'), items?.join('\n'));
    const guess = { evidence: [{ kind: 'name-match', detail: 'names', weight: 0.6 }, { kind: 'model', detail: 'a model said so', weight: 0.3 }] } as unknown as JoinProposal;
    assert.equal(isWrittenDown(guess), false);
  });

  describe('in a dbt model', () => {
    const model = (name: string, sql: string) => extractDbtModel(`models/${name}.sql`, sql, { project: 'shop' });
    const project = [
      model('stg_customers', "select id as customer_id, name from {{ source('raw', 'customers') }}"),
      model('stg_orders', "select id as order_id, user_id as customer_id, amount from {{ source('raw', 'orders') }}"),
      model('stg_payments', "select id as payment_id, order_id, amount from {{ source('raw', 'payments') }}"),
      extractDbtYaml('models/schema.yml', [
        'models:',
        '  - name: stg_orders',
        '    columns:',
        '      - name: customer_id',
        "        data_tests: [{ relationships: { to: ref('stg_customers'), field: customer_id } }]",
        '  - name: stg_payments',
        '    columns:',
        '      - name: order_id',
        "        data_tests: [{ relationships: { to: ref('stg_orders'), field: order_id } }]",
      ].join('\n'), { project: 'shop' }),
    ];
    const imports = "with customers as (select * from {{ ref('stg_customers') }}),\norders as (select * from {{ ref('stg_orders') }})\n";

    it('joins through the import CTE that passes the related model on, and writes ref() for the others', () => {
      const items = completions(project, `${imports}select * from orders left join |`);
      assert.deepEqual(items, ['customers on customers.customer_id = orders.customer_id', "{{ ref('stg_payments') }} sp on sp.order_id = orders.order_id"]);
    });

    it('writes the condition between CTEs by the names they give the columns', () => {
      const renamed = "with c as (select customer_id as cid, name from {{ ref('stg_customers') }}),\no as (select order_id, customer_id from {{ ref('stg_orders') }})\n";
      assert.deepEqual(completions(project, `${renamed}select * from o join c on |`), ['c.cid = o.customer_id']);
    });

    it('offers no CTE inside its own definition', () => {
      const sql = "with orders as (select * from {{ ref('stg_orders') }}),\nfinal as (select * from {{ ref('stg_customers') }} c left join orders o on o.customer_id = c.customer_id left join |";
      assert.deepEqual(completions(project, sql), ["{{ ref('stg_payments') }} sp on sp.order_id = o.order_id"]);
    });
  });
});
