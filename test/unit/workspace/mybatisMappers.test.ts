import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { qualifiedColumn } from './helpers';

const dir = path.join(__dirname, '../../fixtures/workspace/mybatis');
const context = { dbtProjects: [] };
const facts = (file: string) => extractFile(file, readFileSync(path.join(dir, file)), context);
const joins = (f: ReturnType<typeof facts>) => f.joins.map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)} ${j.clause}${j.joinType ? ` ${j.joinType}` : ''}`);

describe('MyBatis mappers and iBATIS SQL maps', () => {
  it('classifies mapper files by their names and folders, and leaves other XML alone', () => {
    const kinds = ['src/main/resources/mappers/OrderMapper.xml', 'com/shop/OrderDao.xml', 'legacy/Shipment-sqlmap.xml', 'src/main/resources/mybatis/orders.xml', 'pom.xml', 'src/main/resources/logback.xml'];
    assert.deepEqual(kinds.map((f) => classifyFile(f, context)), ['mybatis', 'mybatis', 'mybatis', 'mybatis', 'other', 'other']);
  });

  it('reads the joins of each statement at their lines: fragments, dynamic SQL, CDATA, parameters', () => {
    const f = facts('src/main/resources/mappers/OrderMapper.xml');
    assert.equal(f.kind, 'mybatis');
    assert.deepEqual(joins(f), [
      // the <sql> fragment, on the line of its <include>
      '12: sales.customers.customer_id = sales.orderinfo.customer_id on inner',
      // CDATA, where `<` needs no escape
      '24: sales.skuinfo.sku_id = sales.orderinfo.product_id on left',
      // every branch of a <choose>
      '48: sales.vendors.vendor_id = sales.orderinfo.vendor_id on inner',
      '51: sales.skuinfo.sku_id = sales.orderinfo.product_id on inner',
    ]);
    // ${shipmentTable} is a parameter, no table: the UPDATE's join says nothing; <selectKey>'s sequence is no table
    assert.deepEqual(
      f.tableRefs.map((r) => `${r.schema}.${r.name}:${r.origin.line}`),
      ['sales.orderinfo:11', 'sales.customers:12', 'sales.orderinfo:23', 'sales.skuinfo:24', 'sales.orderinfo:29', 'sales.orderinfo:39', 'sales.orderinfo:44', 'sales.vendors:47', 'sales.skuinfo:51'],
    );
    assert.deepEqual(f.diagnostics, []);
  });

  it("reads iBATIS's dynamic elements by their prepend and its #param# / $param$ parameters", () => {
    assert.deepEqual(joins(facts('legacy/ShipmentSqlMap.xml')), ['12: sales.shipments.order_id = sales.orderinfo.order_id where inner']);
  });

  it('keeps the lines of a start tag written over several lines, and reads nothing from other XML', () => {
    const mapper = [
      '<mapper namespace="m">',
      '  <select id="a">',
      '    SELECT 1 FROM s.a a',
      '    <if test="x != null',
      '              and y != null">',
      '      JOIN s.b b ON b.id = a.b_id',
      '    </if>',
      '    JOIN s.c c ON c.id = a.c_id',
      '  </select>',
      '</mapper>',
    ].join('\n');
    assert.deepEqual(joins(extractFile('mappers/A.xml', Buffer.from(mapper), context)), ['6: s.b.id = s.a.b_id on inner', '8: s.c.id = s.a.c_id on inner']);
    const beans = '<beans><bean id="x"><property name="sql" value="select * from a join b on a.id = b.a_id"/></bean></beans>';
    assert.deepEqual(extractFile('mappers/beans.xml', Buffer.from(beans), context).joins, []);
  });

  it('survives broken XML: unclosed elements, stray end tags, unterminated comments and CDATA', () => {
    const broken = [
      '<mapper><select id="a">SELECT 1 FROM s.a a JOIN s.b b ON b.id = a.b_id </if></where>',
      '<mapper><select id="a"><![CDATA[ SELECT 1 FROM s.a a JOIN s.b b ON b.id = a.b_id',
      '<mapper><!-- <select id="a">SELECT 1 FROM s.a</select>',
      '<mapper><select id="a" test="a > b" broken=>SELECT <include refid="a"/> <include refid="missing"/></select><sql id="a"><include refid="a"/></sql>',
      '<sqlMap><select id="a">SELECT $a FROM #b WHERE x = #y',
    ];
    for (const text of broken) {
      const f = extractFile('mappers/Broken.xml', Buffer.from(text), context);
      assert.ok(!f.diagnostics.some((d) => d.message.startsWith('Extractor failed')), text);
    }
    assert.deepEqual(joins(extractFile('mappers/Broken.xml', Buffer.from(broken[0]!), context)), ['1: s.b.id = s.a.b_id on inner']);
  });
});

describe('fuzz: MyBatis mapper reading never throws and always finishes', function () {
  this.timeout(60_000);
  const base = readFileSync(path.join(dir, 'src/main/resources/mappers/OrderMapper.xml'), 'utf8') + readFileSync(path.join(dir, 'legacy/ShipmentSqlMap.xml'), 'utf8');
  const INJECT = ['<', '>', '</', '/>', '"', "'", '<![CDATA[', ']]>', '<!--', '-->', '<where>', '</where>', '<if test="a > b">', '</if>', '<include refid="orderJoins"/>', '#{', '${', '#', '$', '&lt;', '&', '\n', ' JOIN x ON ', '<foreach open="(" close=")">', '<trim prefix="WHERE">'];

  it('survives 1500 mutated mappers (seeded) and pathological nesting', () => {
    let seed = Number(process.env.QUARRY_FUZZ_SEED ?? 20261128);
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const parts = base.split(/(?=[<>"'&#$\s])/);
    for (let i = 0; i < 1500; i++) {
      const p = [...parts];
      for (let e = 0, edits = 1 + Math.floor(rand() * 8); e < edits; e++) {
        const at = Math.floor(rand() * p.length);
        const r = rand();
        if (r < 0.3) p.splice(at, 1 + Math.floor(rand() * 4));
        else if (r < 0.85) p.splice(at, 0, INJECT[Math.floor(rand() * INJECT.length)]!);
        else p.length = at;
      }
      const text = p.join('');
      const t0 = performance.now();
      const f = extractFile('mappers/Fuzz.xml', Buffer.from(text), context);
      const ms = performance.now() - t0;
      assert.ok(!f.diagnostics.some((d) => d.message.startsWith('Extractor failed')), `case ${i}: ${f.diagnostics[0]?.message}\n${text}`);
      assert.ok(ms < 500, `case ${i} took ${ms.toFixed(0)} ms`);
    }
    const pathological = [
      '<mapper><select id="a">' + '<if>'.repeat(20_000) + 'SELECT 1 FROM a JOIN b ON a.x = b.y' + '</x>'.repeat(20_000),
      '<mapper><select id="a">' + '<if>'.repeat(20_000) + '</if>'.repeat(20_000) + '</select></mapper>',
      '<mapper>' + Array.from({ length: 3000 }, (_, i) => `<sql id="f${i}"><include refid="f${i + 1}"/> JOIN t${i} ON t${i}.id = a.t${i}_id</sql>`).join('') + '<select id="a">SELECT 1 FROM a <include refid="f0"/></select></mapper>',
      // fragments that each include the next many times over
      '<mapper>' + Array.from({ length: 10 }, (_, i) => `<sql id="f${i}">${`<include refid="f${i + 1}"/>`.repeat(50)} JOIN t${i} ON t${i}.id = a.t${i}_id</sql>`).join('') + '<select id="a">SELECT 1 FROM a <include refid="f0"/></select></mapper>',
    ];
    for (const [i, text] of pathological.entries()) {
      const t0 = performance.now();
      const f = extractFile('mappers/Deep.xml', Buffer.from(text), context);
      assert.ok(!f.diagnostics.some((d) => d.message.startsWith('Extractor failed')), `pathological ${i}: ${f.diagnostics[0]?.message}`);
      assert.ok(performance.now() - t0 < 2000, `pathological ${i} took ${(performance.now() - t0).toFixed(0)} ms`);
    }
  });
});
