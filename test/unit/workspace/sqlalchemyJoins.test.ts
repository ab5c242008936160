import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { coldAndWarm, qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/sqlalchemy');
const facts = (file: string) => extractFile(`app/${file}`, readFileSync(path.join(dir, file)), { dbtProjects: [] });

describe('SQLAlchemy joins written in code', () => {
  it("declares mapped classes and Core tables as entities, with the columns their attributes are named otherwise", () => {
    assert.deepEqual(facts('shop/models.py').entities, [
      { name: 'regions', table: { schema: 'ref', name: 'regions' }, line: 43 },
      { name: 'orders_t', table: { schema: 'sales', name: 'orderinfo' }, line: 44 },
      { name: 'customers_t', table: { schema: 'sales', name: 'customers' }, line: 45 },
      { name: 'Customer', table: { schema: 'sales', name: 'customers' }, line: 9, fieldColumns: { id: 'customer_id' }, idColumn: 'customer_id' },
      { name: 'Order', table: { schema: 'sales', name: 'orderinfo' }, line: 18, fieldColumns: { ship_region: 'ship_country' }, idColumn: 'order_id' },
      { name: 'Sku', table: { schema: 'sales', name: 'skuinfo' }, line: 33, idColumn: 'sku_id' },
    ]);
  });

  it('reads the comparisons of join, outerjoin, where and filter calls, and of relationship conditions', () => {
    const read = (file: string) =>
      facts(file).joins.map((j) => [j.origin.line, `${j.fromEntity}.${j.left.column} = ${j.toEntity}.${j.right.column}`, j.clause, j.joinType, j.condition?.line]);
    assert.deepEqual(read('shop/models.py'), [
      // a string condition, `foreign()` annotating a side
      [29, 'Order.customer_id = Customer.id', 'on', undefined, undefined],
      // a lambda; `Sku.active == True` compares no two sides
      [30, 'Order.product_id = Sku.sku_id', 'on', undefined, undefined],
    ]);
    assert.deepEqual(read('shop/reports.py'), [
      [12, 'Order.customer_id = Customer.id', 'on', 'inner', undefined],
      [13, 'Sku.sku_id = Order.product_id', 'on', 'left', undefined],
      // a filter between two tables is a join too, as WHERE a.x = b.y is
      [14, 'Order.ship_region = regions.code', 'where', undefined, undefined],
      // an aliased class stands for its class
      [20, 'Customer.referrer_id = Customer.id', 'on', 'inner', undefined],
      // two comparisons of one join: one condition
      [24, 'Order.product_id = Sku.sku_id', 'on', 'inner', 24],
      [24, 'Order.store_id = Sku.store_id', 'on', 'inner', 24],
      // Core: join(a, b, a.c.x == b.c.y, isouter=True)
      [28, 'orders_t.customer_id = customers_t.customer_id', 'on', 'left', undefined],
      // read here, left out once the workspace shows no class maps them
      [37, 'Status.PAID = Kind.A', 'where', undefined, undefined],
    ]);
  });

  it("places each side on its class's table and column once the workspace is read, leaving out classes nothing maps", async () => {
    const expected = [
      'shop/models.py:29 sales.orderinfo.customer_id = sales.customers.customer_id',
      'shop/models.py:30 sales.orderinfo.product_id = sales.skuinfo.sku_id',
      'shop/reports.py:12 sales.orderinfo.customer_id = sales.customers.customer_id',
      'shop/reports.py:13 sales.skuinfo.sku_id = sales.orderinfo.product_id',
      'shop/reports.py:14 sales.orderinfo.ship_country = ref.regions.code',
      'shop/reports.py:20 sales.customers.referrer_id = sales.customers.customer_id',
      'shop/reports.py:24 sales.orderinfo.product_id = sales.skuinfo.sku_id',
      'shop/reports.py:24 sales.orderinfo.store_id = sales.skuinfo.store_id',
      'shop/reports.py:28 sales.orderinfo.customer_id = sales.customers.customer_id',
    ];
    await coldAndWarm(dir, '.', (snap, run) => {
      const described = snap.joins.filter((j) => j.via === 'query-builder').map((j) => `${j.origin.file}:${j.origin.line} ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)}`);
      assert.deepEqual(described, expected, run);
    });
  });
});
