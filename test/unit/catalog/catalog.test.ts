import assert from 'node:assert/strict';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import type { ColumnDef, Origin, TableDef } from '../../../src/core/catalog/model';
import { parseSql } from '../../../src/core/sql/ddlParser';
import { extractDbtModel } from '../../../src/core/workspace/sqlExtractor';
import type { DdlOperation } from '../../../src/core/sql/types';
import { emptyFacts, type FileFacts } from '../../../src/core/workspace/facts';

const o = (file: string, line = 1, kind: Origin['kind'] = 'ddl'): Origin => ({ kind, file, line });
const col = (name: string, dataType?: string, origin = o('x.sql')): ColumnDef => ({ name, dataType, origin });
function table(schema: string, name: string, cols: ColumnDef[], origin: Origin, extra: Partial<TableDef> = {}): TableDef {
  return { schema, name, kind: 'table', columns: cols, constraints: [], origin, ...extra };
}
function file(path: string, ddl: DdlOperation[]): FileFacts {
  const f = emptyFacts(path, 'sql');
  f.ddl = ddl;
  return f;
}

describe('buildCatalog', () => {
  it('resolves unqualified names in DDL through renames and drops: the only relation of that name, else public', () => {
    const a = o('a.sql');
    const cat = buildCatalog([
      file('a.sql', [
        { op: 'createTable', table: table('sales', 'orders', [col('id', 'int')], a) },
        { op: 'createTable', table: table('ops', 'runs', [col('id', 'int')], a) },
        { op: 'createTable', table: table('crm', 'runs', [col('id', 'int')], a) },
        { op: 'createTable', table: table('sales', 'tmp', [col('id', 'int')], a) },
        { op: 'renameTable', table: { schema: 'sales', name: 'tmp' }, to: 'renamed', origin: a },
        { op: 'comment', target: { kind: 'table', table: { name: 'orders' } }, text: 'only one: sales.orders', origin: a },
        { op: 'comment', target: { kind: 'table', table: { name: 'renamed' } }, text: 'found by its new name', origin: a },
        { op: 'comment', target: { kind: 'table', table: { name: 'tmp' } }, text: 'old name: nothing', origin: a },
        { op: 'comment', target: { kind: 'table', table: { name: 'runs' } }, text: 'ambiguous: public.runs, absent', origin: a },
        { op: 'drop', table: { schema: 'crm', name: 'runs' }, origin: a },
        { op: 'addColumn', table: { name: 'runs' }, column: col('after_drop', 'int') },
      ]),
    ]);
    const byKey = new Map(cat.tables.map((t) => [`${t.schema}.${t.name}`, t]));
    assert.equal(byKey.get('sales.orders')!.comment, 'only one: sales.orders');
    assert.equal(byKey.get('sales.renamed')!.comment, 'found by its new name');
    assert.equal(byKey.get('ops.runs')!.comment, undefined);
    assert.deepEqual(byKey.get('ops.runs')!.columns.map((c) => c.name), ['id', 'after_drop'], 'once crm.runs is dropped, runs is ops.runs');
  });

  it('moves a table to another schema on ALTER TABLE … SET SCHEMA, keeping its columns', () => {
    const a = o('a.sql');
    const cat = buildCatalog([
      file('a.sql', [
        { op: 'createTable', table: table('myschema', 'distributors', [col('did', 'int')], a) },
        { op: 'renameTable', table: { schema: 'myschema', name: 'distributors' }, to: 'distributors', toSchema: 'yourschema', origin: a },
        { op: 'comment', target: { kind: 'table', table: { schema: 'yourschema', name: 'distributors' } }, text: 'moved', origin: a },
      ]),
    ]);
    assert.deepEqual(cat.tables.map((t) => `${t.schema}.${t.name}:${t.columns.map((c) => c.name).join()}:${t.comment}`), ['yourschema.distributors:did:moved']);
  });

  it('applies create, add/drop/rename column, constraints, comments, rename and drop in order', () => {
    const a = o('a.sql');
    const cat = buildCatalog([
      file('b.sql', [
        { op: 'addColumn', table: { schema: 'sales', name: 'orders' }, column: col('status', 'smallint') },
        { op: 'dropColumn', table: { schema: 'sales', name: 'orders' }, column: 'legacy', origin: a },
        { op: 'renameColumn', table: { name: 'orders' }, from: 'amt', to: 'amount', origin: a },
        { op: 'addConstraint', table: { schema: 'sales', name: 'orders' }, constraint: { kind: 'primaryKey', name: 'pk_orders', columns: ['id'], origin: a } },
        { op: 'addConstraint', table: { schema: 'sales', name: 'orders' }, constraint: { kind: 'unique', name: 'uq_amt', columns: ['amount'], origin: a } },
        { op: 'dropConstraint', table: { schema: 'sales', name: 'orders' }, name: 'UQ_AMT', origin: a },
        { op: 'comment', target: { kind: 'table', table: { schema: 'sales', name: 'orders' } }, text: 'Orders', origin: a },
        { op: 'comment', target: { kind: 'column', table: { schema: 'sales', name: 'orders' }, column: 'ID' }, text: 'key', origin: a },
        { op: 'createTable', table: table('sales', 'tmp', [col('x', 'int')], a) },
        { op: 'renameTable', table: { schema: 'sales', name: 'tmp' }, to: 'tmp2', origin: a },
        { op: 'createTable', table: table('sales', 'gone', [col('x', 'int')], a) },
        { op: 'drop', table: { schema: 'sales', name: 'gone' }, origin: a },
      ]),
      // sorted first by path even though listed second
      file('a.sql', [{ op: 'createTable', table: table('sales', 'orders', [col('id', 'bigint'), col('amt', 'numeric(12,2)'), col('legacy', 'char(1)')], a) }]),
    ]);
    const ix = new CatalogIndex(cat);
    const orders = ix.get('sales', 'orders')!;
    assert.deepEqual(orders.columns.map((c) => c.name), ['id', 'amount', 'status']);
    assert.deepEqual(orders.constraints.map((c) => c.name), ['pk_orders']);
    assert.equal(orders.comment, 'Orders');
    assert.equal(orders.columns[0]!.comment, 'key');
    assert.ok(ix.get('sales', 'tmp2'));
    assert.equal(ix.get('sales', 'tmp'), undefined);
    assert.equal(ix.get('sales', 'gone'), undefined);
    assert.equal(cat.conflicts.length, 0);
  });

  it('applies a later migration\'s ALTER COLUMN and ALTER DISTKEY / SORTKEY without touching the CREATE\'s own facts', () => {
    const create = parseSql(
      `create table sales.orders (order_id int distkey, customer_id int, status varchar(20) default 'new', note varchar(10) not null)
       compound sortkey (order_id);`,
      'V1__orders.sql',
    );
    const migrate = parseSql(
      `alter table sales.orders alter column status type varchar(300), alter column status drop default;
       alter table sales.orders alter column customer_id set not null, alter column note drop not null;
       alter table sales.orders alter column note encode zstd;
       alter table sales.orders rename column order_id to id;
       alter table sales.orders alter distkey customer_id;
       alter table sales.orders alter interleaved sortkey (id, status);`,
      'V2__widen_status.sql',
    );
    assert.deepEqual(migrate.diagnostics, []);
    const cat = buildCatalog([file('V2__widen_status.sql', migrate.ddl), file('V1__orders.sql', create.ddl)]);
    const orders = new CatalogIndex(cat).get('sales', 'orders')!;
    const c = (name: string) => orders.columns.find((x) => x.name === name)!;
    assert.equal(c('status').dataType, 'varchar(300)');
    assert.equal(c('status').typeFamily, 'text');
    assert.equal(c('status').defaultExpr, undefined);
    assert.equal(c('customer_id').nullable, false);
    assert.equal(c('note').nullable, true);
    assert.equal(c('note').encoding, 'zstd');
    assert.equal(orders.distStyle, 'key');
    assert.equal(orders.distKey, 'customer_id');
    assert.equal(c('id').distKey, undefined, 'the column-level DISTKEY mark moved with the key');
    assert.deepEqual(orders.sortKey, { style: 'interleaved', columns: ['id', 'status'] });
    // the CREATE's operation is what the cache holds for V1: the catalog changed its own copies only
    const created = (create.ddl[0] as Extract<DdlOperation, { op: 'createTable' }>).table;
    assert.equal(created.columns.find((x) => x.name === 'status')!.dataType, 'varchar(20)');
    assert.equal(created.columns[0]!.distKey, true);
    assert.equal(created.distKey, 'order_id');
    assert.deepEqual(created.sortKey, { style: 'compound', columns: ['order_id'] });
  });

  it('renames the distribution and sort key with their column', () => {
    const r = parseSql('create table t (a int, b int) distkey (a) sortkey (a, b);\nalter table t rename column a to a2;', 'x.sql');
    const t = new CatalogIndex(buildCatalog([file('x.sql', r.ddl)])).get('public', 't')!;
    assert.equal(t.distKey, 'a2');
    assert.deepEqual(t.sortKey?.columns, ['a2', 'b']);
  });

  it('moves a column-level DISTKEY on ALTER DISTKEY in its own copy of the columns', () => {
    const create = parseSql('create table t (a int distkey, b int);', 'a.sql');
    const alter = parseSql('alter table t alter distkey b;', 'b.sql');
    const t = new CatalogIndex(buildCatalog([file('a.sql', create.ddl), file('b.sql', alter.ddl)])).get('public', 't')!;
    assert.equal(t.distKey, 'b');
    assert.equal(t.columns[0]!.distKey, undefined);
    assert.equal((create.ddl[0] as Extract<DdlOperation, { op: 'createTable' }>).table.columns[0]!.distKey, true, 'the cached CREATE is unchanged');
  });

  it('gives view, CTAS and dbt model columns the type of the column they pass on, through views and models, across files', () => {
    const view = parseSql(
      `create view reporting.v_orders as select o.order_id, o.status, o.amount::numeric(12,2) as amount, o.amount * 2 as doubled from sales.orders o;
       create table reporting.order_ids as select v.order_id from reporting.v_orders v;`,
      'a_views.sql',
    );
    const ddl = parseSql('create table sales.orders (order_id bigint, status varchar(20), amount integer);', 'z_tables.sql');
    const model = extractDbtModel('models/stg_orders.sql', `with source as (select * from {{ source('sales', 'orders') }}),
      renamed as (select order_id, status as order_status from source) select * from renamed`, { project: 'p' });
    const sources = emptyFacts('models/sources.yml', 'dbt-yaml');
    sources.ddl = [{ op: 'createTable', table: table('sales', 'orders', [], o('models/sources.yml', 3, 'dbt-yaml'), { kind: 'dbtSource', dbt: { resourceType: 'source', sourceName: 'sales', uniqueId: 'source.p.sales.orders' } }) }];
    const mart = extractDbtModel('models/fct.sql', "select s.order_id, s.order_status from {{ ref('stg_orders') }} s", { project: 'p' });
    const cat = buildCatalog([file('a_views.sql', view.ddl), file('z_tables.sql', ddl.ddl), model, sources, mart]);
    const ix = new CatalogIndex(cat);
    const types = (schema: string, name: string) => ix.get(schema, name)!.columns.map((c) => `${c.name}:${c.dataType ?? '?'}${c.typeFrom ? `<${c.typeFrom}` : ''}`);
    assert.deepEqual(types('reporting', 'v_orders'), ['order_id:bigint<sales.orders.order_id', 'status:varchar(20)<sales.orders.status', 'amount:numeric(12,2)', 'doubled:integer<(sales.orders.amount * integer)']);
    assert.deepEqual(types('reporting', 'order_ids'), ['order_id:bigint<sales.orders.order_id'], 'a CTAS over the view');
    assert.deepEqual(types('public', 'stg_orders'), ['order_id:bigint<sales.orders.order_id', 'order_status:varchar(20)<sales.orders.status']);
    assert.deepEqual(types('public', 'fct'), ['order_id:bigint<sales.orders.order_id', 'order_status:varchar(20)<sales.orders.status'], 'a model over a model');
    assert.equal(ix.get('reporting', 'v_orders')!.columns[0]!.typeFamily, 'integer');
    // the parsed facts keep no derived type: the catalog works them out on its own copies
    assert.equal((view.ddl[0] as Extract<DdlOperation, { op: 'createTable' }>).table.columns[0]!.dataType, undefined);
  });

  it('leaves columns untyped when their sources go round in a cycle, whichever relation is read first', () => {
    for (const order of [['a.sql', 'b.sql'], ['b.sql', 'a.sql']]) {
      const files = {
        'a.sql': parseSql('create view va as select x from vb;', 'a.sql').ddl,
        'b.sql': parseSql('create view vb as select x from va; create view vc as select x from vb;', 'b.sql').ddl,
      };
      const cat = buildCatalog(order.map((f) => file(f, files[f as keyof typeof files])));
      assert.deepEqual(cat.tables.map((t) => t.columns[0]!.dataType), [undefined, undefined, undefined]);
    }
  });

  it('leaves temporary tables out, with what the same script then does to them, and keeps the warehouse\'s own', () => {
    const etl1 = parseSql(
      `create temp table stage (id int);
       create table #batch (id int, n int);
       alter table stage add column note text;
       comment on table #batch is 'scratch';
       alter table orders add column loaded_at timestamp;
       create temporary table orders as select * from public.orders where id > 0;
       alter table orders add column scratch int;
       drop table #batch;`,
      'etl/load_1.sql',
    );
    const etl2 = parseSql('create table #batch (other_id bigint);\ncreate temp table stage as select 1 as x;', 'etl/load_2.sql');
    const ddl = parseSql('create table public.orders (id int);', 'ddl/orders.sql');
    const cat = buildCatalog([file('etl/load_1.sql', etl1.ddl), file('etl/load_2.sql', etl2.ddl), file('ddl/orders.sql', ddl.ddl)]);
    assert.deepEqual(cat.tables.map((t) => `${t.schema}.${t.name}`), ['public.orders']);
    assert.deepEqual(cat.tables[0]!.columns.map((c) => c.name), ['id', 'loaded_at'], 'altered before the temporary orders existed, not after');
    assert.deepEqual(cat.conflicts, [], 'two scripts with their own #batch do not conflict');
  });

  it('copies columns for CREATE TABLE ... (LIKE other)', () => {
    const cat = buildCatalog([
      file('1.sql', [
        { op: 'createTable', table: table('public', 'base', [col('id', 'int'), col('name', 'varchar(10)')], o('1.sql')) },
        { op: 'createTable', table: table('public', 'copy', [col('extra', 'date')], o('1.sql', 5)), likeTable: { name: 'base' } },
      ]),
    ]);
    const copy = new CatalogIndex(cat).get(undefined, 'copy')!;
    assert.deepEqual(copy.columns.map((c) => c.name), ['id', 'name', 'extra']);
    assert.equal(copy.columns[0]!.origin.line, 5);
  });

  it('reports different definitions of one relation as a conflict and keeps the first', () => {
    const cat = buildCatalog([
      file('z.sql', [{ op: 'createTable', table: table('s', 't', [col('id', 'bigint')], o('z.sql', 3)) }]),
      file('m.sql', [{ op: 'createTable', table: table('s', 't', [col('id', 'int4'), col('x', 'text')], o('m.sql', 7)) }]),
      // same columns with alias types: not a conflict
      file('n.sql', [{ op: 'createTable', table: table('s', 'u', [col('id', 'int')], o('n.sql')) }]),
      file('p.sql', [{ op: 'createTable', table: table('S', 'U', [col('ID', 'integer')], o('p.sql')) }]),
    ]);
    assert.equal(cat.conflicts.length, 1);
    const c = cat.conflicts[0]!;
    assert.equal(c.table, 's.t');
    assert.deepEqual(c.origins.map((x) => x.file), ['m.sql', 'z.sql']);
    assert.deepEqual(new CatalogIndex(cat).get('s', 't')!.columns.map((x) => x.name), ['id', 'x']);
  });

  it('merges dbt YAML onto the relation the model builds, whatever the file order', () => {
    const model = table('marts', 'orders_v2', [col('order_id'), col('amount', 'numeric')], o('models/fct_orders.sql', 1, 'dbt-model'), {
      kind: 'dbtModel',
      dbt: { uniqueId: 'model.shop.fct_orders', resourceType: 'model' },
    });
    const yaml = table('public', 'fct_orders', [{ ...col('order_id'), comment: 'pk' }, col('customer_id')], o('models/a_schema.yml', 4, 'dbt-yaml'), {
      kind: 'dbtModel',
      comment: 'Fact table',
      dbt: { uniqueId: 'model.shop.fct_orders', resourceType: 'model' },
      tests: [{ name: 'unique', column: 'order_id', arguments: {}, origin: o('models/a_schema.yml', 6, 'dbt-yaml') }],
    });
    const cat = buildCatalog([file('models/a_schema.yml', [{ op: 'createTable', table: yaml }]), file('models/fct_orders.sql', [{ op: 'createTable', table: model }])]);
    assert.equal(cat.tables.length, 1);
    const t = cat.tables[0]!;
    assert.equal(`${t.schema}.${t.name}`, 'marts.orders_v2');
    assert.equal(t.comment, 'Fact table');
    assert.deepEqual(t.columns.map((c) => [c.name, c.comment]), [['order_id', 'pk'], ['amount', undefined], ['customer_id', undefined]]);
    assert.deepEqual(t.tests!.map((x) => x.name), ['unique']);
    assert.equal(cat.conflicts.length, 0);
  });
});

describe('CatalogIndex', () => {
  const cat = buildCatalog([
    file('a.sql', [
      { op: 'createTable', table: table('public', 'users', [col('id'), col('email')], o('a.sql')) },
      { op: 'createTable', table: table('app', 'users', [col('id')], o('a.sql', 2)) },
      { op: 'createTable', table: table('app', 'events', [col('id'), col('user_id')], o('a.sql', 3)) },
      { op: 'createTable', table: table('x', 'events', [col('id')], o('a.sql', 4)) },
      { op: 'createTable', table: table('raw', 'customers', [col('id')], o('a.sql', 5), { dbt: { resourceType: 'source', uniqueId: 'source.p.crm.customers' } }) },
    ]),
  ]);
  const ix = new CatalogIndex(cat);

  it('resolves qualified, default-schema and unique unqualified names', () => {
    assert.equal(ix.resolve('app.users').table?.schema, 'app');
    assert.equal(ix.resolve('USERS').table?.schema, 'public');
    assert.equal(ix.resolve('users').candidates.length, 2);
    assert.equal(ix.resolve('customers').table?.schema, 'raw');
    assert.equal(ix.resolve('nope').table, undefined);
  });

  it('reports ambiguity when several schemas hold the name and none is public', () => {
    const r = ix.resolve('events');
    assert.equal(r.ambiguous, true);
    assert.equal(r.table, undefined);
    assert.deepEqual(r.candidates.map((t) => t.schema).sort(), ['app', 'x']);
  });

  it('finds columns by name and resolves dbt source() refs', () => {
    assert.deepEqual(ix.columnsNamed('ID').map((h) => `${h.table.schema}.${h.table.name}`).sort(), ['app.events', 'app.users', 'public.users', 'raw.customers', 'x.events']);
    assert.equal(ix.resolveRef({ schema: 'crm', name: 'customers', dbtRef: { kind: 'source', args: ['crm', 'customers'] } }).table?.schema, 'raw');
    assert.ok(ix.complete('ev').some((c) => c.kind === 'table' && c.name === 'events'));
  });
});
