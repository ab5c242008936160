import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { parseSql } from '../../../src/core/sql/ddlParser';
import { analyzeQuery, analyzeTokens, type OutputColumn } from '../../../src/core/sql/queryAnalysis';
import { splitStatements } from '../../../src/core/sql/splitter';
import type { ColumnRef, JoinPair } from '../../../src/core/sql/types';

const FIXTURES = join(__dirname, '../../fixtures/sql');

const ref = (c: ColumnRef): string => (c.table ? `${c.table.schema ?? '?'}.${c.table.name}.${c.column}` : `?.${c.column}`);
const pairs = (joins: JoinPair[]): string[] => joins.map((j) => `${ref(j.left)} = ${ref(j.right)} [${j.clause}${j.joinType ? ' ' + j.joinType : ''}]`);

describe('queryAnalysis', () => {
  it('resolves orderinfo.product_id = skuinfo.sku_id through aliases and a CTE', () => {
    const sql = `
WITH recent AS (
  SELECT oi.order_id, oi.product_id AS pid, oi.quantity * 2 AS doubled
  FROM sales.orderinfo AS oi
)
SELECT r.order_id, s.sku_desc
FROM recent r
JOIN sales.skuinfo s ON r.pid = s.sku_id AND s.is_active = TRUE
JOIN sales.category c ON c.category_id = s.category_id AND r.doubled = c.x`;
    const facts = analyzeQuery(sql, 'q.sql');
    assert.deepEqual(pairs(facts.joins), [
      'sales.orderinfo.product_id = sales.skuinfo.sku_id [on inner]',
      'sales.category.category_id = sales.skuinfo.category_id [on inner]',
      // r.doubled is computed in the CTE: dropped, not guessed
    ]);
    assert.deepEqual(facts.joins[0].origin, { kind: 'query', file: 'q.sql', line: 8, column: 25 });
    assert.deepEqual(facts.tables.map((t) => `${t.schema}.${t.name}@${t.origin.line}`), ['sales.orderinfo@4', 'sales.skuinfo@8', 'sales.category@9']);
  });

  it('reads the query fixture: ON with AND, implicit comma joins, USING, subqueries, DML', () => {
    const r = parseSql(readFileSync(join(FIXTURES, 'queries.sql'), 'utf8'), 'queries.sql');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(pairs(r.queries.joins), [
      'sales.orderinfo.product_id = sales.skuinfo.sku_id [on inner]', // CTE of a CTE (top_skus -> sku_orders)
      'sales.orderinfo.product_id = sales.skuinfo.sku_id [where inner]',
      'sales.skuinfo.category_id = sales.category.category_id [where inner]',
      'sales.orderinfo.sku_id = sales.skuinfo.sku_id [using inner]',
      'sales.skuinfo.sku_id = sales.orderinfo.product_id [on right]', // through a FROM subquery alias
      'staging.catalog_prices.sku = sales.skuinfo.sku_id [where inner]', // UPDATE ... FROM
      'sales.orderinfo.product_id = sales.skuinfo.sku_id [where inner]', // DELETE ... USING
      'sales.skuinfo.sku_id = spectrum.clickstream.sku_id [where inner]', // correlated EXISTS
    ]);
    const lines = r.queries.joins.map((j) => j.origin.line);
    assert.deepEqual(lines, [15, 22, 23, 28, 33, 39, 43, 47]);
    assert.ok(r.queries.tables.some((t) => t.schema === 'sales' && t.name === 'daily_sku_sales'), 'INSERT target is a referenced table');
  });

  it('resolves dbt ref() and source() and marks them for the dbt resolver', () => {
    const file = 'models/orders_enriched.sql';
    const r = parseSql(readFileSync(join(FIXTURES, 'dbt/models/orders_enriched.sql'), 'utf8'), file, { queryOriginKind: 'dbt-model' });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.queries.tables.map((t) => ({ schema: t.schema, name: t.name, dbtRef: t.dbtRef })),
      [
        { schema: 'sales', name: 'orderinfo', dbtRef: { kind: 'source', args: ['sales', 'orderinfo'] } },
        { schema: undefined, name: 'stg_skus', dbtRef: { kind: 'ref', args: ['stg_skus'] } },
        { schema: undefined, name: 'dim_category', dbtRef: { kind: 'ref', args: ['analytics', 'dim_category'] } },
      ],
    );
    assert.deepEqual(pairs(r.queries.joins), [
      'sales.orderinfo.product_id = ?.stg_skus.sku_id [on left]', // orders is `select *` from the source
      '?.dim_category.category_id = ?.stg_skus.category_id [on left]',
    ]);
    assert.equal(r.queries.joins[0].right.table?.dbtRef?.kind, 'ref');
    assert.equal(r.queries.joins[0].origin.kind, 'dbt-model');
  });

  it('reads JOIN ... USING with several columns', () => {
    const f = analyzeQuery('select * from a.orders o left join a.order_lines l using (order_id, tenant_id)', 'u.sql');
    assert.deepEqual(pairs(f.joins), ['a.orders.order_id = a.order_lines.order_id [using left]', 'a.orders.tenant_id = a.order_lines.tenant_id [using left]']);
  });

  it('takes an unqualified column a USING merged for the left side of that join, as the warehouse does', () => {
    const cands = (c: ColumnRef): string => (c.table ? ref(c) : `{${(c.candidates ?? []).map((q) => q.name).join('|')}}.${c.column}`);
    const f = analyzeQuery(
      `select k, b.v from s.a join s.b using (k) join s.c using (k) join s.d on d.x = k;
       select 1 from s.a join s.x on a.i = x.i join s.b using (k) join s.e on e.k2 = k`,
      'u.sql',
    );
    assert.deepEqual(f.joins.map((j) => `${cands(j.left)} = ${cands(j.right)}`), [
      's.a.k = s.b.k',
      's.a.k = s.c.k',
      // d may have a k of its own: the catalog settles it (see resolveUnqualifiedSides)
      's.d.x = {a|d}.k',
      's.a.i = s.x.i',
      '{a|x}.k = s.b.k',
      's.e.k2 = {a|x|e}.k',
    ]);
  });

  it('reads x [NOT] IN (SELECT y …) as a semi-join (anti-join) on the subquery\'s column, through its aliases', () => {
    const f = analyzeQuery(
      `select * from sales.orders o where o.customer_id in (select c.customer_id from crm.customers c where c.tier = 1) and o.x = 1;
       select * from sales.orders o where sku not in (select d.sku_id from (select sku_id from sales.discontinued) d);
       select * from sales.orders o join sales.lines l on l.order_id = o.order_id and l.sku in (select s.sku from sales.skus s);
       select * from sales.orders o where o.a in (select count(*) from t) and o.b in (1, 2) and o.c in (select * from t)`,
      'in.sql',
    );
    assert.deepEqual(pairs(f.joins), [
      'sales.orders.customer_id = crm.customers.customer_id [in inner]',
      'sales.orders.sku = sales.discontinued.sku_id [in]',
      'sales.lines.order_id = sales.orders.order_id [on inner]',
      'sales.lines.sku = sales.skus.sku [on inner]',
    ]);
  });

  it('gives candidates for an unqualified column among several tables, and drops filters and OR chains', () => {
    const f = analyzeQuery(
      `select * from t1, t2, t3 where t1.a = t1.b and code = t3.code and (t1.x = t2.y or t1.z = t2.z) and t2.k = 5 and t2.id = t3.id`,
      'w.sql',
    );
    assert.equal(f.joins.length, 2);
    assert.deepEqual(f.joins[0].left.candidates?.map((t) => t.name), ['t1', 't2', 't3']);
    assert.equal(f.joins[0].left.table, undefined);
    assert.equal(ref(f.joins[1].left), '?.t2.id');
  });

  it('reads parenthesised conjuncts, casts and lower() wrappers, and schema-qualified columns', () => {
    const f = analyzeQuery(
      `select 1 from s.a join s.b on (s.a.id = s.b.a_id and (lower(a.email) = lower(b.email))) join s.c on c.k::varchar = cast(b.k as varchar)`,
      'c.sql',
    );
    assert.deepEqual(pairs(f.joins), ['s.a.id = s.b.a_id [on inner]', 's.a.email = s.b.email [on inner]', 's.c.k = s.b.k [on inner]']);
  });

  it('sees correlated scalar subqueries in the select list and nested FROM subqueries', () => {
    const f = analyzeQuery(
      `select o.id, (select max(p.amount) from pay p where p.order_id = o.id) as paid
       from (select * from (select id, cust from orders) x) o join cust c on c.id = o.cust`,
      's.sql',
    );
    assert.deepEqual(pairs(f.joins), ['?.pay.order_id = ?.orders.id [where inner]', '?.cust.id = ?.orders.cust [on inner]']);
  });

  it('handles recursive CTEs, UNION branches and WITH ... INSERT without looping', () => {
    const f = analyzeQuery(
      `with recursive tree(id, parent) as (
         select id, parent_id from nodes
         union all
         select n.id, n.parent_id from nodes n join tree t on n.parent_id = t.id
       )
       insert into flat select t.id from tree t join nodes n2 on n2.id = t.parent`,
      'r.sql',
    );
    assert.deepEqual(f.tables.map((t) => t.name), ['nodes', 'flat']);
    assert.deepEqual(pairs(f.joins), ['?.nodes.parent_id = ?.nodes.id [on inner]', '?.nodes.id = ?.nodes.parent_id [on inner]']);
  });

  it('types a computed output column by what it evidently is, or by the column whose type it takes', () => {
    const tokens = (sql: string) => splitStatements(sql)[0]!.tokens;
    const outputs = (sql: string) =>
      analyzeTokens(tokens(sql), 0, tokens(sql).length, 'm.sql').outputColumns.map((o) => `${o.name}:${o.castType ?? (o.source ? `${o.functions?.join('.') ?? ''}<${o.source.column}` : '?')}`);
    assert.deepEqual(
      outputs(`select 1 as i, 1.5 as d, 'x' as s, true as b, current_date as today, count(*) as n,
        row_number() over (partition by a order by b) as rn, count(x) over w as nw, a > 1 as big, a is null as missing,
        a in (1, 2) as listed, a || b as joined, case when a > 1 then 'big' else 'small' end as size,
        case when a > 1 then t.qty end as qty_if, coalesce(t.amount, 0) as amount0, max(t.placed_at) as last_at,
        md5(a) as h, trim(a || ' ' || b) as full_name, a + 1 as plus, sum(t.qty) as total, foo(a) as other,
        avg(distinct t.amount) as avg_amount, sum(t.qty::bigint) as big_total, sum(case when a then 1 else 0 end) as hits,
        avg(1.5) as avg_lit, coalesce(sum(t.qty), 0) as total0, sum(t.qty * 2) as doubled, round(avg(t.amount), 2) as r,
        listagg(t.sku, ',') within group (order by t.sku) as skus, listagg(t.sku) within group (order by t.sku) over (partition by a) as skus_w,
        max(t.qty) within group (order by a) as odd from t`),
      [
        'i:integer', 'd:numeric', 's:varchar', 'b:boolean', 'today:date', 'n:bigint', 'rn:bigint', 'nw:bigint', 'big:boolean',
        'missing:boolean', 'listed:boolean', 'joined:varchar', 'size:varchar', 'qty_if:<qty', 'amount0:<amount', 'last_at:<placed_at',
        'h:varchar(32)', 'full_name:varchar', 'plus:?', 'total:sum<qty', 'other:?',
        // sum(bigint) is bigint in Redshift and numeric in PostgreSQL: no type rather than a wrong one
        'avg_amount:avg<amount', 'big_total:?', 'hits:bigint', 'avg_lit:numeric', 'total0:sum<qty', 'doubled:?', 'r:round.avg<amount',
        'skus:varchar', 'skus_w:varchar', 'odd:<qty',
      ],
    );
  });

  it('types a column selected by name from a CTE by the cast written there, while joins still see the base column', () => {
    const tokens = (sql: string) => splitStatements(sql)[0]!.tokens;
    const a = analyzeTokens(
      tokens(`with renamed as (select id::bigint as order_id, amount::numeric(12,2) as amount, status, coalesce(qty, 0) as qty from shop.orders)
        select r.order_id, r.amount, r.status, r.qty from renamed r join shop.lines l on l.order_id = r.order_id`),
      0,
      tokens(`with renamed as (select id::bigint as order_id, amount::numeric(12,2) as amount, status, coalesce(qty, 0) as qty from shop.orders)
        select r.order_id, r.amount, r.status, r.qty from renamed r join shop.lines l on l.order_id = r.order_id`).length,
      'm.sql',
    );
    assert.deepEqual(a.outputColumns.map((o) => [o.name, o.castType ?? '', o.source ? ref(o.source) : '']), [
      ['order_id', 'bigint', ''],
      ['amount', 'numeric(12,2)', ''],
      ['status', '', 'shop.orders.status'],
      ['qty', '', 'shop.orders.qty'],
    ]);
    assert.deepEqual(pairs(a.joins), ['shop.lines.order_id = shop.orders.id [on inner]']);
  });

  it('types a computed output column by a cast of the whole expression, and only then', () => {
    const tokens = (sql: string) => splitStatements(sql)[0]!.tokens;
    const outputs = (sql: string) => analyzeTokens(tokens(sql), 0, tokens(sql).length, 'm.sql').outputColumns.map((o) => `${o.name}:${o.castType ?? '?'}`);
    assert.deepEqual(
      outputs(`select (a + b)::numeric(12,2) as total, sum(x)::int as n, null::varchar(20) as pad, cast(a + 1 as bigint) as c,
        case when a > 1 then 1 else 0 end::smallint as flag, coalesce(a, 0)::int as k, {{ var('x') }}::date as d,
        x + y::int as z, cast(a as int) + 1 as w, a::int as plain, upper(s) as u from t`),
      // `cast(a as int) + 1` is arithmetic over integers (see the next test)
      ['total:numeric(12,2)', 'n:int', 'pad:varchar(20)', 'c:bigint', 'flag:smallint', 'k:int', 'd:date', 'z:?', 'w:integer', 'plain:int', 'u:?'],
    );
  });

  it('types arithmetic by its operands where Redshift and PostgreSQL agree, or keeps the columns it takes it from', () => {
    const tokens = (sql: string) => splitStatements(sql)[0]!.tokens;
    const term = (t: OutputColumn['typeTerm']): string =>
      !t ? '?' : 'type' in t ? t.type : 'column' in t ? `${t.functions?.join('.') ?? ''}<${t.column.column}` : `${t.functions?.join('.') ?? ''}(${t.operands.map(term).join(` ${t.ops[0] ?? ''} `)})`;
    const outputs = (sql: string) =>
      analyzeTokens(tokens(sql), 0, tokens(sql).length, 'm.sql').outputColumns.map((o) => `${o.name}:${o.castType ?? (o.typeTerm ? term(o.typeTerm) : o.source ? `<${o.source.column}` : '?')}`);
    assert.deepEqual(
      outputs(`with l as (select qty, price, qty * price as line, qty::bigint + 1 as big from shop.lines)
        select 1 + 2 as three, 2 * 1.5 as dec, 1 / price::float as fl, 7 / 2 as half, -price as neg, l.line, sum(l.line) as total,
          l.line * 2 as twice, sum(qty) / count(*) as mean, (price - 1) * qty as mix, current_date + 1 as tomorrow,
          'a' - 1 as nonsense, big * 2 as big2 from l`),
      [
        'three:integer', 'dec:numeric', 'fl:double precision', 'half:integer', 'neg:<price', 'line:(<qty * <price)',
        'total:sum(<qty * <price)', 'twice:((<qty * <price) * integer)', 'mean:(sum<qty / bigint)', 'mix:((<price - integer) * <qty)',
        // date and text arithmetic differ between the two: left untyped
        'tomorrow:?', 'nonsense:?', 'big2:bigint',
      ],
    );
  });

  it('expands a final select * over CTEs whose columns are known (the dbt staging pattern), through their own stars', () => {
    const tokens = (sql: string) => splitStatements(sql)[0]!.tokens;
    const analyze = (sql: string) => analyzeTokens(tokens(sql), 0, tokens(sql).length, 'm.sql');
    const a = analyze(`with source as (select * from {{ source('shop', 'orders') }}),
      renamed as (select id as order_id, customer_id, amount::numeric(12,2) as amount, upper(status) as status, qty * 2 as doubled from source)
      select * from renamed`);
    assert.equal(a.hasStar, false);
    assert.deepEqual(a.outputColumns.map((o) => [o.name, o.castType ?? '', o.source ? ref(o.source) : '']), [
      ['order_id', '', 'shop.orders.id'],
      ['customer_id', '', 'shop.orders.customer_id'],
      ['amount', 'numeric(12,2)', ''],
      ['status', '', 'shop.orders.status'], // upper/lower/trim keep the column's type
      ['doubled', '', ''],
    ]);
    const renamedColumns = analyze('with r(a, b) as (select x, y from t) select * from r');
    assert.deepEqual(renamedColumns.outputColumns.map((o) => [o.name, o.source ? ref(o.source) : '']), [['a', '?.t.x'], ['b', '?.t.y']]);
    // a star over catalog relations stays a star, each in its place among the outputs (the catalog fills their columns
    // in); a star over CTEs whose columns are known is expanded where it stands, also among other items
    const layout = (sql: string): string => {
      const x = analyze(sql);
      const items: string[] = x.outputColumns.map((o) => o.name);
      for (const s of [...(x.starsFrom ?? [])].reverse()) items.splice(s.at!, 0, `*${s.from.schema ?? '?'}.${s.from.name}`);
      return `${x.hasStar ? 'star ' : ''}${items.join(',')}`;
    };
    for (const [sql, expected] of [
      ['select * from sales.orders', 'star *sales.orders'],
      ["with final as (select * from {{ ref('stg_orders') }}) select * from final", 'star *?.stg_orders'],
      ['with r as (select a from t) select r.*, 1 as one from r', 'a,one'],
      ['with r as (select a, b from t) select x, r.*, y from r join u on u.id = r.a', 'x,a,b,y'],
      ['select * from sales.orders o join sales.lines l on l.order_id = o.id', 'star *sales.orders,*sales.lines'],
      ['select o.*, c.name as customer from sales.orders o join sales.customers c on c.id = o.cid', 'star *sales.orders,customer'],
      ['select c.name, o.* from sales.orders o join sales.customers c on c.id = o.cid', 'star name,*sales.orders'],
      ["with o as (select *, 1 as flag from {{ ref('orders') }}) select o.*, 2 as two from o", 'star *?.orders,flag,two'],
      ['with r(p, q) as (select * from t) select * from r', 'star '], // renamed by position past a star: not told
      ['select * from generate_series(1, 3) g', 'star '],
    ] as const) assert.equal(layout(sql), expected, sql);
  });

  it("reads Redshift's UNPIVOT of a SUPER object and PIVOT/UNPIVOT after a relation without taking them for tables", () => {
    const unnested = analyzeQuery(`SELECT ed.id, attr, val FROM sales.example_data ed, UNPIVOT ed.inventory AS val AT attr
JOIN sales.items i ON i.item_name = attr`, 'q.sql');
    assert.deepEqual(unnested.tables.map((t) => `${t.schema}.${t.name}`), ['sales.example_data', 'sales.items']);
    const rotated = analyzeQuery(`SELECT * FROM sales.part p PIVOT (AVG(price) FOR color IN ('red', 'blue')) AS pv
JOIN sales.stock s ON s.part_id = pv.part_id
UNION ALL SELECT * FROM sales.counts UNPIVOT (n FOR color IN (red, blue)) JOIN sales.colors c ON c.color = color`, 'q.sql');
    assert.deepEqual(rotated.tables.map((t) => `${t.schema}.${t.name}`), ['sales.part', 'sales.stock', 'sales.counts', 'sales.colors']);
    assert.ok(pairs(rotated.joins).includes('sales.stock.part_id = sales.part.part_id [on inner]'), pairs(rotated.joins).join('\n'));
  });

  it('shifts origins for SQL found in application code', () => {
    const f = analyzeQuery('SELECT *\nFROM orders o JOIN customers c ON o.customer_id = c.id', 'app/Repo.php', 41, { columnOffset: 10, originKind: 'code' });
    assert.deepEqual(f.joins[0].origin, { kind: 'code', file: 'app/Repo.php', line: 43, column: 35 });
    assert.deepEqual(f.tables[0].origin, { kind: 'code', file: 'app/Repo.php', line: 43, column: 6 });
    const first = analyzeQuery('select * from t', 'a.py', 9, { columnOffset: 10 });
    assert.equal(first.tables[0].origin.column, 25);
  });

  it('gives output columns with the base column they project', () => {
    const stmt = splitStatements('with c as (select o.id as oid from sales.orders o) select c.oid, c.oid::text as s, 1 as one, x.* from c, x')[0];
    const a = analyzeTokens(stmt.tokens, 0, stmt.tokens.length, 'v.sql');
    assert.deepEqual(a.outputColumns.map((o) => [o.name, o.castType ?? '', o.source ? ref(o.source) : '']), [
      ['oid', '', 'sales.orders.id'],
      ['s', 'text', 'sales.orders.id'],
      ['one', 'integer', ''], // a literal's type is evident
    ]);
    assert.equal(a.hasStar, true);
  });

  it("reads Redshift's Oracle-style outer joins, `a.x = b.y(+)`, as left (or right) joins", () => {
    const facts = analyzeQuery(
      'select c.name from sales.customers c, sales.orders o, sales.regions r\nwhere c.customer_id = o.customer_id(+) and r.region_id(+) = c.region_id and o.status = 1',
      'q.sql',
    );
    assert.deepEqual(pairs(facts.joins), [
      'sales.customers.customer_id = sales.orders.customer_id [where left]',
      'sales.regions.region_id = sales.customers.region_id [where right]',
    ]);
  });

  it('finds the same tables as node-sql-parser on the plain queries it can parse', () => {
    // Cross-check against a maintained parser; it rejects Redshift DDL and Jinja, so only plain SELECT/DML here.
    const parser = new Parser();
    const text = readFileSync(join(FIXTURES, 'queries.sql'), 'utf8');
    let compared = 0;
    for (const stmt of splitStatements(text)) {
      let theirs: string[];
      try {
        theirs = parser.tableList(stmt.text, { database: 'PostgresQL' }).map((t) => t.split('::').slice(1).join('.').replace(/^null\./, ''));
      } catch {
        continue;
      }
      const cteNames = new Set(['sku_orders', 'top_skus']);
      const mine = analyzeTokens(stmt.tokens, 0, stmt.tokens.length, 'q.sql').tables.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name));
      assert.deepEqual([...new Set(mine)].sort(), [...new Set(theirs.filter((t) => !cteNames.has(t)))].sort(), stmt.text);
      compared++;
      if (process.env.QUARRY_VERBOSE) console.log(`node-sql-parser agreed on: ${stmt.text.slice(0, 40).replace(/\s+/g, " ")}`);
    }
    assert.ok(compared >= 5, `compared ${compared} statements`);
  });
});
