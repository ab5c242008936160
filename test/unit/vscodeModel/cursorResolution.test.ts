import * as assert from 'node:assert/strict';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { completionsAt, resolveAtCursor } from '../../../src/core/sql/cursorResolution';
import { extractSql } from '../../../src/core/workspace/sqlExtractor';

const DDL = `
CREATE TABLE sales.orderinfo (order_id BIGINT NOT NULL, product_id INTEGER, customer_id INTEGER, PRIMARY KEY (order_id));
CREATE TABLE sales.skuinfo (sku_id INTEGER NOT NULL, sku_name VARCHAR(200));
CREATE TABLE public.customers (customer_id INTEGER, name VARCHAR(100));
`;
const catalog = new CatalogIndex(buildCatalog([extractSql('ddl.sql', DDL)]));

function at(sql: string, marker: string, delta = 0) {
  const offset = sql.indexOf(marker) + delta;
  assert.ok(offset >= delta, `marker ${marker} missing`);
  return resolveAtCursor(sql, offset, catalog);
}

describe('resolveAtCursor', () => {
  const q = 'select o.product_id, s.sku_name from sales.orderinfo o join sales.skuinfo as s on o.product_id = s.sku_id';

  it('resolves an aliased column to its table', () => {
    const t = at(q, 'product_id');
    assert.equal(t?.kind, 'column');
    assert.equal(t?.kind === 'column' && `${t.table.name}.${t.column.name}`, 'orderinfo.product_id');
  });

  it('resolves an alias and a schema-qualified table name to the table', () => {
    const alias = at(q, 's.sku_name');
    assert.equal(alias?.kind === 'table' && alias.table.name, 'skuinfo');
    const qualified = at(q, 'orderinfo o', 2);
    assert.equal(qualified?.kind === 'table' && qualified.table.name, 'orderinfo');
  });

  it('resolves a bare column through the tables in scope, and reports ambiguity', () => {
    const single = at('select sku_name from sales.skuinfo', 'sku_name');
    assert.equal(single?.kind === 'column' && single.table.name, 'skuinfo');
    const amb = at('select customer_id from sales.orderinfo, customers', 'customer_id');
    assert.equal(amb?.kind, 'columns');
    assert.equal(amb?.kind === 'columns' && amb.hits.length, 2);
  });

  it('looks only at the statement under the cursor', () => {
    const two = 'select * from sales.skuinfo s;\nselect s.product_id from sales.orderinfo s;';
    const t = at(two, 'product_id');
    assert.equal(t?.kind === 'column' && t.table.name, 'orderinfo');
  });

  it('returns nothing for unknown names and inside string literals', () => {
    assert.equal(at('select x.nope from sales.orderinfo x', 'nope'), undefined);
    assert.equal(at("select 'product_id' from sales.orderinfo", 'product_id'), undefined);
  });

  it('completes the columns of an alias after a dot', () => {
    const sql = 'select s. from sales.skuinfo s';
    const names = completionsAt(sql, sql.indexOf('s.') + 2, catalog).filter((c) => c.kind === 'column').map((c) => c.kind === 'column' && c.column.name);
    assert.deepEqual(names.sort(), ['sku_id', 'sku_name']);
  });

  it('offers a table outside the default search path with its schema, and after `schema.` by its name', () => {
    const tables = (sql: string) => completionsAt(sql, sql.length, catalog).flatMap((c) => (c.kind === 'table' ? [`${c.table.name}${c.qualified ? ' (qualified)' : ''}`] : [])).sort();
    assert.deepEqual(tables('select * from cust'), ['customers', 'orderinfo (qualified)', 'skuinfo (qualified)']);
    assert.deepEqual(tables('select * from sales.'), ['orderinfo', 'skuinfo']);
  });
});
