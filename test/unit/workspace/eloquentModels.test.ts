import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultTable } from '../../../src/core/workspace/eloquentModels';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/eloquent');
const name = qualifiedColumn;
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] });

describe('Eloquent models', () => {
  it("names tables as Laravel does: the class's last word pluralized, in snake_case", () => {
    assert.deepEqual(
      ['Order', 'OrderLine', 'Category', 'Person', 'Status', 'Address', 'CompanyKey', 'Equipment', 'Box'].map(defaultTable),
      ['orders', 'order_lines', 'categories', 'people', 'statuses', 'addresses', 'company_keys', 'equipment', 'boxes'],
    );
  });

  it('declares each model (its $table, $primaryKey) and the keys its belongsTo, hasMany and hasOne name', () => {
    const f = facts('Order.php');
    assert.deepEqual(f.entities, [{ name: 'Order', table: { schema: 'sales', name: 'orderinfo' }, idColumn: 'order_id', line: 9 }]);
    assert.deepEqual(
      f.joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.fromEntity ?? '', j.toEntity ?? '', j.via]),
      [
        // belongsTo: this table's <method>_id to the related model's key (its own file says which)
        [16, 'sales.orderinfo.customer_id', 'customers.', '', 'Customer', 'orm-foreign-key'],
        [21, 'sales.orderinfo.vendor_id', 'vendors.vendor_id', '', 'Vendor', 'orm-foreign-key'],
        // hasMany / hasOne: the related table's <this class>_id to this model's key
        [26, 'order_lines.order_id', 'sales.orderinfo.order_id', 'OrderLine', '', 'orm-foreign-key'],
        // a class named in a string, namespace and all
        [31, 'shipments.order_id', 'sales.orderinfo.order_id', 'Shipment', '', 'orm-one-to-one'],
      ],
    );
    // an application's own base model counts; a self-reference
    assert.deepEqual(facts('Category.php').joins.map((j) => `${name(j.left)} -> ${name(j.right)}`), ['categories.parent_id -> categories.']);
  });

  it('places relationships on what the related models declare, once the workspace is read', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const joins = (await indexer.indexAll()).joins;
      assert.deepEqual(joins.map((j) => `${name(j.left)} -> ${name(j.right)}`), [
        'categories.parent_id -> categories.id',
        // belongsToMany: the pivot's key to each model (by default customer_segment, customer_id, segment_id)
        'customer_segment.customer_id -> customers.customer_id',
        'customer_segment.segment_id -> segments.id',
        // a pivot, its keys and the models' keys given
        'crm.store_members.member_id -> customers.customer_id',
        'crm.store_members.store_code -> stores.code',
        // Customer's $primaryKey
        'sales.orderinfo.customer_id -> customers.customer_id',
        'sales.orderinfo.vendor_id -> vendors.vendor_id',
        // OrderLine's $table, on the key's side
        'sales.order_lines.order_id -> sales.orderinfo.order_id',
        'shipments.order_id -> sales.orderinfo.order_id',
      ]);
    } finally {
      await indexer.dispose();
    }
  });
});
