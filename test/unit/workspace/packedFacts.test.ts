import assert from 'node:assert/strict';
import { extractFile } from '../../../src/core/workspace/extractFile';
import type { FileFacts } from '../../../src/core/workspace/facts';
import { packFacts, unpackDdl, unpackFacts } from '../../../src/core/workspace/packedFacts';

const context = { dbtProjects: [{ root: 'analytics', name: 'shop', modelPaths: ['models'], seedPaths: ['seeds'] }] };
const extract = (file: string, text: string): FileFacts => extractFile(file, Buffer.from(text), context);
/** What JSON keeps of facts (absent and undefined properties read the same). */
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const samples: Array<[string, string]> = [
  [
    'warehouse/ddl/orders.sql',
    `CREATE TABLE sales.orders (\n  order_id BIGINT NOT NULL PRIMARY KEY,\n  customer_id INT REFERENCES sales.customers(customer_id),\n  status SMALLINT\n) DISTKEY(order_id);\n` +
      `ALTER TABLE sales.orders ADD CONSTRAINT uq UNIQUE (status);\nCOMMENT ON TABLE sales.orders IS 'one row per order';\n` +
      `SELECT o.order_id FROM sales.orders o JOIN sales.customers c ON c.customer_id = o.customer_id;\nCREATE TABLE broken (;\n`,
  ],
  [
    'analytics/models/schema.yml',
    `version: 2\nmodels:\n  - name: stg_orders\n    description: Orders\n    columns:\n      - name: order_id\n        data_tests: [unique, not_null]\n      - name: status\n        tests:\n          - accepted_values:\n              values: [1, 2]\n`,
  ],
  [
    'app/Order.php',
    `<?php\nclass OrderStatus {\n  const OPEN = 1;\n  const SHIPPED = 2;\n}\n$sql = "SELECT * FROM sales.orders o\n  JOIN sales.customers c ON c.customer_id = o.customer_id";\n`,
  ],
];

describe('packed facts (JSON text with short origins)', () => {
  for (const [file, text] of samples) {
    it(`round-trips the facts of ${file} and leaves them as they were`, () => {
      const facts = extract(file, text);
      const before = structuredClone(facts);
      const packed = packFacts(facts);
      assert.deepEqual(facts, before, 'packFacts must not change the facts it is given');
      assert.ok(!String(packed.ddl).includes(file) && !String(packed.rest).slice(20).includes(file), 'the path is written once at most');
      const back = unpackFacts(file, packed);
      assert.deepEqual(back, asJson(before));
      assert.deepEqual(unpackDdl(file, packed.ddl), asJson(before.ddl));
      assert.deepEqual(packed.counts, { joins: before.joins.length, constants: before.constants.length, diagnostics: before.diagnostics.length });
    });
  }

  it('writes origins in the file itself short, and keeps any other origin as it is', () => {
    const facts = extract(...samples[0]!);
    const table = facts.ddl.find((op) => op.op === 'createTable')!;
    assert.equal(table.op, 'createTable');
    const columns = (table as Extract<typeof table, { op: 'createTable' }>).table.columns;
    columns[0]!.origin = { kind: 'ddl', file: 'elsewhere.sql', line: 3 };
    columns[1]!.origin = { kind: 'warehouse', connection: 'prod' };
    columns[2]!.origin = { kind: 'ddl', file: facts.file };
    const before = structuredClone(facts);
    const packed = packFacts(facts);
    const plain = JSON.stringify(before.ddl);
    assert.ok(String(packed.ddl).length < plain.length * 0.8, `${String(packed.ddl).length} vs ${plain.length}`);
    assert.ok(String(packed.ddl).includes('"file":"elsewhere.sql"') && String(packed.ddl).includes('"connection":"prod"'));
    assert.deepEqual(unpackFacts(facts.file, packed), asJson(before));
  });

  it('may consume the facts it packs (workers drop them), with the same text', () => {
    const facts = extract(...samples[1]!);
    const kept = packFacts(structuredClone(facts));
    const consumed = packFacts(facts, true);
    assert.equal(consumed.ddl, kept.ddl);
    assert.equal(consumed.rest, kept.rest);
  });
});
