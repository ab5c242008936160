import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { qualifiedColumn } from './helpers';

const context = { dbtProjects: [] };
const joins = (file: string, text: string | Buffer) =>
  extractFile(file, Buffer.from(text), context).joins.filter((j) => j.via === 'query-builder').map((j) => `${j.origin.line}: ${qualifiedColumn(j.left)} = ${qualifiedColumn(j.right)} ${j.clause} ${j.joinType}${j.condition ? ` (one condition at ${j.condition.line})` : ''}`);

describe('DataFrame joins: PySpark (Glue jobs, EMR) and pandas', () => {
  it('reads the joins of DataFrames whose tables it knows: catalog, table and JDBC reads, derived frames, aliases', () => {
    const file = path.join(__dirname, '../../fixtures/workspace/pyspark/jobs/late_orders.py');
    assert.deepEqual(joins('jobs/late_orders.py', readFileSync(file)), [
      // a frame derived from a Glue catalog frame (filter) is of its table; `how` by position
      '22: sales.orderinfo.customer_id = sales.customers.customer_id on left',
      // df["x"] columns, `&` of two comparisons, from a JDBC read's dbtable
      '25: sales.orderinfo.product_id = sales.skuinfo.sku_id on inner (one condition at 25)',
      '25: sales.orderinfo.vendor_id = sales.skuinfo.vendor_id on inner (one condition at 25)',
      // F.col("alias.x") through .alias()
      '29: sales.orderinfo.customer_id = sales.customers.customer_id on inner',
      // on="…": USING
      '33: sales.customers.region_code = ref.regions.region_code using left',
    ]);
  });

  it("reads pandas' merges of frames read from one table each, and leaves its index joins alone", () => {
    const file = path.join(__dirname, '../../fixtures/workspace/pyspark/notebooks/churn.py');
    assert.deepEqual(joins('notebooks/churn.py', readFileSync(file)), [
      // a derived frame (a boolean filter) keeps its table; on= is USING
      '11: sales.orderinfo.customer_id = sales.customers.customer_id using left',
      // pd.merge with left_on / right_on, a frame read inline
      '12: sales.customers.region_code = ref.regions.code on inner',
    ]);
  });

  it('reads inline reads and annotated frames, and takes a merged frame or a union for no one table', () => {
    const text = [
      'import pandas as pd',
      'orders = pd.read_sql_table("orders", e, schema="sales")',
      'customers = pd.read_sql_table("customers", e, schema="sales")',
      'm = orders.merge(customers, on="customer_id")',
      'x = m.merge(pd.read_sql_table("regions", e, schema="ref"), on="region_id")',
      'c: DataFrame = spark.table("sales.customers")',
      'y = spark.read.table("sales.orders").join(c, "customer_id")',
      'u = spark.sql("select * from a.orders union all select * from a.orders_archive")',
      'z = u.join(c, "customer_id")',
    ].join('\n');
    assert.deepEqual(joins('a.py', text), ['4: sales.orders.customer_id = sales.customers.customer_id using inner', '7: sales.orders.customer_id = sales.customers.customer_id using inner']);
  });

  it('reads nothing from a join of frames it does not know, or from code that is not PySpark', () => {
    assert.deepEqual(joins('a.py', 'import os\nparts = ",".join(names)\npath = os.path.join(a, b)\n'), []);
    assert.deepEqual(joins('b.py', 'df = spark.createDataFrame(rows)\nother = load()\nx = df.join(other, df.id == other.id)\n'), []);
    // a frame reassigned from something else is no longer of its table
    assert.deepEqual(joins('c.py', 'a = spark.table("s.a")\nb = spark.table("s.b")\na = make()\nx = a.join(b, a.id == b.a_id)\n'), []);
  });

  it('keeps what it read before an assignment whose bracket never closes at the end of the file', () => {
    const text = 'a = spark.table("s.a")\nb = spark.table("s.b")\nx = a.join(b, a.id == b.a_id)\ny = [spark.table("s.c")';
    const f = extractFile('d.py', Buffer.from(text), context);
    assert.deepEqual(f.diagnostics, []);
    assert.deepEqual(joins('d.py', text), ['3: s.a.id = s.b.a_id on inner']);
  });
});
