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
