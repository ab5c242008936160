import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/sequelize');
const name = qualifiedColumn;
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] });
const keys = (file: string) => facts(file).joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.toEntity ?? j.fromEntity ?? '', j.via, j.keyColumns ?? 1]);

describe('Sequelize', () => {
  it("declares models' tables, columns and keys as Sequelize names them (tableName, underscored, field, freezeTableName)", () => {
    assert.deepEqual(facts('models/order.js').entities, [
      {
        name: 'Order',
        table: { schema: 'sales', name: 'orderinfo' },
        line: 12,
        idColumn: 'order_id',
        fieldColumns: { id: 'order_id', customerId: 'customer_id', productSku: 'product_sku' },
      },
    ]);
    assert.deepEqual(facts('models/customer.js').entities?.map((e) => [e.name, e.table, e.idColumn]), [['Customer', { name: 'Customer' }, 'customer_id']]);
  });

  it("reads attributes' references and the associations of init() models, define() models and associate(models)", () => {
    assert.deepEqual(keys('models/order.js'), [
      // an attribute's references: { model, key }, its column underscored
      [16, 'sales.orderinfo.product_sku', 'skuinfo.sku_id', '', 'orm-foreign-key', 1],
      // this.belongsTo(models.Customer, { foreignKey }): placed on Customer once the workspace is read
      [7, 'sales.orderinfo.customer_id', 'Customers.', 'Customer', 'orm-foreign-key', 1],
      // hasMany: Sequelize's default key, the source's name and Id
      [8, 'Shipments.OrderId', 'sales.orderinfo.order_id', 'Shipment', 'orm-foreign-key', 1],
      // belongsToMany through a table
      [9, 'order_tags.order_id', 'sales.orderinfo.order_id', '', 'orm-foreign-key', 1],
      [9, 'order_tags.tag_id', 'Tags.', 'Tag', 'orm-foreign-key', 1],
    ]);
    // hasOne with foreignKey: { name, field }
    assert.deepEqual(keys('models/customer.js'), [[8, 'Profiles.customer_ref', 'Customer.customer_id', 'Profile', 'orm-one-to-one', 1]]);
  });

  it('reads queryInterface migrations: createTable references, addColumn, addConstraint (composite too)', () => {
    assert.deepEqual(keys('migrations/20240110-create-shipments.js'), [
      // a model named with its schema
      [8, 'shipments.order_id', 'sales.orderinfo.order_id', '', 'migration-foreign-key', 1],
      [11, 'shipments.warehouse_id', 'warehouses.id', '', 'migration-foreign-key', 1],
      [12, 'shipments.store_id', 'tills.store_id', '', 'migration-foreign-key', 2],
      [12, 'shipments.till_no', 'tills.till_no', '', 'migration-foreign-key', 2],
    ]);
  });

  it('places associations on the tables and keys other files declare', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const placed = (await indexer.indexAll()).joins.filter((j) => j.toEntity === 'Customer').map((j) => `${name(j.left)} -> ${name(j.right)}`);
      assert.deepEqual(placed, ['sales.orderinfo.customer_id -> Customer.customer_id']);
    } finally {
      await indexer.dispose();
    }
  });
});
