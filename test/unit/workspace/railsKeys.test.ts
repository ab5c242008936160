import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { pluralize, singularize } from '../../../src/core/workspace/inflection';
import { railsTable } from '../../../src/core/workspace/railsKeys';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/ruby');
const name = qualifiedColumn;
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] });
const keys = (file: string) => facts(file).joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.toEntity ?? j.fromEntity ?? '', j.via, j.keyColumns ?? 1]);

describe('Rails keys', () => {
  it("names tables and keys as Rails's inflector does", () => {
    assert.deepEqual(['Order', 'OrderLine', 'Category', 'Person', 'Status', 'Address'].map(railsTable), ['orders', 'order_lines', 'categories', 'people', 'statuses', 'addresses']);
    const words = ['customer', 'category', 'address', 'status', 'box', 'person', 'key', 'order_line', 'match', 'bus', 'horse'];
    assert.deepEqual(words.map((w) => singularize(pluralize(w))), words);
    // a word ending in one `s` is its own plural, as Rails's and GORM's inflectors have it
    assert.deepEqual(['tools', 'settings', 'alias', 'class', 'synopsis'].map(pluralize), ['tools', 'settings', 'aliases', 'classes', 'synopses']);
  });

  it("declares ActiveRecord models' tables and keys, and the keys of belongs_to, has_many, has_one and habtm", () => {
    assert.deepEqual(facts('app/models/order.rb').entities, [{ name: 'Order', table: { name: 'orderinfo' }, idColumn: 'order_id', line: 3 }]);
    assert.deepEqual(keys('app/models/order.rb'), [
      // belongs_to: <association>_id to the related model's key (its own file says which)
      [7, 'orderinfo.customer_id', 'customers.', 'Customer', 'orm-foreign-key', 1],
      [8, 'orderinfo.product_id', 'skus.', 'Sku', 'orm-foreign-key', 1],
      // has_many / has_one: their <model>_id to this model's key
      [9, 'shipments.order_id', 'orderinfo.order_id', 'Shipment', 'orm-foreign-key', 1],
      [10, 'invoices.order_id', 'orderinfo.order_id', 'Invoice', 'orm-one-to-one', 1],
    ]);
    assert.deepEqual(keys('app/models/customer.rb'), [
      [4, 'orders.customer_id', 'customers.customer_id', 'Order', 'orm-foreign-key', 1],
      // the join table: both tables in lexical order
      [5, 'customers_segments.customer_id', 'customers.customer_id', '', 'orm-foreign-key', 1],
      [5, 'customers_segments.segment_id', 'segments.', 'Segment', 'orm-foreign-key', 1],
      // class_name: a model related to itself; a polymorphic association declares no key
      [6, 'customers.referrer_id', 'customers.', 'Customer', 'orm-foreign-key', 1],
    ]);
    // an abstract base is no model
    assert.deepEqual(facts('app/models/application_record.rb').entities, undefined);
    // a subclass of another model, in a models folder, shares its table (and key, unless it names its own)
    assert.deepEqual(facts('app/models/business_customer.rb').entities, [{ name: 'BusinessCustomer', table: { name: 'business_customers' }, extends: 'Customer', line: 2 }]);
    assert.deepEqual(facts('app/models/legacy_order.rb').entities?.map((e) => [e.name, e.table.name, e.extends]), [['Refund', 'refunds', 'LegacyModel']]);
  });

  it('reads the keys of db/schema.rb and migrations: add_foreign_key, t.references, add_reference', () => {
    assert.deepEqual(keys('db/schema.rb'), [
      // foreign_key: { to_table:, primary_key: }; `foreign_key: false` and polymorphic references are no keys
      [12, 'orderinfo.store_id', 'shops.shop_id', '', 'migration-foreign-key', 1],
      // the column Rails names after the referenced table, or the one given
      [23, 'orderinfo.customer_id', 'customers.customer_id', '', 'migration-foreign-key', 1],
      [24, 'orderinfo.product_id', 'skus.sku_id', '', 'migration-foreign-key', 1],
      [25, 'shipments.order_id', 'orderinfo.order_id', '', 'migration-foreign-key', 1],
      // a composite key
      [26, 'shipments.store_id', 'tills.store_id', '', 'migration-foreign-key', 2],
      [26, 'shipments.till_no', 'tills.till_no', '', 'migration-foreign-key', 2],
    ]);
    assert.deepEqual(keys('db/20240601093000_add_carrier_to_shipments.rb'), [
      [3, 'shipments.carrier_id', 'carriers.id', '', 'migration-foreign-key', 1],
      // change_table's block variable, of another name
      [5, 'shipments.warehouse_id', 'warehouses.id', '', 'migration-foreign-key', 1],
    ]);
  });

  it('places associations on the tables and keys the related models declare, once the workspace is read', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const joins = (await indexer.indexAll()).joins.filter((j) => j.toEntity || j.fromEntity);
      assert.deepEqual(
        joins.map((j) => `${j.origin.file}:${j.origin.line} ${name(j.left)} -> ${name(j.right)}`),
        [
          // single-table inheritance: a subclass's associations on its parent's table and key
          'app/models/business_customer.rb:3 customers.account_manager_id -> employees.id',
          'app/models/business_customer.rb:4 contracts.business_customer_id -> customers.customer_id',
          'app/models/customer.rb:4 orderinfo.customer_id -> customers.customer_id',
          'app/models/customer.rb:5 customers_segments.segment_id -> segments.id',
          'app/models/customer.rb:6 customers.referrer_id -> customers.customer_id',
          // a subclass of an abstract base keeps its own table; the model it points at shares its parent's
          'app/models/legacy_order.rb:7 refunds.business_customer_id -> customers.customer_id',
          'app/models/order.rb:7 orderinfo.customer_id -> customers.customer_id',
          // class_name: "Sku", placed on Sku's table_name and primary_key
          'app/models/order.rb:8 orderinfo.product_id -> sales.skuinfo.sku_id',
          'app/models/order.rb:9 shipments.order_id -> orderinfo.order_id',
          'app/models/order.rb:10 invoices.order_id -> orderinfo.order_id',
        ],
      );
    } finally {
      await indexer.dispose();
    }
  });
});
