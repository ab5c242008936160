import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/typeorm');
const name = qualifiedColumn;
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), { dbtProjects: [] });

describe('TypeORM entities', () => {
  it("declares each @Entity's table (a name, an options object, or the class in snake_case) and primary column", () => {
    assert.deepEqual(facts('order.entity.ts').entities, [{ name: 'Order', table: { schema: 'sales', name: 'orders' }, idColumn: 'order_id', line: 7 }]);
    assert.deepEqual(facts('customer.entity.ts').entities, [{ name: 'Customer', table: { schema: 'sales', name: 'customers' }, idColumn: 'customer_code', line: 4 }]);
    assert.deepEqual(facts('invoice.entity.ts').entities, [{ name: 'Invoice', table: { name: 'invoice' }, idColumn: 'id', line: 5 }]);
  });

  it('owns a key for each @ManyToOne and each @OneToOne with @JoinColumn, its column named or TypeORM\'s <property>Id', () => {
    assert.deepEqual(
      facts('order.entity.ts').joins.map((j) => [j.origin.line, name(j.left), j.toEntity, j.right.column, j.via]),
      [
        [13, 'sales.orders.customer_id', 'Customer', 'id', 'orm-foreign-key'],
        [16, 'sales.orders.warehouseId', 'Warehouse', '', 'orm-foreign-key'],
        [20, 'sales.orders.invoice_ref', 'Invoice', '', 'orm-one-to-one'],
        // the owning @ManyToMany's @JoinTable: a key to each side
        [27, 'sales.order_tags.order_id', undefined, 'order_id', 'orm-foreign-key'],
        [27, 'sales.order_tags.tag_id', 'Tag', 'tag_id', 'orm-foreign-key'],
      ],
    );
    // the inverse side of a one-to-one holds no key
    assert.deepEqual(facts('invoice.entity.ts').joins, []);
  });

  it('places each relationship on the table and key its target entity declares', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const joins = (await indexer.indexAll()).joins;
      assert.deepEqual(
        joins.map((j) => `${name(j.left)} -> ${name(j.right)}`),
        [
          'sales.orders.customer_id -> sales.customers.id',
          'sales.orders.warehouseId -> warehouse.id',
          'sales.orders.invoice_ref -> invoice.id',
          'sales.order_tags.order_id -> sales.orders.order_id',
          'sales.order_tags.tag_id -> tag.tag_id',
        ],
      );
    } finally {
      await indexer.dispose();
    }
  });
});
