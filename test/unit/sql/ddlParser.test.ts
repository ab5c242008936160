import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableDef } from '../../../src/core/catalog/model';
import { parseSql } from '../../../src/core/sql/ddlParser';
import type { DdlOperation } from '../../../src/core/sql/types';

const FIXTURES = join(__dirname, '../../fixtures/sql');
const FILE = 'warehouse/redshift_sales.sql';

type CreateOp = Extract<DdlOperation, { op: 'createTable' }>;

function creates(ops: DdlOperation[]): CreateOp[] {
  return ops.filter((o): o is CreateOp => o.op === 'createTable');
}

function table(ops: DdlOperation[], schema: string, name: string): TableDef {
  const t = creates(ops).find((o) => o.table.schema === schema && o.table.name === name)?.table;
  assert.ok(t, `no CREATE for ${schema}.${name}`);
  return t;
}

function col(t: TableDef, name: string) {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `no column ${name} in ${t.name}`);
  return c;
}

describe('parseSql: Redshift DDL fixture', () => {
  const text = readFileSync(join(FIXTURES, 'redshift_sales.sql'), 'utf8');
  const result = parseSql(text, FILE);

  it('parses the whole fixture without diagnostics', () => {
    assert.deepEqual(result.diagnostics, []);
  });

  it('reads columns, types, families, encodings, identity, nullability and defaults', () => {
    const t = table(result.ddl, 'sales', 'orderinfo');
    assert.equal(t.kind, 'table');
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ['order_id', 'customer_id', 'product_id', 'order_ts', 'quantity', 'unit_price', 'discount', 'channel', 'notes', 'payload', 'OrderStatus'],
    );
    const id = col(t, 'order_id');
    assert.equal(id.dataType, 'BIGINT');
    assert.equal(id.typeFamily, 'integer');
    assert.equal(id.identity, true);
    assert.equal(id.nullable, false);
    assert.equal(id.encoding, 'az64');
    assert.equal(col(t, 'product_id').encoding, 'zstd');
    assert.equal(col(t, 'channel').encoding, 'lzo');
    assert.equal(col(t, 'order_ts').dataType, 'TIMESTAMP WITHOUT TIME ZONE');
    assert.equal(col(t, 'order_ts').typeFamily, 'timestamp');
    assert.equal(col(t, 'order_ts').defaultExpr, 'GETDATE()');
    assert.equal(col(t, 'unit_price').dataType, 'NUMERIC(12,2)');
    assert.equal(col(t, 'unit_price').typeFamily, 'numeric');
    assert.equal(col(t, 'discount').dataType, 'DOUBLE PRECISION');
    assert.equal(col(t, 'discount').typeFamily, 'float');
    assert.equal(col(t, 'channel').dataType, 'CHARACTER VARYING(20)');
    assert.equal(col(t, 'channel').defaultExpr, "'web'::character varying");
    assert.equal(col(t, 'notes').dataType, 'VARCHAR(MAX)');
    assert.equal(col(t, 'notes').typeFamily, 'text');
    assert.equal(col(t, 'payload').typeFamily, 'json');
    assert.equal(col(t, 'OrderStatus').dataType, 'CHAR(1)');
    assert.equal(col(t, 'quantity').defaultExpr, '1');
  });

  it('reads DISTKEY, DISTSTYLE, compound and interleaved SORTKEY', () => {
    const o = table(result.ddl, 'sales', 'orderinfo');
    assert.equal(o.distKey, 'customer_id');
    assert.equal(col(o, 'customer_id').distKey, true);
    assert.equal(o.distStyle, 'key');
    assert.deepEqual(o.sortKey, { style: 'compound', columns: ['order_ts', 'customer_id'] });
    const s = table(result.ddl, 'sales', 'skuinfo');
    assert.equal(s.distStyle, 'all');
    assert.deepEqual(s.sortKey, { style: 'interleaved', columns: ['sku_id', 'category_id'] });
    const c = table(result.ddl, 'sales', 'category');
    assert.equal(c.distStyle, 'even');
    assert.equal(c.sortKey, undefined);
  });

  it('reads column and table constraints with names and origins', () => {
    const o = table(result.ddl, 'sales', 'orderinfo');
    const pk = o.constraints.find((c) => c.kind === 'primaryKey');
    assert.deepEqual({ name: pk?.name, columns: pk?.columns }, { name: 'pk_orderinfo', columns: ['order_id'] });
    const fk = o.constraints.find((c) => c.kind === 'foreignKey');
    assert.deepEqual(fk?.references, { schema: 'sales', table: 'skuinfo', columns: ['sku_id'] });
    assert.equal(fk?.name, 'fk_orderinfo_sku');
    assert.deepEqual(fk?.origin, { kind: 'ddl', file: FILE, line: 20, column: 5 });

    const s = table(result.ddl, 'sales', 'skuinfo');
    assert.deepEqual(s.constraints.map((c) => `${c.kind}:${c.columns.join(',')}`), ['primaryKey:sku_id', 'foreignKey:category_id', 'check:list_price']);
    assert.equal(s.constraints[2].expression, 'list_price >= 0');
    assert.deepEqual(s.constraints[1].references, { schema: 'sales', table: 'category', columns: ['category_id'] });

    const c = table(result.ddl, 'sales', 'category');
    assert.equal(col(c, 'category_id').identity, true);
    assert.equal(col(c, 'tags').dataType, 'varchar(64)[]');
    assert.equal(col(c, 'tags').typeFamily, 'other');
    assert.deepEqual(c.constraints.map((x) => `${x.kind}:${x.columns.join(',')}`), ['unique:name', 'primaryKey:category_id']);
  });

  it('records table and column origins at the name', () => {
    const o = table(result.ddl, 'sales', 'orderinfo');
    assert.deepEqual(o.origin, { kind: 'ddl', file: FILE, line: 7, column: 28 });
    assert.deepEqual(col(o, 'customer_id').origin, { kind: 'ddl', file: FILE, line: 9, column: 5 });
  });

  it('reads CREATE TEMP TABLE (LIKE ...) with the public default schema', () => {
    const op = creates(result.ddl).find((o) => o.table.name === 'stage_orders');
    assert.equal(op?.temporary, true);
    assert.equal(op?.table.schema, 'public');
    assert.deepEqual(op?.likeTable, { schema: 'sales', name: 'orderinfo' });
  });

  it('derives CREATE TABLE AS columns from the select list, with casts as types', () => {
    const t = table(result.ddl, 'sales', 'daily_sku_sales');
    assert.deepEqual(t.columns.map((c) => c.name), ['sku_id', 'sale_date', 'units']);
    assert.equal(col(t, 'sale_date').dataType, 'date');
    assert.equal(t.distKey, 'sku_id');
    assert.deepEqual(t.sortKey, { style: 'compound', columns: ['sale_date'] });
    assert.ok(t.definitionSql?.startsWith('SELECT o.product_id AS sku_id'));
  });

  it('reads views and materialized views with output columns and definition SQL', () => {
    const v = creates(result.ddl).find((o) => o.table.name === 'v_order_lines');
    assert.equal(v?.orReplace, true);
    assert.equal(v?.table.kind, 'view');
    assert.deepEqual(v?.table.columns.map((c) => c.name), ['order_id', 'cust', 'sku_desc', 'line_total']);
    assert.ok(v?.table.definitionSql?.endsWith('ON s.sku_id = o.product_id'), 'WITH NO SCHEMA BINDING is not part of the definition');
    assert.equal(v?.table.columns[1].origin.line, 60);
    const mv = table(result.ddl, 'sales', 'mv_category_totals');
    assert.equal(mv.kind, 'materializedView');
    assert.equal(mv.distStyle, 'even');
    assert.deepEqual(mv.columns.map((c) => c.name), ['category_id', 'name', 'skus']);
  });

  it('reads CREATE EXTERNAL TABLE with partition columns', () => {
    const e = table(result.ddl, 'spectrum', 'clickstream');
    assert.equal(e.kind, 'externalTable');
    assert.deepEqual(e.columns.map((c) => `${c.name}:${c.typeFamily}`), ['event_id:text', 'sku_id:text', 'event_time:timestamp', 'event_date:date']);
    assert.equal(e.definitionSql, undefined);
  });

  it('reads ALTER TABLE, COMMENT ON and DROP operations in file order', () => {
    const rest = result.ddl.filter((o) => o.op !== 'createTable');
    assert.deepEqual(
      rest.map((o) => o.op),
      ['addColumn', 'dropColumn', 'renameColumn', 'addConstraint', 'dropConstraint', 'renameTable', 'comment', 'comment', 'comment', 'drop', 'drop', 'drop'],
    );
    const add = rest[0] as Extract<DdlOperation, { op: 'addColumn' }>;
    assert.deepEqual(add.table, { schema: 'sales', name: 'orderinfo' });
    assert.equal(add.column.name, 'promo_code');
    assert.equal(add.column.encoding, 'zstd');
    assert.deepEqual(rest[2], { op: 'renameColumn', table: { schema: 'sales', name: 'orderinfo' }, from: 'notes', to: 'order_notes', origin: { kind: 'ddl', file: FILE, line: 89, column: 29 } });
    const addC = rest[3] as Extract<DdlOperation, { op: 'addConstraint' }>;
    assert.equal(addC.constraint.name, 'fk_sku_category');
    assert.deepEqual(addC.constraint.references, { schema: 'sales', table: 'category', columns: ['category_id'] });
    assert.deepEqual((rest[5] as Extract<DdlOperation, { op: 'renameTable' }>).to, 'stage_orders_old');
    const c1 = rest[6] as Extract<DdlOperation, { op: 'comment' }>;
    assert.equal(c1.text, "One row per order line; it's the grain");
    assert.deepEqual(c1.target, { kind: 'table', table: { schema: 'sales', name: 'orderinfo' } });
    const c2 = rest[7] as Extract<DdlOperation, { op: 'comment' }>;
    assert.deepEqual(c2.target, { kind: 'column', table: { schema: 'sales', name: 'orderinfo' }, column: 'product_id' });
    const c3 = rest[8] as Extract<DdlOperation, { op: 'comment' }>;
    assert.equal(c3.text, null);
    assert.deepEqual(c3.target.table, { schema: 'public', name: 'skuinfo' });
    const drops = rest.filter((o): o is Extract<DdlOperation, { op: 'drop' }> => o.op === 'drop').map((o) => `${o.table.schema}.${o.table.name}`);
    assert.deepEqual(drops, ['public.stage_orders_old', 'sales.tmp_x', 'sales.v_old']);
  });

  it('collects query facts from view and CTAS bodies', () => {
    const pairs = result.queries.joins.map((j) => `${j.left.table?.name}.${j.left.column}=${j.right.table?.name}.${j.right.column}:${j.clause}`);
    assert.deepEqual(pairs, ['orderinfo.product_id=skuinfo.sku_id:on', 'skuinfo.sku_id=orderinfo.product_id:on', 'skuinfo.category_id=category.category_id:where']);
  });
});

describe('parseSql: constructs', () => {
  const one = (sql: string): TableDef => {
    const r = parseSql(sql, 'x.sql');
    assert.deepEqual(r.diagnostics, [], sql);
    return creates(r.ddl)[0].table;
  };

  it('folds unquoted identifiers and keeps quoted case', () => {
    const t = one('CREATE TABLE Sales."OrderInfo" (Order_ID int, "Mixed" text)');
    assert.equal(t.schema, 'sales');
    assert.equal(t.name, 'OrderInfo');
    assert.deepEqual(t.columns.map((c) => c.name), ['order_id', 'Mixed']);
  });

  it('reads PostgreSQL types and options', () => {
    const t = one(`create table if not exists t (
      a character varying(10) collate "C" not null,
      b timestamp(3) with time zone,
      c time without time zone,
      d numeric(18, 4) default 0.0,
      e bigint generated always as identity (start with 10),
      f integer references other,
      g interval day to second,
      h int[] ,
      i national character varying(5),
      j bool null,
      k pg_catalog.int4
    )`);
    const fam = Object.fromEntries(t.columns.map((c) => [c.name, `${c.dataType}|${c.typeFamily}`]));
    assert.deepEqual(fam, {
      a: 'character varying(10)|text',
      b: 'timestamp(3) with time zone|timestamp',
      c: 'time without time zone|time',
      d: 'numeric(18,4)|numeric',
      e: 'bigint|integer',
      f: 'integer|integer',
      g: 'interval day to second|other',
      h: 'int[]|other',
      i: 'national character varying(5)|text',
      j: 'bool|boolean',
      k: 'pg_catalog.int4|integer',
    });
    assert.equal(t.columns[0].nullable, false);
    assert.equal(t.columns[9].nullable, true);
    assert.equal(t.columns[4].identity, true);
    assert.deepEqual(t.constraints[0].references, { schema: 'public', table: 'other', columns: [] });
  });

  it('ends a bracketed DEFAULT at its brackets: the options after it still count', () => {
    const t = one(`create table t (
      a timestamp default (now()) not null,
      b int default (0) references users (id),
      c int default (1 + 2) * (3 + 4) primary key,
      d bool not null default (5 not in (5, 6)),
      e text default null unique
    )`);
    const defaults = Object.fromEntries(t.columns.map((c) => [c.name, c.defaultExpr]));
    assert.deepEqual(defaults, { a: '(now())', b: '(0)', c: '(1 + 2) * (3 + 4)', d: '(5 not in (5, 6))', e: 'null' });
    assert.equal(t.columns[0].nullable, false);
    assert.equal(t.columns[3].nullable, false);
    assert.deepEqual(t.constraints.map((k) => `${k.kind}:${k.columns.join(',')}${k.references ? `->${k.references.table}` : ''}`), ['foreignKey:b->users', 'primaryKey:c', 'unique:e']);
  });

  it('reads PostgreSQL recursive views, foreign tables, partitions and inheritance', () => {
    const r = parseSql(
      `create or replace recursive view nums (n) as values (1) union all select n + 1 from nums where n < 5;
create foreign table if not exists ft (a int not null, b text) server films options (table_name 'films');
create table measurement_y2024 partition of measurement for values from ('2024-01-01') to ('2025-01-01');
create table cities_capitals (state char(2) not null) inherits (cities);`,
      'pg.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    const byName = new Map(creates(r.ddl).map((o) => [o.table.name, o]));
    assert.deepEqual(byName.get('nums')!.table.columns.map((c) => c.name), ['n']);
    assert.equal(byName.get('nums')!.table.kind, 'view');
    const ft = byName.get('ft')!.table;
    assert.equal(ft.kind, 'externalTable');
    assert.deepEqual(ft.columns.map((c) => `${c.name}:${c.dataType}:${c.nullable}`), ['a:int:false', 'b:text:undefined']);
    assert.deepEqual(byName.get('measurement_y2024')!.likeTable, { schema: 'public', name: 'measurement' });
    assert.deepEqual(byName.get('cities_capitals')!.likeTable, { schema: 'public', name: 'cities' });
    assert.deepEqual(byName.get('cities_capitals')!.table.columns.map((c) => c.name), ['state']);
  });

  it('takes an external table AS SELECT partitioned by some of its columns: all the query\'s columns, typed by the partition list', () => {
    const t = one(`create external table spectrum.sales_part partitioned by (saledate date) stored as parquet
      location 's3://bucket/sales/' as select qty, price::numeric(8,2) as price, saledate from sales`);
    assert.deepEqual(t.columns.map((c) => `${c.name}:${c.dataType}`), ['qty:undefined', 'price:numeric(8,2)', 'saledate:date']);
    const plain = one(`create external table spectrum.ev (id bigint) partitioned by (day date) stored as parquet location 's3://b/'`);
    assert.deepEqual(plain.columns.map((c) => `${c.name}:${c.dataType}`), ['id:bigint', 'day:date']);
  });

  it('reads SELECT … INTO as CREATE TABLE AS at the top of a file, not in INSERT … SELECT', () => {
    const r = parseSql(
      `select o.id, o.total::numeric(12,2) as total into #recent from sales.orders o where o.placed_at > getdate() - 7;
select * into temp table scratch.copy from sales.orders;
with x as (select id from sales.orders) select x.id into public.ids from x;
insert into sales.archive select * from sales.orders;
select id from sales.orders;`,
      'legacy.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    const made = creates(r.ddl).map((o) => `${o.table.schema}.${o.table.name}${o.temporary ? ' (temp)' : ''}: ${o.table.columns.map((c) => `${c.name} ${c.dataType ?? '?'}`).join(', ')}${o.table.starsFrom ? ` + ${o.table.starsFrom.map((s) => s.from.name).join()}.*` : ''}`);
    assert.deepEqual(made, ['public.#recent (temp): id ?, total numeric(12,2)', 'scratch.copy (temp):  + orders.*', 'public.ids: id ?']);
    assert.equal(creates(r.ddl)[0]!.table.definitionSql, 'select o.id, o.total::numeric(12,2) as total from sales.orders o where o.placed_at > getdate() - 7');
  });

  it('reads CREATE TABLE … AS TABLE other as a copy of its columns, and MERGE … REMOVE DUPLICATES joins', () => {
    const r = parseSql(`create table sales.orders_copy as table sales.orders;
merge into sales.orders using staging.orders s on sales.orders.id = s.id remove duplicates;`, 'copy.sql');
    assert.deepEqual(r.diagnostics, []);
    const op = creates(r.ddl)[0]!;
    assert.deepEqual([op.table.name, op.likeTable], ['orders_copy', { schema: 'sales', name: 'orders' }]);
    assert.deepEqual(r.queries.tables.map((t) => `${t.schema}.${t.name}@${t.origin.line}`), ['sales.orders@1', 'sales.orders@2', 'staging.orders@2']);
    assert.deepEqual(r.queries.joins.map((j) => `${j.left.table?.name}.${j.left.column} = ${j.right.table?.schema}.${j.right.table?.name}.${j.right.column}`), ['orders.id = staging.orders.id']);
  });

  it('reads ALTER TABLE … SET SCHEMA, and takes PRIMARY KEY USING INDEX as no key without an error', () => {
    const r = parseSql(
      `alter table myschema.distributors set schema yourschema;
alter table d drop constraint d_pkey, add constraint d_pkey primary key using index d_idx;
alter table d add constraint d_u unique using index d_uidx;`,
      'alter.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.ddl.map((o) => o.op + (o.op === 'renameTable' ? ` ${o.table.schema}.${o.table.name} -> ${o.toSchema}.${o.to}` : '')),
      ['renameTable myschema.distributors -> yourschema.distributors', 'dropConstraint'],
    );
  });

  it('reads named column constraints and multi-column table keys', () => {
    const t = one(`create table sales.lines (
      order_id bigint constraint fk_o references sales.orders (id) on delete cascade,
      line_no int,
      constraint pk_lines primary key (order_id, line_no),
      unique (line_no, order_id),
      check (line_no > 0)
    )`);
    assert.deepEqual(
      t.constraints.map((c) => [c.kind, c.name ?? '', c.columns.join(',')]),
      [
        ['foreignKey', 'fk_o', 'order_id'],
        ['primaryKey', 'pk_lines', 'order_id,line_no'],
        ['unique', '', 'line_no,order_id'],
        ['check', '', ''],
      ],
    );
  });

  it('takes CTAS column names from a column list and #temp as temporary', () => {
    const r = parseSql('create table #agg (sku, n) as select product_id, count(*) from sales.orderinfo group by 1', 'x.sql');
    const op = creates(r.ddl)[0];
    assert.equal(op.temporary, true);
    assert.equal(op.table.name, '#agg');
    assert.deepEqual(op.table.columns.map((c) => c.name), ['sku', 'n']);
    assert.deepEqual(r.queries.tables.map((t) => `${t.schema}.${t.name}`), ['sales.orderinfo']);
  });

  it('reads view column lists and ALTER TABLE with several actions', () => {
    const r = parseSql(
      `create view v (a, b) as select x, y from t;
       alter table t add column z int not null, drop column y, add constraint pk primary key (x);
       alter table t add unique (z);`,
      'x.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(creates(r.ddl)[0].table.columns.map((c) => c.name), ['a', 'b']);
    assert.deepEqual(
      r.ddl.slice(1).map((o) => o.op),
      ['addColumn', 'dropColumn', 'addConstraint', 'addConstraint'],
    );
  });

  it('reads ALTER COLUMN (type, nullability, default, encoding) and Redshift ALTER DISTSTYLE / DISTKEY / SORTKEY', () => {
    const r = parseSql(
      `alter table sales.orders alter column status type varchar(300), alter column note set data type text using note::text;
       alter table sales.orders alter column customer_id set not null, alter customer_id drop default;
       alter table sales.orders alter column region drop not null, alter column qty set default 0;
       alter table sales.orders alter column status encode zstd, note encode lzo;
       alter table sales.orders alter distkey customer_id;
       alter table sales.orders alter diststyle all;
       alter table sales.orders alter diststyle key distkey order_id;
       alter table sales.orders alter interleaved sortkey (order_date, region);
       alter table sales.orders alter sortkey none;
       alter table sales.orders alter encode auto, alter column qty set statistics 100, owner to bob;`,
      'x.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    const summary = r.ddl.map((o) =>
      o.op === 'alterColumn' ? `${o.column} ${JSON.stringify(o.change)}` : o.op === 'alterTable' ? `table ${JSON.stringify(o.change)}` : o.op,
    );
    assert.deepEqual(summary, [
      'status {"dataType":"varchar(300)","typeFamily":"text"}',
      'note {"dataType":"text","typeFamily":"text"}',
      'customer_id {"nullable":false}',
      'customer_id {"defaultExpr":null}',
      'region {"nullable":true}',
      'qty {"defaultExpr":"0"}',
      'status {"encoding":"zstd"}',
      'note {"encoding":"lzo"}',
      'table {"distStyle":"key","distKey":"customer_id"}',
      'table {"distStyle":"all","distKey":null}',
      'table {"distStyle":"key","distKey":"order_id"}',
      'table {"sortKey":{"style":"interleaved","columns":["order_date","region"]}}',
      'table {"sortKey":null}',
    ]);
    const first = r.ddl[0] as Extract<DdlOperation, { op: 'alterColumn' }>;
    assert.deepEqual(first.table, { schema: 'sales', name: 'orders' });
    assert.deepEqual(first.origin, { kind: 'ddl', file: 'x.sql', line: 1, column: 26 }); // the action, as for RENAME COLUMN
  });

  it('reports an ALTER COLUMN without its type and goes on with the next statement', () => {
    const r = parseSql('alter table t alter column a type;\ncreate table after_it (id int);', 'x.sql');
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0]!.message, /expected a data type/);
    assert.equal(r.diagnostics[0]!.line, 1);
    assert.ok(creates(r.ddl).some((o) => o.table.name === 'after_it'));
  });

  it('reads the joins of the query inside UNLOAD (\'…\'), at their place in the file', () => {
    const r = parseSql(
      `-- nightly export\nUNLOAD ('select o.order_id, c.name from sales.orders o\n  join crm.customers c on c.customer_id = o.customer_id where o.status = ''shipped''')\nTO 's3://bucket/orders_' IAM_ROLE default PARQUET;`,
      'unload.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.queries.tables.map((t) => `${t.schema}.${t.name}@${t.origin.line}:${t.origin.column}`), ['sales.orders@2:41', 'crm.customers@3:8']);
    assert.deepEqual(r.queries.joins.map((j) => `${j.left.table?.name}.${j.left.column}=${j.right.table?.name}.${j.right.column}@${j.origin.line}`), ['customers.customer_id=orders.customer_id@3']);
  });

  describe('stored procedures and functions', () => {
    const pairs = (r: ReturnType<typeof parseSql>): string[] =>
      r.queries.joins.map((j) => `${j.left.table?.name}.${j.left.column}=${j.right.table?.name}.${j.right.column}@${j.origin.line}:${j.origin.column}`);

    it('reads the joins of every SQL statement in a PL/pgSQL body, at their place in the file', () => {
      const r = parseSql(
        [
          'CREATE OR REPLACE PROCEDURE etl.load_orders(p_day date)',
          'AS $proc$',
          'DECLARE',
          '  r RECORD;',
          '  c CURSOR FOR SELECT s.order_id FROM etl.orders_stage s JOIN crm.customers k ON k.customer_id = s.customer_id;',
          'BEGIN',
          '  CREATE TEMP TABLE stage_keys AS SELECT o.order_id FROM sales.orders o JOIN etl.orders_stage s2 ON s2.order_id = o.order_id;',
          '  FOR r IN SELECT l.line_id FROM sales.order_lines l JOIN sales.orders o2 ON o2.order_id = l.order_id LOOP',
          '    UPDATE sales.orders SET status = 9 FROM crm.customers cc WHERE sales.orders.customer_id = cc.customer_id;',
          '  END LOOP;',
          '  IF p_day IS NULL THEN',
          "    RAISE EXCEPTION 'no day';",
          '  ELSE',
          '    DELETE FROM etl.orders_stage USING sales.orders o3 WHERE o3.order_id = orders_stage.order_id;',
          '  END IF;',
          "  EXECUTE 'select 1 from sales.returns x join sales.orders y on y.order_id = x.order_id';",
          "  EXECUTE 'truncate ' || p_table;",
          'END;',
          '$proc$ LANGUAGE plpgsql;',
        ].join('\n'),
        'procs.sql',
      );
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(pairs(r), [
        'customers.customer_id=orders_stage.customer_id@5:82',
        'orders_stage.order_id=orders.order_id@7:101',
        'orders.order_id=order_lines.order_id@8:78',
        'orders.customer_id=customers.customer_id@9:68',
        'orders.order_id=orders_stage.order_id@14:62',
        'orders.order_id=returns.order_id@16:65',
      ]);
      // the temp table the procedure makes when it runs is not a relation of the warehouse
      assert.deepEqual(creates(r.ddl), []);
      assert.ok(r.queries.tables.some((t) => t.schema === 'sales' && t.name === 'order_lines' && t.origin.line === 8));
    });

    it('reads a SQL function body from its first line on, and leaves bodies in other languages alone', () => {
      const r = parseSql(
        [
          'create function sales.order_count(int) returns bigint stable as $$ select count(*) from sales.orders o join crm.customers c',
          '  on c.customer_id = o.customer_id where c.customer_id = $1 $$ language sql;',
          "create function sales.f_py(a int) returns int immutable as $$",
          '  q = "select * from sales.orders o join crm.customers c on c.customer_id = o.order_id"',
          '  return a',
          '$$ language plpythonu;',
          "create function sales.f_quoted() returns int language sql as 'select 1 from sales.orders o join sales.order_lines l on l.order_id = o.order_id';",
        ].join('\n'),
        'funcs.sql',
      );
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(pairs(r), ['customers.customer_id=orders.customer_id@2:6', 'order_lines.order_id=orders.order_id@7:120']);
      assert.deepEqual(r.queries.tables.map((t) => `${t.name}@${t.origin.line}:${t.origin.column}`), ['orders@1:89', 'customers@1:109', 'orders@7:77', 'order_lines@7:97']);
    });
  });

  it('skips unknown statements and clauses without diagnostics', () => {
    const r = parseSql(
      `set search_path to sales;
       copy sales.orderinfo from 's3://b/k' iam_role 'arn:aws:iam::1:role/r' format as parquet;
       create or replace procedure p() as $$ begin select 1; end; $$ language plpgsql;
       create table t (id int) with (fillfactor = 70) tablespace fast;
       vacuum sales.orderinfo;`,
      'x.sql',
    );
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(creates(r.ddl).map((o) => o.table.name), ['t']);
  });

  it('reports no syntax error in a statement holding Jinja (a dbt macro), and keeps reading the plain ones', () => {
    const r = parseSql(
      `{% macro audit() %}
create table if not exists {{ target.schema }}.audit_log (id int);
comment on column {{ relation }}.{{ column.name }} is 'x';
alter table {{ relation.render() }} add column note text;
{% endmacro %}
create table plain.t (id int);
create table plain.broken (id int,;`,
      'macros/audit.sql',
    );
    assert.deepEqual(creates(r.ddl).map((o) => `${o.table.schema}.${o.table.name}`), ['plain.t', 'plain.broken']);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [7], 'only the plain broken statement');
  });

  it('reports broken statements with line:col and resumes at the next one', () => {
    const text = readFileSync(join(FIXTURES, 'broken.sql'), 'utf8');
    const r = parseSql(text, 'broken.sql');
    assert.deepEqual(creates(r.ddl).map((o) => o.table.name), ['good_one', 'bad_one', 'good_two']);
    // the bad column is reported, the good column of the same table kept
    assert.deepEqual(table(r.ddl, 'public', 'bad_one').columns.map((c) => c.name), ['name']);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.line}:${d.column}:${d.severity}`),
      ['3:30:error', '5:8:error', '7:19:error', '9:36:error', '13:8:error'],
    );
    assert.match(r.diagnostics[4].message, /unterminated string/);
    assert.ok(r.diagnostics.every((d) => d.file === 'broken.sql'));
  });
});
