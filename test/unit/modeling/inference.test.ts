import { strict as assert } from 'node:assert';
import type { CatalogSnapshot } from '../../../src/core/catalog/model';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { buildColumnIndex } from '../../../src/core/modeling/columnIndex';
import { CandidateSet } from '../../../src/core/modeling/candidates';
import { addNameCandidates, buildNameIndex } from '../../../src/core/modeling/nameMatching';
import type { JoinProposal } from '../../../src/core/modeling/types';
import { parseSql } from '../../../src/core/sql/index';
import { catalogFromDdl } from './devset';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { CatalogIndex } from '../../../src/core/catalog/catalogIndex';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { extractDbtModel, extractDbtSnapshots } from '../../../src/core/workspace/sqlExtractor';
import { extractFile } from '../../../src/core/workspace/extractFile';

const key = (p: JoinProposal) => `${p.from.table}(${p.fromColumns.join(',')})->${p.to.table}(${p.toColumns.join(',')})`;
const keys = (ps: JoinProposal[]) => ps.map(key).sort();
const find = (ps: JoinProposal[], k: string) => ps.find((p) => key(p) === k);

describe('modeling/inferJoins', () => {
  it('keeps a declared FOREIGN KEY with its file and line', () => {
    const cat = catalogFromDdl(`CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY,\n  owner int REFERENCES a (id));`, 'ddl/x.sql');
    const p = find(inferJoins(cat), 'b(owner)->a(id)');
    assert.ok(p, 'declared FK proposed');
    const ev = p.evidence.find((e) => e.kind === 'declared-fk')!;
    assert.equal(ev.file, 'ddl/x.sql');
    assert.equal(typeof ev.line, 'number');
    assert.equal(p.cardinalitySource, 'declared');
    assert.ok(p.score >= 0.99);
  });

  it('finds <table>_id, <singular>_id and plural tables from names alone', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(50));
      CREATE TABLE categories (category_id int PRIMARY KEY);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, category_id int, note varchar(20));`, 's.sql');
    assert.deepEqual(keys(inferJoins(cat)), ['orders(category_id)->categories(category_id)', 'orders(customer_id)->customers(id)']);
  });

  it('handles abbreviations and role prefixes (bill_/ship_ to one table)', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE customer (cust_no int NOT NULL, name varchar(40));
      CREATE TABLE address (addr_id int NOT NULL, city varchar(40));
      CREATE TABLE sales_order (order_no int NOT NULL, cust_no int, bill_addr_id int, ship_addr_id int, qty int);`, 's.sql');
    assert.deepEqual(keys(inferJoins(cat)), [
      'sales_order(bill_addr_id)->address(addr_id)',
      'sales_order(cust_no)->customer(cust_no)',
      'sales_order(ship_addr_id)->address(addr_id)',
    ]);
  });

  it('strips TPC-style column prefixes (o_custkey → c_custkey)', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE customer (c_custkey int PRIMARY KEY, c_name varchar(25), c_phone char(15));
      CREATE TABLE orders (o_orderkey int PRIMARY KEY, o_custkey int, o_orderdate date);`, 's.sql');
    assert.deepEqual(keys(inferJoins(cat)), ['orders(o_custkey)->customer(c_custkey)']);
  });

  it('finds self-references (manager_id, parent_<entity>_id) and a person role from another table', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE employees (employee_id int PRIMARY KEY, manager_id int, name varchar(40));
      CREATE TABLE departments (department_id int PRIMARY KEY, manager_id int);
      CREATE TABLE categories (category_id int PRIMARY KEY, parent_category_id int);`, 's.sql');
    const got = keys(inferJoins(cat));
    assert.ok(got.includes('employees(manager_id)->employees(employee_id)'), got.join());
    assert.ok(got.includes('departments(manager_id)->employees(employee_id)'), got.join());
    assert.ok(got.includes('categories(parent_category_id)->categories(category_id)'), got.join());
  });

  it('finds a composite foreign key to a composite primary key', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE partsupp (ps_partkey int, ps_suppkey int, ps_cost numeric(10,2), PRIMARY KEY (ps_partkey, ps_suppkey));
      CREATE TABLE lineitem (l_orderkey int, l_linenumber int, l_partkey int, l_suppkey int, PRIMARY KEY (l_orderkey, l_linenumber));`, 's.sql');
    const p = find(inferJoins(cat), 'lineitem(l_partkey,l_suppkey)->partsupp(ps_partkey,ps_suppkey)');
    assert.ok(p);
    assert.match(p.joinSql, /ON l\.l_partkey = p\.ps_partkey\n\s+AND l\.l_suppkey = p\.ps_suppkey/);
  });

  it('reads the pairs of one condition that cover a composite key as one composite join, not single columns', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE lines (order_id int, line_no int, sku int, PRIMARY KEY (order_id, line_no));
      CREATE TABLE line_notes (order_id int, line_no int, note varchar(100));
      CREATE TABLE returns (ord int, line int, reason varchar(20));
      CREATE TABLE audits (order_id int, line_no int, at timestamp);`, 'ddl.sql');
    const q = parseSql(
      [
        'select n.note from lines l left join line_notes n on n.order_id = l.order_id and n.line_no = l.line_no;',
        'select r.reason from returns r, lines l where l.order_id = r.ord and r.line = l.line_no and r.reason is not null;',
        'select a.at from audits a join lines l using (order_id, line_no);',
      ].join('\n'),
      'q.sql',
    ).queries.joins;
    const ps = inferJoins(cat, { joins: q });
    for (const k of ['line_notes(order_id,line_no)->lines(order_id,line_no)', 'returns(ord,line)->lines(order_id,line_no)', 'audits(order_id,line_no)->lines(order_id,line_no)']) {
      const p = find(ps, k);
      assert.ok(p, `${k} in ${keys(ps).join(' ')}`);
      assert.equal(p.cardinality, 'many-to-one');
      assert.match(p.evidence.find((e) => e.kind === 'query-join')!.detail, /the whole primary key of lines/);
    }
    // no single-column proposal is made from the pairs a composite took
    assert.ok(!ps.some((p) => p.fromColumns.length === 1 && /^(line_no|ord|line)$/.test(p.fromColumns[0]!)), keys(ps).join(' '));

    // the same two columns joined in two different conditions are no composite
    const apart = parseSql('select 1 from audits a join lines l1 on l1.order_id = a.order_id join lines l2 on l2.line_no = a.line_no;', 'q2.sql').queries.joins;
    assert.ok(!inferJoins(cat, { joins: apart }).some((p) => p.fromColumns.length === 2 && p.evidence.some((e) => e.kind === 'query-join' && /whole/.test(e.detail))));
  });

  it("takes dbt's composite uniqueness tests as keys: a join on all their columns is one composite proposal", () => {
    const files = [
      extractDbtModel('models/order_lines.sql', 'select 1 as order_id, 1 as line_no, 1 as sku', { project: 'shop' }),
      extractDbtModel('models/line_events.sql', 'select 1 as order_id, 1 as line_no, 1 as kind', { project: 'shop' }),
      extractDbtModel('models/line_prices.sql', 'select 1 as order_id, 1 as line_no, 1.0 as price', { project: 'shop' }),
      extractDbtYaml(
        'models/schema.yml',
        [
          'version: 2',
          'models:',
          '  - name: order_lines',
          '    data_tests:',
          '      - dbt_utils.unique_combination_of_columns:',
          '          arguments:',
          '            combination_of_columns: [order_id, line_no]',
          '  - name: line_prices',
          '    tests:',
          '      - dbt_constraints.primary_key: { column_names: [order_id, line_no] }',
        ].join('\n'),
        { project: 'shop' },
      ),
    ];
    const cat = buildCatalog(files);
    const joins = parseSql(
      "select 1 from {{ ref('line_events') }} e join {{ ref('order_lines') }} l on l.order_id = e.order_id and l.line_no = e.line_no\n"
        + "join {{ ref('line_prices') }} p on p.order_id = l.order_id and p.line_no = l.line_no",
      'q.sql',
    ).queries.joins;
    const ps = inferJoins(cat, { joins });
    const composite = find(ps, 'line_events(order_id,line_no)->order_lines(order_id,line_no)');
    assert.ok(composite, keys(ps).join(' '));
    assert.match(composite.evidence.find((e) => e.kind === 'query-join')!.detail, /the whole unique key of order_lines/);
    // each is a key of its own relation: whichever way the condition runs, one composite, onto a key
    assert.ok(ps.some((p) => p.fromColumns.length === 2 && [p.from.table, p.to.table].sort().join() === 'line_prices,order_lines'), keys(ps).join(' '));
  });

  it('resolves ref() and source() as dbt does: an aliased or versioned model, a source with its own schema and identifier', () => {
    const model = (name: string, sql: string) => extractDbtModel(`models/${name}.sql`, sql, { project: 'shop' });
    const files = [
      model('stg_users', "{{ config(alias='users_stg') }} select 1 as user_id, 'a' as email"),
      model('stg_orders', 'select 10 as order_id, 1 as buyer_id, 5 as store_id, 7 as account_id'),
      model('dim_stores_v2', 'select 5 as store_id'),
      extractDbtYaml(
        'models/schema.yml',
        [
          'models:',
          '  - name: stg_orders',
          '    columns:',
          '      - name: buyer_id',
          '        data_tests:',
          "          - relationships: { to: ref('stg_users'), field: user_id }",
          '  - name: dim_stores',
          '    latest_version: 2',
          '    versions: [{ v: 2 }]',
          'sources:',
          '  - name: crm',
          '    schema: raw_crm',
          '    tables: [{ name: accounts, identifier: crm_accounts_v1, columns: [{ name: account_id }] }]',
        ].join('\n'),
        { project: 'shop' },
      ),
    ];
    const cat = buildCatalog(files);
    const joins = parseSql(
      "select 1 from {{ ref('stg_orders') }} o join {{ ref('stg_users') }} u on u.user_id = o.buyer_id\n"
        + "join {{ ref('dim_stores') }} s on s.store_id = o.store_id join {{ source('crm', 'accounts') }} a on a.account_id = o.account_id",
      'models/orders.sql',
    ).queries.joins;
    const ps = inferJoins(cat, { joins, sources: { names: false } });
    const names = (p: JoinProposal) => `${p.from.schema}.${p.from.table}(${p.fromColumns})->${p.to.schema}.${p.to.table}(${p.toColumns}): ${p.evidence.map((e) => e.kind).sort().join('+')}`;
    assert.deepEqual(ps.map(names).sort(), [
      'public.stg_orders(account_id)->raw_crm.crm_accounts_v1(account_id): query-join',
      'public.stg_orders(buyer_id)->public.users_stg(user_id): dbt-relationships+query-join',
      'public.stg_orders(store_id)->public.dim_stores_v2(store_id): query-join',
    ]);
  });

  it("takes a model-level unique test on column_name as the model's key, not one on an expression", () => {
    const files = [
      extractDbtModel('models/accounts.sql', 'select 1 as acct_key, 2 as region', { project: 'shop' }),
      extractDbtModel('models/orders.sql', 'select 1 as order_id, 1 as acct_key', { project: 'shop' }),
      extractDbtYaml('models/s.yml', ['models:', '  - name: accounts', '    data_tests:', '      - unique: { column_name: acct_key }', '      - unique: { column_name: "acct_key || region" }'].join('\n'), { project: 'shop' }),
    ];
    const index = buildColumnIndex(buildCatalog(files).tables);
    const accounts = index.tables.find((t) => t.def.name === 'accounts')!;
    assert.deepEqual(accounts.keys.filter((k) => k.kind === 'declared-unique').map((k) => k.columns.map((c) => c.name)), [['acct_key']]);
  });

  it("takes a snapshot's unique_key for what it is in the snapshot: repeated, one row per version", () => {
    const files = [
      extractDbtModel('models/dim_customers.sql', 'select 1 as customer_id, 2 as region', { project: 'shop' }),
      extractDbtSnapshots('snapshots/customers_snapshot.sql', "{% snapshot customers_snapshot %}\n{{ config(unique_key='customer_id', strategy='check', check_cols='all') }}\nselect customer_id, region from {{ ref('dim_customers') }}\n{% endsnapshot %}", { project: 'shop' }),
      extractDbtYaml('models/s.yml', ['models:', '  - name: dim_customers', '    columns:', '      - name: customer_id', '        data_tests: [unique, not_null]'].join('\n'), { project: 'shop' }),
    ];
    const cat = buildCatalog(files);
    const p = inferJoins(cat).find((x) => x.from.table === 'customers_snapshot' && x.to.table === 'dim_customers');
    assert.ok(p, keys(inferJoins(cat)).join(' '));
    assert.equal(p.cardinality, 'many-to-one');
  });

  it('never takes a ref() for a source of the same name', () => {
    const files = [
      extractDbtModel('models/orders.sql', 'select 1 as id, 2 as event_id', { project: 'shop' }),
      extractDbtYaml('models/src.yml', ['sources:', '  - name: app', '    tables: [{ name: events, columns: [{ name: event_id }] }]'].join('\n'), { project: 'shop' }),
    ];
    const cat = buildCatalog(files);
    const joins = parseSql("select 1 from {{ ref('orders') }} o join {{ ref('events') }} e on e.event_id = o.event_id", 'models/x.sql').queries.joins;
    assert.deepEqual(inferJoins(cat, { joins, sources: { names: false } }).map(key), []);
    const index = new CatalogIndex(cat);
    assert.equal(index.resolveRef({ name: 'events', dbtRef: { kind: 'ref', args: ['events'] } }).table, undefined);
    assert.equal(index.resolveRef({ schema: 'app', name: 'events', dbtRef: { kind: 'source', args: ['app', 'events'] } }).table?.name, 'events');
  });

  it("joins the entities of dbt semantic models as MetricFlow does, from either spec, on whichever file describes the model", () => {
    const model = (name: string, sql: string) => extractDbtModel(`models/${name}.sql`, sql, { project: 'shop' });
    const files = [
      model('fct_orders', 'select 1 as order_id, 1 as customer_id, 1 as sku, 1 as store_id'),
      model('dim_customers', 'select 1 as customer_id, 1 as region_code'),
      model('dim_customer_profiles', 'select 1 as customer_id, 1 as tier'),
      model('dim_skus', 'select 1 as sku_code'),
      model('dim_regions', 'select 1 as code'),
      // semantic models in a file of their own (dbt Core's spec)
      extractDbtYaml(
        'models/semantic/orders.yml',
        [
          'semantic_models:',
          '  - name: orders',
          "    model: ref('fct_orders')",
          '    entities:',
          '      - { name: order, type: primary, expr: order_id }',
          '      - { name: customer, type: foreign, expr: customer_id }',
          '      - { name: sku, type: foreign }',
          '      - { name: store, type: foreign, expr: "coalesce(store_id, 0)" }',
          '  - name: customers',
          "    model: ref('dim_customers')",
          '    entities:',
          '      - { name: customer, type: PRIMARY, expr: customer_id }',
          '      - { name: region, type: foreign, expr: region_code }',
        ].join('\n'),
        { project: 'shop' },
      ),
      // the newer spec: entities on the model's own entry
      extractDbtYaml(
        'models/marts.yml',
        [
          'models:',
          '  - name: dim_customer_profiles',
          '    semantic_model: { enabled: true }',
          '    columns:',
          '      - { name: customer_id, entity: { type: unique, name: customer } }',
          '  - name: dim_skus',
          '    columns:',
          '      - { name: sku_code, entity: { type: primary, name: sku } }',
          '  - name: dim_regions',
          '    derived_semantics:',
          '      entities: [{ name: region, type: natural, expr: code }]',
        ].join('\n'),
        { project: 'shop' },
      ),
    ];
    const ps = inferJoins(buildCatalog(files), { sources: { names: false } });
    const semantic = ps.filter((p) => p.evidence.some((e) => e.kind === 'dbt-semantic'));
    assert.deepEqual(semantic.map((p) => `${key(p)} ${p.cardinality}/${p.cardinalitySource}`).sort(), [
      'dim_customer_profiles(customer_id)->dim_customers(customer_id) one-to-one/declared',
      'dim_customers(region_code)->dim_regions(code) many-to-one/declared',
      'fct_orders(customer_id)->dim_customer_profiles(customer_id) many-to-one/declared',
      'fct_orders(customer_id)->dim_customers(customer_id) many-to-one/declared',
      'fct_orders(sku)->dim_skus(sku_code) many-to-one/declared',
    ]);
    const evidence = find(ps, 'fct_orders(customer_id)->dim_customers(customer_id)')!.evidence.find((e) => e.kind === 'dbt-semantic')!;
    assert.equal(`${evidence.file}:${evidence.line}`, 'models/semantic/orders.yml:6');
    assert.match(evidence.detail, /entity "customer": orders's foreign entity fct_orders\.customer_id → customers's primary entity dim_customers\.customer_id/);
  });

  it('does not join on incompatible types', () => {
    const cat = catalogFromDdl(`
      CREATE TABLE customers (customer_id int PRIMARY KEY);
      CREATE TABLE visits (visit_id int PRIMARY KEY, customer_id date);`, 's.sql');
    assert.deepEqual(inferJoins(cat), []);
  });

  describe('the SmugMug trap: orderinfo.product_id ↔ skuinfo.sku_id', () => {
    const ddl = `CREATE TABLE skuinfo (sku_id int PRIMARY KEY, dept int, color varchar(20));
      CREATE TABLE orderinfo (order_id int PRIMARY KEY, product_id int, quantity int);`;
    const query = `SELECT o.order_id, s.color\nFROM orderinfo o\nJOIN skuinfo s ON o.product_id = s.sku_id;`;

    it('is found with a query join as evidence, with file:line, and scores above the name-only guess', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const joins = parseSql(query, 'reports/sales.sql').queries.joins;
      const withQuery = find(inferJoins(cat, { joins }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(withQuery, 'proposed with query evidence');
      const q = withQuery.evidence.find((e) => e.kind === 'query-join')!;
      assert.equal(q.file, 'reports/sales.sql');
      assert.equal(q.line, 3);
      const namesOnly = find(inferJoins(cat, { minScore: 0 }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(!namesOnly || namesOnly.score < withQuery.score);
    });

    it('is found from a semi-join written as IN (SELECT …)', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const joins = parseSql(`SELECT * FROM orderinfo\nWHERE product_id IN (SELECT sku_id FROM skuinfo WHERE dept = 3)`, 'legacy.sql').queries.joins;
      const p = find(inferJoins(cat, { joins, sources: { names: false } }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(p, 'proposed from the IN subquery');
      assert.match(p.evidence.find((e) => e.kind === 'query-join')!.detail, /IN \(SELECT …\)/);
    });

    it('is found from a query-builder join in application code, which the evidence says', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const php = `<?php\n$rows = DB::table('orderinfo as o')\n    ->join('skuinfo as s', 's.sku_id', '=', 'o.product_id')\n    ->get();\n`;
      const joins = extractFile('app/Orders.php', Buffer.from(php), { dbtProjects: [] }).joins;
      const p = find(inferJoins(cat, { joins, sources: { names: false } }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(p, 'proposed from the builder join');
      const ev = p.evidence.find((e) => e.kind === 'query-join')!;
      assert.deepEqual([ev.file, ev.line], ['app/Orders.php', 3]);
      assert.match(ev.detail, /query builder, inner join/);
    });

    it("is declared by an ORM model's foreign key, directed and many-to-one even with no key declared in the warehouse", () => {
      const cat = catalogFromDdl(`CREATE TABLE skuinfo (sku_id int, dept int);\nCREATE TABLE orderinfo (order_id int, product_id int);`, 'ddl.sql');
      const py = `from sqlalchemy import Column, ForeignKey, Integer\n\nclass Order(Base):\n    __tablename__ = 'orderinfo'\n    product_id = Column(Integer, ForeignKey('skuinfo.sku_id'))\n`;
      const joins = extractFile('etl/schema.py', Buffer.from(py), { dbtProjects: [] }).joins;
      const p = find(inferJoins(cat, { joins, sources: { names: false } }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(p, 'proposed from the model');
      assert.deepEqual([p.cardinality, p.cardinalitySource], ['many-to-one', 'declared']);
      const ev = p.evidence.find((e) => e.kind === 'orm-relationship')!;
      assert.deepEqual([ev.file, ev.line], ['etl/schema.py', 5]);
      assert.match(ev.detail, /ORM model foreign key/);
      assert.ok(p.score >= 0.9, `score ${p.score}`);
    });

    it("is declared by a Laravel migration's foreign key, which the evidence says", () => {
      const cat = catalogFromDdl(`CREATE TABLE skuinfo (sku_id int, dept int);\nCREATE TABLE orderinfo (order_id int, product_id int);`, 'ddl.sql');
      const php = `<?php\nSchema::table('orderinfo', function (Blueprint $table) {\n    $table->foreign('product_id')->references('sku_id')->on('skuinfo');\n});\n`;
      const joins = extractFile('database/migrations/2024_01_01_000000_keys.php', Buffer.from(php), { dbtProjects: [] }).joins;
      const p = find(inferJoins(cat, { joins, sources: { names: false } }), 'orderinfo(product_id)->skuinfo(sku_id)');
      assert.ok(p, 'proposed from the migration');
      assert.deepEqual([p.cardinality, p.cardinalitySource], ['many-to-one', 'declared']);
      const ev = p.evidence.find((e) => e.kind === 'orm-relationship')!;
      assert.deepEqual([ev.file, ev.line], ['database/migrations/2024_01_01_000000_keys.php', 3]);
      assert.match(ev.detail, /schema migration foreign key/);
    });

    it("takes a composite key a migration declares as one proposal, and none when the catalog lacks one of its columns", () => {
      const ddl = `CREATE TABLE tills (store_id int, till_no int, opened date);\nCREATE TABLE sales (sale_id int, store_id int, till_no int);`;
      const php = `<?php\nSchema::table('sales', function (Blueprint $table) {\n    $table->foreign(['store_id', 'till_no'])->references(['store_id', 'till_no'])->on('tills');\n});\n`;
      const joins = extractFile('database/migrations/2024_01_01_000000_sales.php', Buffer.from(php), { dbtProjects: [] }).joins;
      const proposals = inferJoins(catalogFromDdl(ddl, 'ddl.sql'), { joins, sources: { names: false } });
      const p = find(proposals, 'sales(store_id,till_no)->tills(store_id,till_no)');
      assert.ok(p, `not proposed; got ${proposals.map((x) => x.id).join(', ')}`);
      assert.deepEqual([p.cardinality, p.cardinalitySource], ['many-to-one', 'declared']);
      assert.match(p.evidence.find((e) => e.kind === 'orm-relationship')!.detail, /sales\.\(store_id, till_no\) → tills\.\(store_id, till_no\) \(schema migration foreign key\)/);
      // taken one column at a time, it would say something else
      assert.equal(find(proposals, 'sales(store_id)->tills(store_id)'), undefined);
      const partial = catalogFromDdl(`CREATE TABLE tills (store_id int, opened date);\nCREATE TABLE sales (sale_id int, store_id int, till_no int);`, 'ddl.sql');
      assert.deepEqual(inferJoins(partial, { joins, sources: { names: false } }).filter((x) => x.evidence.some((e) => e.kind === 'orm-relationship')), []);
    });

    it('query evidence orients the pair from the non-key side to the key side', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const joins = parseSql(`SELECT 1 FROM skuinfo s JOIN orderinfo o ON s.sku_id = o.product_id`, 'q.sql').queries.joins;
      assert.ok(find(inferJoins(cat, { joins, sources: { names: false } }), 'orderinfo(product_id)->skuinfo(sku_id)'));
    });
  });

  describe('joins written with unqualified columns', () => {
    const ddl = `CREATE TABLE orders (order_id int PRIMARY KEY, cust_ref int, status_code int);
      CREATE TABLE customers (customer_key int PRIMARY KEY, status_code int);`;

    it('are evidence once the catalog places each column on the one relation that has it', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const joins = parseSql(`SELECT 1\nFROM orders JOIN customers\n  ON cust_ref = customer_key`, 'legacy.sql').queries.joins;
      assert.equal(joins[0]!.left.table, undefined, 'the query alone cannot tell');
      const p = find(inferJoins(cat, { joins, sources: { names: false } }), 'orders(cust_ref)->customers(customer_key)');
      assert.ok(p, 'proposed from the query');
      const ev = p.evidence.find((e) => e.kind === 'query-join')!;
      assert.equal(ev.file, 'legacy.sql');
      assert.equal(ev.line, 3);
      assert.match(ev.detail, /placed by the catalog/);
    });

    it('are not evidence when the column is in both relations, as the warehouse would reject it', () => {
      const cat = catalogFromDdl(ddl, 'ddl.sql');
      const joins = parseSql(`SELECT 1 FROM orders o JOIN customers c ON o.order_id = status_code`, 'q.sql').queries.joins;
      assert.deepEqual(inferJoins(cat, { joins, sources: { names: false } }), []);
    });
  });

  it('proposes no join to an ephemeral dbt model, which no warehouse holds', () => {
    const cat = catalogFromDdl(`CREATE TABLE customers (customer_id int PRIMARY KEY); CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int);
      CREATE TABLE int_customers (customer_id int PRIMARY KEY);`, 's.sql');
    const eph = cat.tables.find((t) => t.name === 'int_customers')!;
    eph.kind = 'dbtModel';
    eph.dbt = { resourceType: 'model', materialized: 'ephemeral', uniqueId: 'model.p.int_customers' };
    const joins = parseSql('select 1 from orders o join int_customers i on i.customer_id = o.customer_id join customers c on c.customer_id = o.customer_id', 'q.sql').queries.joins;
    const ids = inferJoins(cat, { joins, sources: { names: false } }).map(key);
    assert.deepEqual(ids, ['orders(customer_id)->customers(customer_id)']);
    eph.dbt.materialized = 'view';
    assert.ok(inferJoins(cat, { joins, sources: { names: false } }).map(key).includes('orders(customer_id)->int_customers(customer_id)'), 'as a view it joins');
  });

  it('uses dbt relationships tests (with meta.relationship_type) as declared evidence', () => {
    const base = catalogFromDdl(`CREATE TABLE customers (id int); CREATE TABLE orders (id int, buyer int);`, 'm.sql');
    const orders = base.tables.find((t) => t.name === 'orders')!;
    orders.tests = [{
      name: 'relationships', column: 'buyer',
      arguments: { to: "ref('customers')", field: 'id' },
      config: { meta: { relationship_type: 'one-to-one' } },
      origin: { kind: 'dbt-yaml', file: 'models/schema.yml', line: 14 },
    }];
    const p = find(inferJoins(base), 'orders(buyer)->customers(id)');
    assert.ok(p);
    assert.equal(p.cardinality, 'one-to-one');
    assert.equal(p.cardinalitySource, 'declared');
    const ev = p.evidence.find((e) => e.kind === 'dbt-relationships')!;
    assert.equal(ev.file, 'models/schema.yml');
    assert.equal(ev.line, 14);
  });

  describe('coherence', () => {
    it('keeps one target per FK column: hard evidence beats a name guess', () => {
      const cat = catalogFromDdl(`
        CREATE TABLE customer (customer_id int PRIMARY KEY);
        CREATE TABLE customer_archive (archive_id int PRIMARY KEY, customer_ref int);
        CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int REFERENCES customer_archive (archive_id));`, 's.sql');
      const fromOrders = inferJoins(cat).filter((p) => p.from.table === 'orders');
      assert.deepEqual(keys(fromOrders), ['orders(customer_id)->customer_archive(archive_id)']);
    });

    it('drops an ambiguous name-only tie instead of guessing', () => {
      const cat: CatalogSnapshot = catalogFromDdl(`
        CREATE TABLE sales.region (region_id int PRIMARY KEY);
        CREATE TABLE hr.region (region_id int PRIMARY KEY);
        CREATE TABLE finance.store (store_id int PRIMARY KEY, region_id int);`, 's.sql');
      assert.deepEqual(inferJoins(cat).filter((p) => p.from.table === 'store'), []);
    });

    it('never proposes both directions of one column pair', () => {
      const cat = catalogFromDdl(`
        CREATE TABLE customer (customer_id int PRIMARY KEY);
        CREATE TABLE customer_profile (customer_id int PRIMARY KEY, bio varchar(100));`, 's.sql');
      const joins = parseSql(`SELECT 1 FROM customer c JOIN customer_profile p ON c.customer_id = p.customer_id`, 'q.sql').queries.joins;
      const ps = inferJoins(cat, { joins });
      assert.deepEqual(keys(ps), ['customer_profile(customer_id)->customer(customer_id)']);
      assert.equal(ps[0]!.cardinality, 'one-to-one');
    });

    it('a dimension does not reference a fact on names alone', () => {
      const cat = catalogFromDdl(`
        CREATE TABLE fact_orders (order_id int PRIMARY KEY, amount numeric(10,2));
        CREATE TABLE dim_promo (promo_key int PRIMARY KEY, order_id int);`, 's.sql');
      assert.deepEqual(inferJoins(cat), []);
    });
  });

  it("also takes dbt_utils' relationships_where and dbt_constraints' foreign_key tests as declared evidence", () => {
    const base = catalogFromDdl(`CREATE TABLE customers (id int); CREATE TABLE orders (id int, buyer int, seller int);`, 'm.sql');
    const orders = base.tables.find((t) => t.name === 'orders')!;
    const origin = { kind: 'dbt-yaml' as const, file: 'models/schema.yml', line: 3 };
    orders.tests = [
      { name: 'dbt_utils.relationships_where', column: 'buyer', arguments: { to: "ref('customers')", field: 'id', from_condition: 'buyer is not null' }, origin },
      { name: 'dbt_constraints.foreign_key', arguments: { fk_column_name: 'seller', pk_table_name: "ref('customers')", pk_column_name: 'id' }, origin },
      { name: 'my_pkg.foreign_key_like', column: 'id', arguments: { to: "ref('customers')", field: 'id' }, origin },
    ];
    const found = inferJoins(base, { sources: { names: false, queries: false, declared: false } });
    assert.deepEqual(keys(found), ['orders(buyer)->customers(id)', 'orders(seller)->customers(id)']);
    assert.ok(found.every((p) => p.evidence.some((e) => e.kind === 'dbt-relationships' && /dbt (dbt_utils\.relationships_where|dbt_constraints\.foreign_key) test/.test(e.detail))));
  });

  it('gives every proposal a join SQL and a cardinality SQL', () => {
    const cat = catalogFromDdl(`CREATE TABLE "Artist" ("ArtistId" int PRIMARY KEY); CREATE TABLE "Album" ("AlbumId" int PRIMARY KEY, "ArtistId" int);`, 's.sql');
    const [p] = inferJoins(cat);
    assert.ok(p);
    assert.equal(key(p), 'Album(ArtistId)->Artist(ArtistId)');
    assert.match(p.joinSql, /FROM public\."Album" AS a\nJOIN public\."Artist" AS a2\n {2}ON a\."ArtistId" = a2\."ArtistId"/);
    assert.match(p.cardinalitySql, /AS orphan_rows/);
  });

  it('keeps a name match within its schema when every tenant schema has the same tables', () => {
    const ddl = Array.from({ length: 40 }, (_, i) => `
      CREATE TABLE tenant_${i}.customers (customer_id bigint PRIMARY KEY, name varchar(50));
      CREATE TABLE tenant_${i}.orders (order_id bigint PRIMARY KEY, customer_id bigint);`).join('\n');
    const catalog = catalogFromDdl(ddl, 'tenants.sql');
    const index = buildColumnIndex(catalog.tables);
    const candidates = new CandidateSet();
    addNameCandidates(index, buildNameIndex(index), candidates);
    // a tenant's orders.customer_id is a candidate for its own customers only, not for all 40 (1,600 candidates)
    assert.ok(candidates.all().length <= 80, `${candidates.all().length} candidates`);
    const proposals = inferJoins(catalog);
    const customers = proposals.filter((p) => p.fromColumns[0] === 'customer_id');
    assert.equal(customers.length, 40, 'one per tenant');
    for (const p of customers) assert.equal(p.from.schema, p.to.schema, `${p.id} crosses tenants`);
  });

  it('proposes nothing from a name that fits many tables alike, or from a number in a name', () => {
    const shards = Array.from({ length: 30 }, (_, i) => `CREATE TABLE events_${2000 + i} (event_id bigint PRIMARY KEY, kind varchar(20));`).join('\n');
    const proposals = inferJoins(catalogFromDdl(`${shards}
      CREATE TABLE clicks (click_id bigint PRIMARY KEY, event_id bigint, batch_2003_id bigint);`, 'shards.sql'));
    assert.deepEqual(proposals.filter((p) => p.from.table === 'clicks').map((p) => p.id), []);
  });
});
