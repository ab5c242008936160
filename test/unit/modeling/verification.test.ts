import { strict as assert } from 'node:assert';
import { PGlite } from '@electric-sql/pglite';
import type { QueryEngine, ResultPage, StatementOutcome } from '../../../src/core/ports';
import { inferJoins } from '../../../src/core/modeling/inferJoins';
import { buildCardinalitySql } from '../../../src/core/modeling/joinSql';
import { countsFromPage, interpretCounts, verifyProposals } from '../../../src/core/modeling/verification';
import type { VerificationCounts } from '../../../src/core/modeling/types';
import { catalogFromDdl } from './devset';

const counts = (o: Partial<VerificationCounts>): VerificationCounts => ({
  fromTotal: 100, fromNulls: 0, fromDistinct: 10, toTotal: 10, toNulls: 0, toDistinct: 10,
  orphanRows: 0, orphanDistinct: 0, maxFromPerKey: 20, maxToPerKey: 1, ...o,
});

/** A QueryEngine over PGlite: enough of the port for verification. */
function pgliteEngine(db: PGlite): QueryEngine {
  const results = new Map<string, ResultPage>();
  let n = 0;
  return {
    label: 'PGlite (test)', isLocal: true,
    async execute(sql): Promise<StatementOutcome> {
      const id = `s${++n}`;
      try {
        const r = await db.query<Record<string, unknown>>(Array.isArray(sql) ? sql.join(';') : sql, [], { rowMode: 'array' });
        results.set(id, { columns: r.fields.map((f) => ({ name: f.name, typeName: String(f.dataTypeID), kind: 'integer' as const })), rows: r.rows as unknown as ResultPage['rows'] });
        return { id, status: 'FINISHED', hasResultSet: true, durationMs: 0 };
      } catch (err) {
        return { id, status: 'FAILED', error: (err as Error).message, hasResultSet: false, durationMs: 0 };
      }
    },
    async fetchPage(id) { return results.get(id)!; },
    async listSchemas() { return []; }, async listTables() { return []; }, async describeTable() { return []; },
    async dispose() {},
  };
}

describe('modeling/verification', () => {
  describe('interpretCounts (pure)', () => {
    it('full containment into a unique key = many-to-one and a score boost', () => {
      const v = interpretCounts(counts({}), { from: 'orders.customer_id', to: 'customers.id' });
      assert.equal(v.cardinality, 'many-to-one');
      assert.equal(v.containment, 1);
      assert.equal(v.targetUnique, true);
      assert.ok(v.scoreDelta > 0);
      assert.match(v.reading, /100 of 100 non-null orders\.customer_id rows \(100%\) find a match in customers\.id/);
    });

    it('orphans and nulls lower the score and are described', () => {
      const v = interpretCounts(counts({ fromNulls: 20, orphanRows: 40, orphanDistinct: 3 }));
      assert.equal(v.containment, 0.5);
      assert.equal(v.nullRate, 0.2);
      assert.ok(v.scoreDelta <= -0.25);
      assert.match(v.reading, /40 orphan rows carry 3 values/);
      assert.match(v.reading, /20 rows \(20%\) have NULL/);
    });

    it('a non-unique target gives many-to-many; unique on both sides gives one-to-one', () => {
      assert.equal(interpretCounts(counts({ toDistinct: 5, maxToPerKey: 3 })).cardinality, 'many-to-many');
      assert.equal(interpretCounts(counts({ fromTotal: 10, fromDistinct: 10, maxFromPerKey: 1 })).cardinality, 'one-to-one');
      assert.equal(interpretCounts(counts({ toDistinct: 5, maxToPerKey: 3, maxFromPerKey: 1 })).cardinality, 'one-to-many');
    });

    it('no data: no cardinality and no score change', () => {
      const v = interpretCounts(counts({ fromTotal: 0, fromDistinct: 0, maxFromPerKey: 0 }));
      assert.equal(v.cardinality, undefined);
      assert.equal(v.scoreDelta, 0);
    });

    it('reads result rows by column name, whatever the case and order, with numbers as strings', () => {
      const names = ['MAX_TO_PER_KEY', 'from_total', 'from_nulls', 'from_distinct', 'to_total', 'to_nulls', 'to_distinct', 'orphan_rows', 'orphan_distinct', 'max_from_per_key'];
      const c = countsFromPage({ columns: names.map((name) => ({ name, typeName: 'int8', kind: 'integer' })), rows: [['1', '9007199254740993', 2, 3, 4, 5, 6, 7, 8, 9]] });
      assert.equal(c.maxToPerKey, 1);
      assert.equal(c.fromTotal, 9007199254740993);
      assert.equal(c.maxFromPerKey, 9);
    });
  });

  describe('cardinality SQL on PostgreSQL (PGlite)', function () {
    this.timeout(60000);
    let db: PGlite;
    before(async () => {
      db = new PGlite();
      await db.exec(`
        CREATE TABLE customers (id int, name text);
        INSERT INTO customers VALUES (1,'a'),(2,'b'),(3,'c');
        CREATE TABLE orders (order_id int, customer_id int);
        INSERT INTO orders VALUES (10,1),(11,1),(12,1),(13,2),(14,NULL),(15,99);
        CREATE TABLE "PartSupp" ("PartKey" int, "SuppKey" int);
        INSERT INTO "PartSupp" VALUES (1,1),(1,2),(2,1);
        CREATE TABLE line (pk int, sk int);
        INSERT INTO line VALUES (1,1),(1,1),(1,2),(3,3),(NULL,1);`);
    });
    after(async () => { await db.close(); });

    it('counts totals, nulls, distincts, orphans and fan-out for a single column', async () => {
      const sql = buildCardinalitySql({ schema: 'public', table: 'orders' }, ['customer_id'], { schema: 'public', table: 'customers' }, ['id']);
      const r = await db.query(sql, [], { rowMode: 'array' });
      const c = countsFromPage({ columns: r.fields.map((f) => ({ name: f.name, typeName: '', kind: 'integer' })), rows: r.rows as never });
      assert.deepEqual(c, { fromTotal: 6, fromNulls: 1, fromDistinct: 3, toTotal: 3, toNulls: 0, toDistinct: 3, orphanRows: 1, orphanDistinct: 1, maxFromPerKey: 3, maxToPerKey: 1 });
    });

    it('works for composite keys and quoted mixed-case names', async () => {
      const sql = buildCardinalitySql({ schema: 'public', table: 'line' }, ['pk', 'sk'], { schema: 'public', table: 'PartSupp' }, ['PartKey', 'SuppKey']);
      const r = await db.query(sql, [], { rowMode: 'array' });
      const c = countsFromPage({ columns: r.fields.map((f) => ({ name: f.name, typeName: '', kind: 'integer' })), rows: r.rows as never });
      assert.deepEqual(c, { fromTotal: 5, fromNulls: 1, fromDistinct: 3, toTotal: 3, toNulls: 0, toDistinct: 3, orphanRows: 1, orphanDistinct: 1, maxFromPerKey: 2, maxToPerKey: 1 });
    });

    it('verifyProposals runs through the QueryEngine port and records measured cardinality', async () => {
      const cat = catalogFromDdl('CREATE TABLE customers (id int PRIMARY KEY, name text); CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int);', 'd.sql');
      const proposals = inferJoins(cat);
      assert.equal(proposals.length, 1);
      const { proposals: verified, errors } = await verifyProposals(pgliteEngine(db), proposals);
      assert.deepEqual(errors, []);
      const v = verified[0]!;
      assert.equal(v.cardinalitySource, 'measured');
      assert.equal(v.cardinality, 'many-to-one');
      assert.equal(v.verification?.containment, 0.8);
      assert.ok(v.score < proposals[0]!.score, 'orphans lower the score');
      assert.ok(v.evidence.some((e) => e.kind === 'data'));
    });

    it('a failing statement leaves the proposal unverified and reports the error', async () => {
      const cat = catalogFromDdl('CREATE TABLE ghosts (id int PRIMARY KEY); CREATE TABLE haunts (haunt_id int PRIMARY KEY, ghost_id int);', 'd.sql');
      const { proposals, errors } = await verifyProposals(pgliteEngine(db), inferJoins(cat));
      assert.equal(errors.length, 1);
      assert.equal(proposals[0]!.verification, undefined);
    });
  });
});
