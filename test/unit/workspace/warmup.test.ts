import assert from 'node:assert/strict';
import { classifyFile } from '../../../src/core/workspace/classify';
import { extractFile } from '../../../src/core/workspace/extractFile';
import type { FileFacts } from '../../../src/core/workspace/facts';
import { PRIMING_CONTEXT, PRIMING_FILES, primeExtractors, workerPrimer } from '../../../src/core/workspace/warmup';

describe('primeExtractors (the index workers\' warm-up corpus)', () => {
  const facts = new Map<string, FileFacts>(PRIMING_FILES.map(([file, kind, text]) => [file, extractFile(file, Buffer.from(text), PRIMING_CONTEXT, kind)]));
  const of = (file: string): FileFacts => facts.get(file)!;

  it('names each file with the kind the index would give it', () => {
    for (const [file, kind] of PRIMING_FILES) assert.equal(classifyFile(file, PRIMING_CONTEXT), kind, file);
  });

  it('takes every extractor through real work, not just its entry', () => {
    const ddl = of('ddl/tables.sql');
    const ops = new Set(ddl.ddl.map((o) => o.op));
    for (const op of ['createTable', 'addConstraint', 'dropConstraint', 'addColumn', 'renameTable', 'renameColumn', 'alterColumn', 'alterTable', 'comment', 'drop']) assert.ok(ops.has(op as never), `DDL op ${op}`);
    assert.ok(ddl.ddl.some((o) => o.op === 'createTable' && o.table.kind === 'view'), 'a view');
    assert.ok(ddl.ddl.some((o) => o.op === 'createTable' && o.table.kind === 'externalTable'), 'an external table');
    assert.ok(ddl.diagnostics.some((d) => d.severity === 'error'), 'the broken statement is reported');
    assert.ok(of('queries/report.sql').joins.length >= 4);
    const model = of('warm/models/marts/fct_orders.sql');
    assert.deepEqual(model.tableRefs.map((r) => r.dbtRef?.kind).sort(), ['ref', 'ref', 'source']);
    const yaml = of('warm/models/marts/schema.yml');
    assert.ok(yaml.ddl.some((o) => o.op === 'createTable' && (o.table.tests?.length ?? 0) >= 5), 'model tests');
    assert.ok(yaml.ddl.some((o) => o.op === 'createTable' && o.table.dbt?.resourceType === 'source'), 'a source');
    assert.ok(of('warm/seeds/status_codes.csv').ddl.length === 1);
    assert.deepEqual(of('app/OrderStatus.php').entities?.map((e) => `${e.name} ${e.table.name}.${e.idColumn}`), ['Order orders.order_id', 'Shipment shipments.shipment_id'], 'Eloquent and Doctrine');
    assert.ok(of('app/status.py').joins.filter((j) => j.via === 'query-builder').length >= 3, 'SQLAlchemy joins');
    assert.ok((of('app/Order.kt').entities?.length ?? 0) >= 2, 'JPA in Kotlin and Exposed');
    assert.ok(of('app/store.go').entities?.some((e) => e.table.name === 'orders'), 'GORM');
    assert.ok(of('app/Shop.cs').entities?.some((e) => e.configured), 'the EF fluent API');
    for (const code of ['app/OrderStatus.php', 'app/status.py', 'app/carriers.ts', 'app/ShipmentState.java', 'app/order.rb', 'app/Order.kt', 'app/store.go', 'app/Shop.cs']) {
      assert.ok(of(code).constants.length >= 2, `constants in ${code}`);
      assert.ok(of(code).joins.length >= 1, `a SQL literal with a join in ${code}`);
    }
  });

  it("primes a worker's rarer languages only once a batch brings one of their files", () => {
    const prime = workerPrimer();
    const first = prime([{ kind: 'sql' }]);
    assert.ok(first.includes('sql') && first.includes('php') && first.includes('python'), first.join());
    for (const rare of ['kotlin', 'go', 'csharp'] as const) assert.ok(!first.includes(rare), rare);
    assert.deepEqual(prime([{ kind: 'kotlin' }, { kind: 'sql' }, { kind: 'kotlin' }]), ['kotlin']);
    assert.deepEqual(prime([{ kind: 'kotlin' }, { kind: 'csharp' }]), ['csharp']);
    assert.deepEqual(prime([{ kind: 'csharp' }, { kind: 'go' }, { kind: 'php' }]), ['go']);
  });

  it('runs without throwing and leaves nothing behind', () => {
    primeExtractors();
    primeExtractors();
  });
});
