import { strict as assert } from 'node:assert';
import { parseMermaid } from './mermaidParse';
import { erdSelection, renderMermaidErd, safeTypeToken } from '../../../src/core/modeling/erd';
import type { CatalogSnapshot, TableDef } from '../../../src/core/catalog/model';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { catalogFromDdl } from './devset';

const ddl = `
CREATE TABLE shop.customers (customer_id int PRIMARY KEY, email character varying(256) NOT NULL UNIQUE, "Full Name" text);
CREATE TABLE shop.orders (order_id bigint PRIMARY KEY, customer_id int NOT NULL, note varchar(20), amount numeric(12,2), "2nd col" int);
CREATE TABLE shop.order_lines (order_id bigint, line_no int, product_id int, PRIMARY KEY (order_id, line_no));
CREATE TABLE shop.products (product_id int PRIMARY KEY, name varchar(50));
CREATE TABLE shop.employees (employee_id int PRIMARY KEY, manager_id int);
CREATE TABLE crm.notes (note_id int PRIMARY KEY, body text);`;

describe('modeling/erd', () => {
  const cat = catalogFromDdl(ddl, 'erd.sql');
  const proposals = inferJoins(cat);

  it('maps SQL types to tokens Mermaid accepts', () => {
    assert.equal(safeTypeToken('character varying(256)'), 'varchar_256');
    assert.equal(safeTypeToken('NUMERIC(12, 2)'), 'numeric_12_2');
    assert.equal(safeTypeToken('timestamp without time zone'), 'timestamp');
    assert.equal(safeTypeToken('double precision'), 'double');
    assert.equal(safeTypeToken('int[]'), 'int_array');
    assert.equal(safeTypeToken(undefined), 'unknown');
  });

  it('renders the whole catalog as an erDiagram Mermaid can parse', async () => {
    const text = renderMermaidErd(cat, proposals, { columns: 'all' });
    assert.ok(text.startsWith('erDiagram\n'));
    assert.deepEqual(await parseMermaid(text), { diagramType: 'er', config: {} });
    assert.match(text, /shop_customers\["shop\.customers"\] \{/);
    assert.match(text, /varchar_256 email UK "character varying\(256\)"/);
    assert.match(text, /text Full_Name "Full Name"/);
    assert.match(text, /int _2nd_col "2nd col"/);
    // many-to-one, NOT NULL FK: exactly one customer, zero or more orders; non-identifying
    assert.match(text, /shop_customers \|\|\.\.o\{ shop_orders : "customer_id \(inferred, 0\.\d\d\)"/);
    // identifying (FK part of the PK, so never NULL): exactly one parent
    assert.match(text, /shop_orders \|\|--o\{ shop_order_lines : "order_id/);
    // nullable FK: zero or one parent
    assert.match(text, /shop_products \|o\.\.o\{ shop_order_lines : "product_id/);
    assert.match(text, /shop_employees \|o\.\.o\{ shop_employees : "manager_id/);
  });

  it('keys mode shows only key and join columns, with PK/FK markers', () => {
    const text = renderMermaidErd(cat, proposals, { columns: 'keys' });
    assert.doesNotMatch(text, /\bnote\b/);
    assert.match(text, /bigint order_id PK, FK/);
    assert.match(text, /int customer_id FK/);
  });

  it("marks a column a dbt unique test asserts as UK, as a UNIQUE constraint (keys mode keeps it)", () => {
    const tested = { ...cat, tables: cat.tables.map((t) => (t.name === 'notes' ? { ...t, kind: 'dbtModel' as const, constraints: [], tests: [{ name: 'unique', column: 'body', arguments: {}, origin: t.origin }] } : t)) };
    const text = renderMermaidErd(tested as typeof cat, proposals, { tables: ['notes'], depth: 0, columns: 'keys' });
    assert.match(text, /text body UK/);
  });

  it('leaves ephemeral dbt models out: no warehouse holds them', () => {
    const withEphemeral = { ...cat, tables: cat.tables.map((t) => (t.name === 'customers' ? { ...t, kind: 'dbtModel' as const, dbt: { materialized: 'ephemeral' } } : t)) };
    const hop = renderMermaidErd(withEphemeral, proposals, { tables: ['orders'], depth: 1 });
    assert.deepEqual(entities(hop), ['order_lines', 'orders']);
  });

  it('chosen tables plus N hops', async () => {
    const one = renderMermaidErd(cat, proposals, { tables: ['orders'], depth: 0 });
    assert.deepEqual(entities(one), ['orders']);
    const hop = renderMermaidErd(cat, proposals, { tables: ['orders'], depth: 1 });
    assert.deepEqual(entities(hop), ['customers', 'order_lines', 'orders']);
    const two = renderMermaidErd(cat, proposals, { tables: ['shop.orders'], depth: 2 });
    assert.deepEqual(entities(two), ['customers', 'order_lines', 'orders', 'products']);
    await parseMermaid(two);
  });

  it('finds the tables it is asked for by a lookup per table, not by comparing every name asked for with every table', () => {
    const reads = { n: 0 };
    const origin = { kind: 'ddl' as const, file: 'dump.sql', line: 1 };
    const tables: TableDef[] = Array.from({ length: 400 }, (_, i) => {
      const t = { schema: 'dump', kind: 'table', origin, constraints: [], columns: [{ name: 'id', dataType: 'int', origin }] } as unknown as TableDef;
      return Object.defineProperty(t, 'name', { get: () => { reads.n++; return `T${i}`; }, enumerable: true });
    });
    const catalog: CatalogSnapshot = { tables, conflicts: [] };
    // what Preview ERD asks for with a dump file of these tables open: every one of them, some by bare name
    const wanted = tables.map((_, i) => (i % 3 ? `dump.t${i}` : `T${i}`));
    reads.n = 0;
    const { tables: chosen } = erdSelection(catalog, [], { tables: wanted, depth: 1 });
    assert.equal(chosen.length, 400);
    assert.ok(reads.n <= 10 * tables.length, `${reads.n} reads of table names for ${tables.length} tables`);
    assert.deepEqual(erdSelection(catalog, [], { tables: ['DUMP.T7', 't8'] }).tables.map((t) => t.name), ['T7', 'T8']);
  });
});

function entities(text: string): string[] {
  return [...text.matchAll(/^ {2}(\w+)(?:\[[^\]]*\])? \{$/gm)].map((m) => m[1]!).sort();
}
