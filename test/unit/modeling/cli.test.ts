import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseMermaid } from './mermaidParse';
import { runErdCommand } from '../../../src/cli/commands/erd';
import { runJoinsCommand, type JoinsEngineSpec } from '../../../src/cli/commands/joins';
import type { QueryEngine } from '../../../src/core/ports';

function capture() {
  const io = { outText: '', errText: '', out(s: string) { io.outText += s; }, err(s: string) { io.errText += s; } };
  return io;
}

describe('quarry joins / quarry erd', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-joins-'));
    mkdirSync(path.join(dir, 'ddl'));
    mkdirSync(path.join(dir, 'reports'));
    writeFileSync(path.join(dir, 'ddl', 'schema.sql'), `CREATE TABLE skuinfo (sku_id int PRIMARY KEY, color varchar(20));
CREATE TABLE orderinfo (order_id int PRIMARY KEY, product_id int, customer_id int);
CREATE TABLE customers (customer_id int PRIMARY KEY);
`);
    writeFileSync(path.join(dir, 'reports', 'sales.sql'), `SELECT o.order_id, s.color
FROM orderinfo o
JOIN skuinfo s ON s.sku_id = o.product_id;
`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON a proposal at a time, as JSON.stringify would lay it out, and keeps the best N with --top', async () => {
    const chunks: string[] = [];
    const io = { ...capture(), out: (s: string) => void chunks.push(s) };
    assert.equal(await runJoinsCommand([dir, '--format', 'json'], io), 0);
    const text = chunks.join('');
    const all = JSON.parse(text) as { joins: Array<{ from: string; score: number }> };
    assert.ok(all.joins.length >= 2);
    assert.equal(text, `${JSON.stringify(all, null, 2)}\n`);
    assert.ok(chunks.length > all.joins.length, 'not one string holding every proposal');
    const top = capture();
    assert.equal(await runJoinsCommand([dir, '--top', '1'], top), 0);
    assert.deepEqual((JSON.parse(top.outText) as typeof all).joins.map((j) => j.from), [all.joins[0]!.from]);
    const bad = capture();
    assert.equal(await runJoinsCommand([dir, '--top', '0'], bad), 2);
    assert.match(bad.errText, /--top must be a positive whole number/);
  });

  it('prints joins as JSON with evidence file:line from an indexed folder', async () => {
    const io = capture();
    assert.equal(await runJoinsCommand([dir, '--format', 'json'], io), 0, io.errText);
    const out = JSON.parse(io.outText) as { joins: Array<{ from: string; to: string; cardinality: string; score: number; evidence: Array<{ kind: string; file?: string; line?: number }> }> };
    const trap = out.joins.find((j) => j.from === 'public.orderinfo.product_id');
    assert.ok(trap, io.outText);
    assert.equal(trap.to, 'public.skuinfo.sku_id');
    assert.equal(trap.cardinality, 'many-to-one');
    const q = trap.evidence.find((e) => e.kind === 'query-join')!;
    assert.equal(q.file, 'reports/sales.sql');
    assert.equal(q.line, 3);
    assert.ok(out.joins.some((j) => j.from === 'public.orderinfo.customer_id' && j.to === 'public.customers.customer_id'));
  });

  it('--verify uses the injected engine factory and reports measured cardinality', async () => {
    const specs: JoinsEngineSpec[] = [];
    let disposed = 0;
    const engine: QueryEngine = {
      label: 'fake', isLocal: true,
      async execute() { return { id: 'x', status: 'FINISHED', hasResultSet: true, durationMs: 1 }; },
      async fetchPage() {
        const names = ['from_total', 'from_nulls', 'from_distinct', 'to_total', 'to_nulls', 'to_distinct', 'orphan_rows', 'orphan_distinct', 'max_from_per_key', 'max_to_per_key'];
        return { columns: names.map((name) => ({ name, typeName: 'int8', kind: 'integer' as const })), rows: [['10', '0', '4', '4', '0', '4', '0', '0', '5', '1']] };
      },
      async listSchemas() { return []; }, async listTables() { return []; }, async describeTable() { return []; },
      async dispose() { disposed++; },
    };
    const io = capture();
    const code = await runJoinsCommand([path.join(dir, 'ddl'), '--verify', '--embedded', 'seeds'], io, { engineFactory: (s) => { specs.push(s); return engine; }, cwd: dir });
    assert.equal(code, 0, io.errText);
    assert.deepEqual(specs, [{ kind: 'embedded', dir: path.join(dir, 'seeds') }]);
    assert.equal(disposed, 1);
    const out = JSON.parse(io.outText) as { joins: Array<{ cardinalitySource: string; verification?: { containment: number } }> };
    assert.ok(out.joins.length > 0);
    for (const j of out.joins) {
      assert.equal(j.cardinalitySource, 'measured');
      assert.equal(j.verification?.containment, 1);
    }
  });

  it('--verify without an engine factory is a usage error; unknown options too', async () => {
    const io = capture();
    assert.equal(await runJoinsCommand([dir, '--verify'], io), 2);
    assert.match(io.errText, /needs a query engine/);
    assert.equal(await runJoinsCommand([dir, '--bogus'], capture()), 2);
    assert.equal(await runJoinsCommand([], capture()), 2);
  });

  it('erd prints Mermaid for a file, honours --tables/--depth, and refuses svg', async () => {
    const io = capture();
    assert.equal(await runErdCommand([dir, '--tables', 'orderinfo', '--depth', '1', '--columns', 'all', '--format', 'mermaid'], io), 0, io.errText);
    await parseMermaid(io.outText);
    assert.match(io.outText, /skuinfo \|o\.\.o\{ orderinfo : "product_id/);
    const svg = capture();
    assert.equal(await runErdCommand([dir, '--format', 'svg'], svg), 2);
    assert.match(svg.errText, /not yet available in the CLI, use --format mermaid/);
    const bad = capture();
    assert.equal(await runErdCommand([dir, '--tables', 'nope'], bad), 2);
    assert.match(bad.errText, /unknown table/);
    for (const score of ['abc', '1.5', '-0.1']) {
      const out = capture();
      assert.equal(await runErdCommand([dir, '--min-score', score], out), 2, score);
      assert.match(out.errText, /--min-score must be between 0 and 1/);
    }
  });
});
