import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/js');
const name = qualifiedColumn;
const keys = (file: string) =>
  extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] }).joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.toEntity ?? '', j.via, j.keyColumns ?? 1]);

describe('Keys of TypeScript/JavaScript schema code', () => {
  it('reads knex migrations: references().inTable(), references(table.column), foreign() lists, withSchema', () => {
    assert.deepEqual(keys('migrations/20240110_create_orders.js'), [
      [7, 'sales.orders.customer_id', 'customers.customer_id', '', 'migration-foreign-key', 1],
      [8, 'sales.orders.vendor_id', 'sales.vendors.vendor_id', '', 'migration-foreign-key', 1],
      // a composite key
      [11, 'sales.orders.store_id', 'tills.store_id', '', 'migration-foreign-key', 2],
      [11, 'sales.orders.till_no', 'tills.till_no', '', 'migration-foreign-key', 2],
      // alterTable with an arrow callback; .on() as .inTable()
      [16, 'shipments.order_id', 'orders.order_id', '', 'migration-foreign-key', 1],
      [17, 'shipments.carrier_id', 'carriers.id', '', 'migration-foreign-key', 1],
    ]);
  });

  it("reads Drizzle tables: each table's columns by their names, .references(() => t.col) and foreignKey()", () => {
    const f = extractFile('db/schema.ts', readFileSync(path.join(dir, 'db/schema.ts')), { dbtProjects: [] });
    assert.deepEqual(
      f.entities?.map((e) => [e.name, name({ table: e.table, column: e.idColumn ?? '' })]),
      [
        ['customers', 'customers.customer_id'],
        // a pgSchema's table
        ['orders', 'sales.orders.order_id'],
        ['tills', 'tills.'],
      ],
    );
    assert.deepEqual(keys('db/schema.ts'), [
      [15, 'sales.orders.customer_id', 'customers.customer_id', '', 'orm-foreign-key', 1],
      // a table of another file: its variable, placed once the workspace is read
      [16, 'sales.orders.product_sku', 'products.sku', 'products', 'orm-foreign-key', 1],
      // foreignKey() over two columns, to a table declared later in the file; a column named by its property
      [21, 'sales.orders.store_id', 'tills.store_id', '', 'orm-foreign-key', 2],
      [21, 'sales.orders.tillNo', 'tills.till_no', '', 'orm-foreign-key', 2],
    ]);
  });

  it("reads Drizzle's callback form of columns, `(t) => ({ … })`", () => {
    const ts = `export const vendors = pgTable('vendors', (t) => ({ id: t.integer('vendor_id').primaryKey() }));
export const skus = pgTable('skuinfo', (t) => ({
  id: t.integer('sku_id').primaryKey(),
  vendorId: t.integer('vendor_id').references(() => vendors.id),
}));`;
    const f = extractFile('db/catalog.ts', Buffer.from(ts), { dbtProjects: [] });
    assert.deepEqual(f.entities?.map((e) => [e.name, name({ table: e.table, column: e.idColumn ?? '' })]), [['vendors', 'vendors.vendor_id'], ['skus', 'skuinfo.sku_id']]);
    assert.deepEqual(f.joins.map((j) => `${j.origin.line}: ${name(j.left)} -> ${name(j.right)}`), ['4: skuinfo.vendor_id -> vendors.vendor_id']);
  });

  it("places a Drizzle reference to another file's table on that table and its column's name", async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const placed = (await indexer.indexAll()).joins.filter((j) => j.toEntity).map((j) => `${name(j.left)} -> ${name(j.right)}`);
      assert.deepEqual(placed, ['sales.orders.product_sku -> skuinfo.sku_code']);
    } finally {
      await indexer.dispose();
    }
  });

  it('reads nothing from other chains: a variable table, a callback-less createTable, a plain references() call', () => {
    const js = `knex.schema.createTable(name, (t) => { t.integer('a').references('b.id'); });
      knex.schema.createTable('x');
      other.references('a.b');
      db.table('y', (t) => { t.integer('c_id').references(id).inTable('c'); });`;
    assert.deepEqual(extractFile('m.js', Buffer.from(js), { dbtProjects: [] }).joins, []);
  });
});
