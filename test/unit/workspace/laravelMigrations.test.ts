import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { laravelMigrationKeys } from '../../../src/core/workspace/laravelMigrations';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/orm/laravel');
const migration = 'database/migrations/2024_01_10_000000_create_orders_table.php';
const name = qualifiedColumn;
const keysOf = (php: string): string[] => laravelMigrationKeys(tokenize(php, 'php'), php, 'm.php').joins.map((j) => `${name(j.left)} -> ${name(j.right)}`);

describe('Laravel migrations', () => {
  it('reads the keys that Schema::create and Schema::table declare, as Laravel names them', () => {
    const f = extractFile(migration, readFileSync(path.join(dir, migration)), { dbtProjects: [] });
    assert.deepEqual(
      f.joins.map((j) => [j.origin.line, name(j.left), name(j.right), j.toEntity ?? '', j.via, j.keyColumns ?? 1]),
      [
        // constrained(): the column without _id, pluralized, and its id
        [16, 'orders.category_id', 'categories.id', '', 'migration-foreign-key', 1],
        [17, 'orders.shipper_id', 'carriers.id', '', 'migration-foreign-key', 1],
        // named arguments
        [18, 'orders.coupon_code', 'coupons.code', '', 'migration-foreign-key', 1],
        // foreign()->references()->on(), in either order, a schema in the table's name
        [20, 'orders.vendor_id', 'vendors.vendor_id', '', 'migration-foreign-key', 1],
        [21, 'orders.region_code', 'geo.regions.code', '', 'migration-foreign-key', 1],
        // foreignIdFor: the model's table and key, placed once the workspace is read
        [22, 'orders.customer_id', 'customers.', 'Customer', 'migration-foreign-key', 1],
        [23, 'orders.ship_from_id', 'warehouses.', 'Warehouse', 'migration-foreign-key', 1],
        // a composite key: its pairs say how many columns it has
        [25, 'orders.store_id', 'tills.store_id', '', 'migration-foreign-key', 2],
        [25, 'orders.till_no', 'tills.till_no', '', 'migration-foreign-key', 2],
        // Schema::table by the facade's full name, a closure parameter of another name
        [33, 'order_lines.order_id', 'orders.id', '', 'migration-foreign-key', 1],
      ],
    );
  });

  it('places foreignIdFor on the table and key its model declares', async () => {
    const indexer = new WorkspaceIndexer({ root: dir });
    try {
      const joins = (await indexer.indexAll()).joins.filter((j) => j.toEntity);
      assert.deepEqual(joins.map((j) => `${name(j.left)} -> ${name(j.right)}`), ['orders.customer_id -> customers.id', 'orders.ship_from_id -> depots.depot_id']);
    } finally {
      await indexer.dispose();
    }
  });

  it('reads no key from a plain column, a key of unequal lists, another object or a variable table', () => {
    const none = `<?php
      Schema::create('a', function (Blueprint $table) {
        $table->foreign(['x', 'y'])->references(['x'])->on('b');
        $table->foreign(['x', $y])->references(['x', 'y'])->on('b');
        $table->foreignId('legacy_ref');
        $table->foreign('z');
        $other->foreignId('customer_id')->constrained();
        $table->foreign('w')->references('id')->on($name);
      });
      Schema::create($name, function (Blueprint $table) { $table->foreignId('customer_id')->constrained(); });
      $builder->create('a', function (Blueprint $table) { $table->foreignId('customer_id')->constrained(); });`;
    assert.deepEqual(keysOf(none), []);
  });

  it('reads closures with use (…) and a return type, and arrow functions', () => {
    const php = `<?php
      Schema::table('orders', function (Blueprint $table) use ($prefix): void {
        $table->foreignId('customer_id')->constrained();
      });
      Schema::table('lines', fn (Blueprint $t) => $t->foreign('order_id')->references('id')->on('orders'));`;
    assert.deepEqual(keysOf(php), ['orders.customer_id -> customers.id', 'lines.order_id -> orders.id']);
  });

  it('reads Schema::connection(…)->create and a column named without _id', () => {
    const php = `<?php Schema::connection('mysql')->create('posts', function (Blueprint $table) {
      $table->foreignId('author')->constrained('users');
      $table->foreignId('editor_id')->constrained(column: 'user_id', table: 'staff');
    });`;
    assert.deepEqual(keysOf(php), ['posts.author -> users.id', 'posts.editor_id -> staff.user_id']);
  });
});
