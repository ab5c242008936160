import { strict as assert } from 'node:assert';
import { describeJoin, joinsTouching, resolveUnqualifiedSides } from '../../../src/core/catalog/joinUsage';
import type { TableDef } from '../../../src/core/catalog/model';
import type { QualifiedName } from '../../../src/core/sql/types';
import { parseSql } from '../../../src/core/sql/index';
import { catalogFromDdl } from '../modeling/devset';

const catalog = catalogFromDdl(`
  CREATE TABLE sales.orders (order_id int, cust_ref int, region char(2), placed_at date, shipped_at date);
  CREATE TABLE crm.customers (customer_key int, region char(2));
  CREATE TABLE crm.notes (note_id int, body varchar(200));`, 'ddl.sql');

const lookup = (q: QualifiedName): TableDef | undefined =>
  catalog.tables.find((t) => t.name === q.name.toLowerCase() && (!q.schema || t.schema === q.schema.toLowerCase()));

const joinsOf = (sql: string) => parseSql(sql, 'q.sql').queries.joins;
const side = (r: { table?: QualifiedName; column: string }) => `${r.table ? `${r.table.schema ?? ''}.${r.table.name}.` : '?.'}${r.column}`;
const resolved = (sql: string) => resolveUnqualifiedSides(joinsOf(sql), lookup).map((j) => `${side(j.left)} = ${side(j.right)}`);

describe('catalog/joinUsage resolveUnqualifiedSides through subqueries (TPC-H / TPC-DS shapes)', () => {
  const tpc = catalogFromDdl(`
    CREATE TABLE lineitem (l_orderkey int, l_partkey int, l_suppkey int, l_quantity int);
    CREATE TABLE supplier (s_suppkey int, s_name text);
    CREATE TABLE orders (o_orderkey int, o_custkey int);
    CREATE TABLE customer (c_custkey int);
    CREATE TABLE part (p_partkey int);
    CREATE TABLE partsupp (ps_partkey int, ps_suppkey int, ps_supplycost int);
    CREATE TABLE employees (id int, manager_id int);
    CREATE TABLE projects (pid int, owner_id int);
    CREATE TABLE store_sales (ss_item_sk int, ss_customer_sk int, ss_sold_date_sk int);
    CREATE TABLE date_dim (d_date_sk int);
    CREATE TABLE item (i_item_sk int);`, 'tpc.sql');
  const tpcLookup = (q: QualifiedName): TableDef | undefined => tpc.tables.find((t) => t.name === q.name.toLowerCase());
  const placed = (sql: string) => resolveUnqualifiedSides(joinsOf(sql), tpcLookup).map((j) => `${side(j.left)} = ${side(j.right)}`);

  it('names a CTE\'s or subquery\'s columns by position past outputs without a name', () => {
    assert.deepEqual(placed('with r (total, supp, part) as (select sum(l_quantity), l_suppkey, l_partkey from lineitem group by 2, 3) select s_name from r join supplier s on r.supp = s.s_suppkey'), ['.lineitem.l_suppkey = .supplier.s_suppkey']);
    assert.deepEqual(placed('select 1 from (select count(*), l_suppkey from lineitem group by 2) as r (cnt, supp) join supplier s on r.supp = s.s_suppkey'), ['.lineitem.l_suppkey = .supplier.s_suppkey']);
  });

  it("places a correlated subquery's column on the outer query's relation that has it", () => {
    assert.deepEqual(placed('select 1 from orders o, customer c where exists (select 1 from lineitem where o_custkey = c.c_custkey)'), ['.orders.o_custkey = .customer.c_custkey']);
    assert.deepEqual(placed('select 1 from orders, customer where exists (select 1 from lineitem where o_custkey = c_custkey and l_orderkey = o_orderkey)'), [
      '.orders.o_custkey = .customer.c_custkey',
      '.lineitem.l_orderkey = .orders.o_orderkey',
    ]);
    assert.deepEqual(placed('select 1 from part, supplier where 5 = (select min(ps_supplycost) from partsupp, orders where p_partkey = ps_partkey)'), ['.part.p_partkey = .partsupp.ps_partkey']);
    // the subquery's relation also in the outer query (TPC-H 17) is one relation, not two that both have the column
    assert.deepEqual(placed('select 1 from lineitem, part where p_partkey = l_partkey and l_quantity < (select avg(l_quantity) from lineitem where l_partkey = p_partkey)'), [
      '.part.p_partkey = .lineitem.l_partkey',
      '.lineitem.l_partkey = .part.p_partkey',
    ]);
    // its own relation's column stays there; two of its own columns filter, and are placed on no relation
    assert.deepEqual(placed('select 1 from orders where exists (select 1 from lineitem where l_orderkey = o_orderkey)'), ['.lineitem.l_orderkey = .orders.o_orderkey']);
    assert.deepEqual(placed('select 1 from orders where exists (select 1 from lineitem where l_partkey = l_suppkey)'), ['?.l_partkey = ?.l_suppkey']);
  });

  it("joins through each branch of a UNION, not EXCEPT's", () => {
    const sales = catalogFromDdl('CREATE TABLE web_sales (ws_item_sk int); CREATE TABLE catalog_sales (cs_item_sk int); CREATE TABLE item (i_item_sk int); CREATE TABLE returns (r_item_sk int);', 'u.sql');
    const salesLookup = (q: QualifiedName): TableDef | undefined => sales.tables.find((t) => t.name === q.name.toLowerCase());
    const through = (sql: string) => resolveUnqualifiedSides(joinsOf(sql), salesLookup).map((j) => `${side(j.left)} = ${side(j.right)}`);
    assert.deepEqual(through('with w as (select ws_item_sk item_sk from web_sales union all select cs_item_sk from catalog_sales) select 1 from w join item on w.item_sk = item.i_item_sk'), [
      '.web_sales.ws_item_sk = .item.i_item_sk',
      '.catalog_sales.cs_item_sk = .item.i_item_sk',
    ]);
    assert.deepEqual(through('select 1 from (select ws_item_sk from web_sales except select r_item_sk from returns) s join item on item.i_item_sk = s.ws_item_sk'), ['.item.i_item_sk = .web_sales.ws_item_sk']);
  });

  it('places a column a CTE renames, or leaves unqualified among several relations, on its base column', () => {
    assert.deepEqual(placed('with m as (select manager_id as id from employees) select * from m, projects where id = owner_id'), ['.employees.manager_id = .projects.owner_id']);
    assert.deepEqual(placed('with a as (select ss_item_sk item_sk from store_sales, date_dim where ss_sold_date_sk = d_date_sk) select * from a join item i on a.item_sk = i.i_item_sk'), [
      '.store_sales.ss_sold_date_sk = .date_dim.d_date_sk',
      '.store_sales.ss_item_sk = .item.i_item_sk',
    ]);
    assert.deepEqual(placed('select * from (select ss_customer_sk, count(*) cnt from store_sales, date_dim where ss_sold_date_sk = d_date_sk group by ss_customer_sk) dn, customer where ss_customer_sk = c_custkey'), [
      '.store_sales.ss_sold_date_sk = .date_dim.d_date_sk',
      '.store_sales.ss_customer_sk = .customer.c_custkey',
    ]);
  });
});

describe('catalog/joinUsage resolveUnqualifiedSides', () => {
  it('places an unqualified column on the one relation in scope that has it', () => {
    assert.deepEqual(resolved('select 1 from sales.orders join crm.customers on cust_ref = customer_key'), ['sales.orders.cust_ref = crm.customers.customer_key']);
    assert.deepEqual(resolved('select 1 from sales.orders o join crm.customers c on c.customer_key = cust_ref'), ['crm.customers.customer_key = sales.orders.cust_ref']);
  });

  it('marks what it placed, and leaves the facts it was given unchanged', () => {
    const joins = joinsOf('select 1 from sales.orders join crm.customers on cust_ref = customer_key');
    const before = JSON.stringify(joins);
    const [j] = resolveUnqualifiedSides(joins, lookup);
    assert.equal(j!.left.placedByCatalog, true);
    assert.equal(j!.right.placedByCatalog, true);
    assert.equal(JSON.stringify(joins), before);
  });

  it('leaves a column two relations have, or none has, unplaced', () => {
    assert.deepEqual(resolved('select 1 from sales.orders o join crm.customers c on o.cust_ref = region'), ['sales.orders.cust_ref = ?.region']);
    assert.deepEqual(resolved('select 1 from sales.orders o join crm.customers c on o.cust_ref = missing_col'), ['sales.orders.cust_ref = ?.missing_col']);
    assert.deepEqual(resolved('select 1 from sales.orders o join sales.orders p on o.order_id = cust_ref'), ['sales.orders.order_id = ?.cust_ref']);
  });

  it('does not turn a comparison within one relation into a join', () => {
    assert.deepEqual(resolved('select 1 from sales.orders join crm.notes on placed_at = shipped_at'), ['?.placed_at = ?.shipped_at']);
    assert.deepEqual(resolved('select 1 from sales.orders o join crm.notes n on o.placed_at = shipped_at'), ['sales.orders.placed_at = ?.shipped_at']);
  });

  it('lets the hover and CodeLens count the placed joins', () => {
    const orders = catalog.tables.find((t) => t.name === 'orders')!;
    const joins = joinsOf('select 1 from sales.orders join crm.customers on cust_ref = customer_key');
    assert.equal(joinsTouching(joins, orders, 'cust_ref').length, 0);
    assert.equal(joinsTouching(resolveUnqualifiedSides(joins, lookup), orders, 'cust_ref').length, 1);
  });
});

describe('catalog/joinUsage describeJoin', () => {
  it('writes a query join as an equality, and says how application code wrote or declared one', () => {
    const at = { kind: 'code' as const, file: 'a' };
    const base = { left: { table: { schema: 's', name: 'o' }, column: 'c_id' }, right: { table: { name: 'c' }, column: 'id' }, clause: 'on' as const, origin: at };
    assert.equal(describeJoin(base), 's.o.c_id = c.id');
    assert.equal(describeJoin({ ...base, via: 'query-builder' }), 's.o.c_id = c.id (query builder)');
    assert.equal(describeJoin({ ...base, via: 'orm-foreign-key' }), 's.o.c_id → c.id (ORM foreign key)');
    assert.equal(describeJoin({ ...base, via: 'orm-one-to-one' }), 's.o.c_id → c.id (ORM one-to-one)');
    assert.equal(describeJoin({ ...base, via: 'migration-foreign-key' }), 's.o.c_id → c.id (migration foreign key)');
  });
});

describe('catalog/joinUsage joinsTouching', () => {
  it("finds a table's joins by name whatever the case, once for a self-join, its schema respected", () => {
    const joins = joinsOf(`select 1 from sales.orders o join crm.customers c on c.customer_key = o.cust_ref;
      select 1 from SALES.ORDERS a join sales.orders b on a.order_id = b.order_id;
      select 1 from other.orders x join crm.notes n on n.note_id = x.order_id;`);
    const orders = catalog.tables.find((t) => t.name === 'orders')!;
    const customers = catalog.tables.find((t) => t.name === 'customers')!;
    assert.deepEqual(joinsTouching(joins, orders).map(describeJoin).sort(), ['crm.customers.customer_key = sales.orders.cust_ref', 'sales.orders.order_id = sales.orders.order_id']);
    assert.deepEqual(joinsTouching(joins, orders, 'CUST_REF').map(describeJoin), ['crm.customers.customer_key = sales.orders.cust_ref']);
    assert.equal(joinsTouching(joins, customers).length, 1);
    // the same list asked again (indexed once) answers the same
    assert.equal(joinsTouching(joins, orders).length, 2);
  });
});
