import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/prisma');
const shop = 'prisma/schema/shop.prisma';
const name = qualifiedColumn;

describe('Prisma schema', () => {
  it('is indexed as its own kind', () => {
    assert.equal(classifyFile(shop, { dbtProjects: [] }), 'prisma');
  });

  it("declares each model's table (@@map, @@schema) and key (@id's @map), and the keys its relations name", () => {
    const f = extractFile(shop, readFileSync(path.join(dir, shop)), { dbtProjects: [] });
    assert.deepEqual(f.entities, [
      { name: 'Customer', table: { schema: 'crm', name: 'customers' }, idColumn: 'customer_id', fieldColumns: { id: 'customer_id' }, line: 14 },
      { name: 'Profile', table: { schema: 'crm', name: 'Profile' }, idColumn: undefined, fieldColumns: { customerRef: 'customer_ref' }, line: 24 },
      {
        name: 'Order',
        table: { schema: 'sales', name: 'orders' },
        idColumn: 'order_id',
        fieldColumns: { id: 'order_id', customerId: 'customer_id', productSku: 'product_sku', createdAt: 'created_at' },
        line: 33,
      },
    ]);
    assert.deepEqual(
      f.joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.toEntity ?? '', j.via]),
      [
        // one-to-one: the field is unique (@@unique of it alone)
        [26, 'crm.Profile.customer_ref', 'crm.customers.customer_id', '', 'orm-one-to-one'],
        // a relation's name first; the columns by @map
        [36, 'sales.orders.customer_id', 'crm.customers.customer_id', '', 'orm-foreign-key'],
        // over several lines, to a model of another file (its field name until that file places it)
        [38, 'sales.orders.product_sku', 'Product.sku', 'Product', 'orm-foreign-key'],
        // a composite key, one pair per column
        [44, 'sales.orders.storeId', 'Till.storeId', 'Till', 'orm-foreign-key'],
        [44, 'sales.orders.tillNo', 'Till.tillNo', 'Till', 'orm-foreign-key'],
      ],
    );
  });

  it('places a relation to a model of another schema file on that model\'s table', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const snap = await indexer.indexAll();
      assert.equal(snap.stats.filesByKind.prisma, 2);
      const placed = snap.joins.filter((j) => j.toEntity).map((j) => `${name(j.left)} -> ${name(j.right)}`);
      // that file's @@map, @@schema and the referenced field's @map
      assert.deepEqual(placed, ['sales.orders.product_sku -> sales.products.sku_code', 'sales.orders.storeId -> sales.Till.storeId', 'sales.orders.tillNo -> sales.Till.tillNo']);
    } finally {
      await indexer.dispose();
    }
  });

  it('reads nothing from a file without models, or from a model word inside a field', () => {
    const text = 'datasource db {\n  provider = "postgresql"\n}\nenum Role {\n  USER\n  ADMIN\n}\n';
    assert.deepEqual(extractFile('schema.prisma', Buffer.from(text), { dbtProjects: [] }).joins, []);
    const odd = 'model Car {\n  id Int @id\n  model String\n  makerId Int\n  maker Maker @relation(fields: [makerId], references: [id])\n}\nmodel Maker {\n  id Int @id @map("maker_id")\n}\n';
    assert.deepEqual(extractFile('schema.prisma', Buffer.from(odd), { dbtProjects: [] }).joins.map((j) => `${name(j.left)} -> ${name(j.right)}`), ['Car.makerId -> Maker.maker_id']);
  });
});
