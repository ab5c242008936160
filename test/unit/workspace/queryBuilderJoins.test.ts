import assert from 'node:assert/strict';
import { tokenize } from '../../../src/core/workspace/codeConstants/lexer';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { queryBuilderJoins } from '../../../src/core/workspace/queryBuilderJoins';
import type { JoinPair } from '../../../src/core/sql/types';
import { qualifiedColumn } from './helpers';

const name = qualifiedColumn;
const pairs = (joins: JoinPair[]): string[] => joins.map((j) => `${j.origin.line}: ${name(j.left)} = ${name(j.right)} ${j.joinType}`);

function php(src: string): JoinPair[] {
  return queryBuilderJoins(src, tokenize(src, 'php'), 'php', 'Repo.php').joins;
}

function ts(src: string): JoinPair[] {
  return queryBuilderJoins(src, tokenize(src, 'typescript'), 'typescript', 'repo.ts').joins;
}

describe('query-builder joins', () => {
  it("reads Laravel's join calls: the operator form, leftJoin, and a closure's on() conditions", () => {
    const joins = php(`<?php
$rows = DB::table('sales.orders as o')
    ->join('sales.customers as c', 'c.id', '=', 'o.customer_id')
    ->leftJoin('sales.shipments', 'shipments.order_id', '=', 'o.id')
    ->get();
$lines = DB::table('sales.order_lines')
    ->join('sales.orders', function ($join) {
        $join->on('order_lines.order_id', '=', 'orders.id')->on('order_lines.shop_id', '=', 'orders.shop_id');
    })
    ->get();
`);
    assert.deepEqual(pairs(joins), [
      '3: sales.customers.id = sales.orders.customer_id inner',
      '4: sales.shipments.order_id = sales.orders.id left',
      '8: sales.order_lines.order_id = sales.orders.id inner',
      '8: sales.order_lines.shop_id = sales.orders.shop_id inner',
    ]);
    // the closure's two conditions are one join's: together they may cover a composite key
    assert.deepEqual(joins[2]!.condition, joins[3]!.condition);
    assert.ok(joins[2]!.condition);
    assert.equal(joins[0]!.condition, undefined);
    assert.ok(joins.every((j) => j.via === 'query-builder' && j.origin.kind === 'code' && j.origin.file === 'Repo.php'));
  });

  it("reads an Eloquent model's query, whose own table is written only in its columns", () => {
    const joins = php(`<?php
class Order extends Model {
    public function scopeWithCustomer($query) {
        return $query->join('customers', 'customers.id', '=', 'orders.customer_id')
            ->leftJoin('crm.regions', 'crm.regions.id', '=', 'customers.region_id');
    }
}
`);
    assert.deepEqual(pairs(joins), ['4: customers.id = orders.customer_id inner', '5: crm.regions.id = customers.region_id left']);
  });

  it("reads Doctrine DBAL's (fromAlias, table, alias, condition) joins through from()'s alias", () => {
    const joins = php(`<?php
$qb = $conn->createQueryBuilder()
    ->select('o.id')
    ->from('shop.orders', 'o')
    ->innerJoin('o', 'shop.customers', 'c', 'c.id = o.customer_id')
    ->leftJoin('o', 'shop.invoices', 'i', 'i.order_id = o.id AND i.shop_id = o.shop_id');
`);
    assert.deepEqual(pairs(joins), [
      '5: shop.customers.id = shop.orders.customer_id inner',
      '6: shop.invoices.order_id = shop.orders.id left',
      '6: shop.invoices.shop_id = shop.orders.shop_id left',
    ]);
  });

  it('reads knex and Kysely joins, with or without the operator', () => {
    const joins = ts(`
const a = await knex('hr.people as p').join('hr.teams as t', 't.id', 'p.team_id').select('p.id');
const b = await db.selectFrom('hr.people').leftJoin('hr.badges', 'badges.person_id', '=', 'people.id').selectAll().execute();
`);
    assert.deepEqual(pairs(joins), ['2: hr.teams.id = hr.people.team_id inner', '3: hr.badges.person_id = hr.people.id left']);
  });

  it('gives nothing for what it cannot tell: other join() calls, variables, interpolation, ORs, aliases of another statement', () => {
    assert.deepEqual(
      ts(`
const p = path.join('src', 'a.b', 'c.d');
const p2 = path.join('src', 'src.b', 'c.d');
const s = names.join(', ');
const q = knex(table).join(other, 'a.id', 'b.a_id');
const r = knex('x as a').join(\`y\${n} as b\`, 'b.a_id', 'a.id');
`),
      [],
    );
    assert.deepEqual(
      php(`<?php
$q = DB::table('orders as o');
$q->join('customers as c', 'c.id', '=', 'o.customer_id');
$rows->join(', ', ' and ');
$d->from('orders', 'o')->leftJoin('o', 'refunds', 'r', 'r.order_id = o.id OR r.alt_id = o.id');
`).map((j) => name(j.left)),
      [],
    );
  });

  it('are join facts of the code file, with the tables they join as references', () => {
    const facts = extractFile('app/Repo.php', Buffer.from(`<?php\nDB::table('sales.orders as o')->join('sales.customers as c', 'c.id', '=', 'o.customer_id')->get();\n`), { dbtProjects: [] });
    assert.deepEqual(pairs(facts.joins), ['2: sales.customers.id = sales.orders.customer_id inner']);
    assert.deepEqual(facts.tableRefs.map((t) => `${t.schema}.${t.name}:${t.origin.line}`).sort(), ['sales.customers:2', 'sales.orders:2']);
  });
});
