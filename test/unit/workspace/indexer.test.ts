import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runIndexCommand } from '../../../src/cli/commands/index';
import { IndexCancelledError, WorkspaceIndexer } from '../../../src/core/workspace/indexer';
import { IncrementalCatalog } from '../../../src/core/catalog/catalog';
import { makeTree } from './helpers';

const fixture = path.join(__dirname, '../../fixtures/workspace/mini');
const workerScript = path.join(__dirname, '../../../src/core/workspace/worker.ts');

function copyFixture(): { root: string; cache: string; cleanup(): void } {
  const base = mkdtempSync(path.join(tmpdir(), 'quarry-idx-'));
  const root = path.join(base, 'ws');
  cpSync(fixture, root, { recursive: true });
  return { root, cache: path.join(base, 'cache'), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

describe('WorkspaceIndexer', function () {
  this.timeout(60_000);

  it('indexes the fixture workspace into a catalog with dbt overlays, joins, constants and a conflict', async () => {
    const ws = copyFixture();
    try {
      const ix = new WorkspaceIndexer({ root: ws.root });
      const s = await ix.indexAll();
      const keys = s.catalog.tables.map((t) => `${t.schema}.${t.name}`);
      // stg_orders is where target/manifest.json says dbt built it; the seed has no manifest entry and no +schema
      assert.deepEqual(keys, ['dbt_prod.stg_orders', 'public.status_codes', 'sales.customers', 'sales.orders']);
      const customers = s.catalog.tables.find((t) => t.name === 'customers')!;
      assert.deepEqual(customers.tests?.map((t) => t.name), ['unique', 'not_null']);
      assert.equal(customers.comment, 'One row per customer');
      const stg = s.catalog.tables.find((t) => t.name === 'stg_orders')!;
      assert.equal(stg.columns.find((c) => c.name === 'order_id')!.dataType, 'bigint', 'type filled from manifest.json');
      assert.equal(s.catalog.conflicts.length, 1);
      assert.ok(s.joins.some((j) => j.origin.file === 'app/orders.py' && j.origin.line === 12));
      assert.deepEqual(s.constants.map((c) => c.name), ['OrderStatus']);
      assert.equal(s.stats.filesByKind['dbt-model'], 1);
      assert.equal(s.stats.skipped.counts.gitignored, 1);
      assert.equal(s.facts.some((f) => f.file.startsWith('build/')), false);
      await ix.dispose();
      // a disposed indexer lets go of its index (a folder closed in the editor must not keep it in memory)
      const after = ix.snapshot();
      assert.equal(after.catalog.tables.length, 0);
      assert.equal(after.facts.length, 0);
      assert.equal(ix.factsFor('ddl/002_orders.sql'), undefined);
      await assert.rejects(ix.update(['ddl/002_orders.sql']), /closed/, 'a closed index takes no more changes');
    } finally {
      ws.cleanup();
    }
  });

  it('keeps nothing of its index alive once disposed', async () => {
    const ws = copyFixture();
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const ix = new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache });
      const catalog = new WeakRef((await ix.indexAll()).catalog);
      ix.snapshot();
      await ix.dispose();
      // finalization needs a turn of the event loop after the collection
      for (let i = 0; i < 3 && catalog.deref(); i++) {
        await new Promise((r) => setImmediate(r));
        gc();
      }
      assert.equal(catalog.deref(), undefined, 'the catalog of a disposed indexer is still reachable');
    } finally {
      ws.cleanup();
    }
  });

  it('warm start from the on-disk cache parses zero files; touched files are validated by content hash', async () => {
    const ws = copyFixture();
    try {
      const first = await new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache }).indexAll();
      assert.equal(first.stats.parsed, first.stats.files - (first.stats.filesByKind.other ?? 0));
      const second = await new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache }).indexAll();
      assert.equal(second.stats.parsed, 0);
      assert.equal(second.stats.fromCache, first.stats.parsed);
      const norm = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
      assert.deepEqual(norm(second.catalog), norm(first.catalog), "cached facts give the same catalog");
      // touch without change: mtime differs, hash matches → still nothing parsed
      const f = path.join(ws.root, 'ddl/002_orders.sql');
      utimesSync(f, new Date(), new Date(Date.now() + 5000));
      const third = await new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache }).indexAll();
      assert.equal(third.stats.parsed, 0);
      writeFileSync(f, 'CREATE TABLE sales.orders (order_id BIGINT, note TEXT);');
      const fourth = await new WorkspaceIndexer({ root: ws.root, cacheDir: ws.cache }).indexAll();
      assert.equal(fourth.stats.parsed, 1);
      assert.deepEqual(fourth.catalog.tables.find((t) => t.name === 'orders')!.columns.map((c) => c.name), ['order_id', 'note']);
    } finally {
      ws.cleanup();
    }
  });

  it('updates, removes and renames files incrementally', async () => {
    const ws = copyFixture();
    try {
      const ix = new WorkspaceIndexer({ root: ws.root });
      await ix.indexAll();
      const changes: string[][] = [];
      ix.onDidChange((c) => changes.push([...c.updated, ...c.removed.map((r) => '-' + r)]));
      writeFileSync(path.join(ws.root, 'ddl/010_new.sql'), 'CREATE TABLE sales.returns (return_id INT, order_id BIGINT);');
      const c1 = await ix.update([path.join(ws.root, 'ddl/010_new.sql')]);
      assert.deepEqual(c1, { updated: ['ddl/010_new.sql'], removed: [], parsed: 1 });
      assert.ok(ix.snapshot().catalog.tables.some((t) => t.name === 'returns'));
      cpSync(path.join(ws.root, 'ddl/010_new.sql'), path.join(ws.root, 'ddl/011_renamed.sql'));
      unlinkSync(path.join(ws.root, 'ddl/010_new.sql'));
      const c2 = await ix.rename('ddl/010_new.sql', 'ddl/011_renamed.sql');
      assert.deepEqual([c2.updated, c2.removed], [['ddl/011_renamed.sql'], ['ddl/010_new.sql']]);
      let s = ix.snapshot();
      assert.ok(s.facts.some((f) => f.file === 'ddl/011_renamed.sql'));
      assert.ok(!s.facts.some((f) => f.file === 'ddl/010_new.sql'));
      await ix.remove(['ddl']);
      s = ix.snapshot();
      assert.ok(!s.catalog.tables.some((t) => t.name === 'returns'), 'removing a folder drops its files');
      assert.equal(s.catalog.tables.find((t) => t.name === 'orders')?.kind, 'dbtSource', 'only the dbt source definition is left');
      // a deleted file reported as changed is dropped
      unlinkSync(path.join(ws.root, 'app/orders.py'));
      assert.deepEqual((await ix.update(['app/orders.py'])).removed, ['app/orders.py']);
      assert.equal(ix.snapshot().constants.length, 0);
      // a new file under a gitignored folder is not indexed
      writeFileSync(path.join(ws.root, 'build/new.sql'), 'CREATE TABLE t (a int);');
      assert.deepEqual((await ix.update(['build/new.sql'])).updated, []);
      assert.ok(!ix.snapshot().facts.some((f) => f.file === 'build/new.sql'));
      assert.equal(changes.length, 5);
      assert.ok(changes[2]!.includes('-ddl/001_customers.sql'));
      const search = await ix.searchIndex();
      assert.ok(search.search('customer_id').length > 0);
      writeFileSync(path.join(ws.root, 'app/zebra.sql'), 'SELECT stripe_id FROM zebra_stripes;');
      await ix.update(['app/zebra.sql']);
      assert.equal(search.search('zebra_stripes')[0]?.file, 'app/zebra.sql');
      await ix.dispose();
    } finally {
      ws.cleanup();
    }
  });

  it('survives bad input: empty, binary, invalid UTF-8, unterminated, a file deleted mid-index', async () => {
    const tree = makeTree({
      'empty.sql': '',
      'bin.sql': new Uint8Array([0x43, 0x00, 0x01, 0x02]),
      'latin.php': new Uint8Array([0x3c, 0x3f, 0x70, 0x68, 0x70, 0x0a, 0x24, 0x61, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x3b]),
      'open.sql': "CREATE TABLE t (a varchar(10) DEFAULT 'oops",
      'open.py': 'x = """',
      'schema.yml': 'version: 2\nmodels: [\n',
      'vanish.sql': 'CREATE TABLE v (a int);',
    });
    try {
      const ix = new WorkspaceIndexer({ root: tree.root });
      const s = await ix.indexAll({
        onProgress: (p) => {
          if (p.phase === 'extract' && p.done === 0) unlinkSync(path.join(tree.root, 'vanish.sql'));
        },
      });
      assert.equal(s.stats.skipped.counts.binary, 1);
      assert.equal(s.stats.skipped.counts.unreadable, 1);
      assert.ok(!s.facts.some((f) => f.file === 'vanish.sql'));
      assert.ok(s.diagnostics.some((d) => d.file === 'latin.php' && /UTF-8/.test(d.message)));
      assert.ok(s.diagnostics.some((d) => d.file === 'schema.yml' && d.severity === 'error'));
      assert.ok(s.diagnostics.some((d) => d.file === 'open.sql'));
    } finally {
      tree.cleanup();
    }
  });

  it('runs extraction in worker threads with the same result as in-process', async () => {
    const ws = copyFixture();
    try {
      const inProc = await new WorkspaceIndexer({ root: ws.root }).indexAll();
      const pooled = await new WorkspaceIndexer({ root: ws.root, workerScript, workers: 2, inProcessBelow: 1 }).indexAll();
      assert.equal(pooled.stats.usedWorkers, 2);
      assert.equal(pooled.stats.parsed, inProc.stats.parsed);
      assert.deepEqual(pooled.catalog, inProc.catalog);
      assert.deepEqual(pooled.joins, inProc.joins);
    } finally {
      ws.cleanup();
    }
  });

  it('builds the catalog of a first index before its last files are in, with the catalog of one built after', async () => {
    const ws = copyFixture();
    try {
      const inProc = await new WorkspaceIndexer({ root: ws.root }).indexAll();
      for (const beforeEnd of [1, 3, 6]) {
        let snapshots = 0;
        const indexer = new WorkspaceIndexer({ root: ws.root, workerScript, workers: 2, inProcessBelow: 1, catalogPrebuild: { from: 1, beforeEnd } });
        const building = IncrementalCatalog.prototype.snapshot;
        IncrementalCatalog.prototype.snapshot = function (this: IncrementalCatalog) {
          snapshots++;
          return building.call(this);
        };
        try {
          const pooled = await indexer.indexAll();
          assert.ok(pooled.stats.parsed > beforeEnd, 'files arrive after the prebuild');
          assert.ok(snapshots >= 2, `built before the end (${snapshots} snapshots)`);
          assert.deepEqual(pooled.catalog, inProc.catalog, `prebuilt ${beforeEnd} files before the end`);
        } finally {
          IncrementalCatalog.prototype.snapshot = building;
          await indexer.dispose();
        }
      }
    } finally {
      ws.cleanup();
    }
  });

  it('extracts while a first walk goes on, with the result and cache of an index that walks first', async () => {
    // nested dbt projects whose dbt_project.yml sorts after sibling files and folders: the walk order and the path
    // order of the projects differ, and `notes.yml` is dbt YAML only because of its project
    const model = (n: number): string => `select o.id, c.name from {{ ref('orders') }} o join {{ source('raw', 'customers') }} c on c.id = o.customer_id -- ${n}\n`;
    const files: Record<string, string> = {
      'ddl/001.sql': 'CREATE TABLE raw.customers (id INT PRIMARY KEY, name VARCHAR(40));\nCREATE TABLE raw.orders (id INT, customer_id INT REFERENCES raw.customers (id));',
      'app/status.py': 'from enum import IntEnum\nclass Status(IntEnum):\n    OPEN = 1\n    SHIPPED = 2\n',
      'a/aaa/notes.yml': 'version: 2\nmodels:\n  - name: m1\n    description: in project a\n',
      'a/dbt_project.yml': "name: proj_a\nmodel-paths: ['aaa']\n",
      'a/b/dbt_project.yml': "name: proj_b\nmodel-paths: ['models']\n",
      'a/b/models/orders.sql': 'select 1 as id',
      'a/b/models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    };
    for (let i = 0; i < 40; i++) files[`a/aaa/m${i}.sql`] = model(i);
    const tree = makeTree(files);
    const cache = mkdtempSync(path.join(tmpdir(), 'quarry-idx-cache-'));
    try {
      const first = new WorkspaceIndexer({ root: tree.root });
      const walkFirst = await first.indexAll();
      const streamed = new WorkspaceIndexer({ root: tree.root, cacheDir: cache, workerScript, workers: 2, inProcessBelow: 5 });
      const extractProgress: number[] = [];
      const s = await streamed.indexAll({ onProgress: (p) => void (p.phase === 'extract' && extractProgress.push(p.total)) });
      assert.equal(s.stats.usedWorkers, 2);
      assert.deepEqual(new Set(extractProgress), new Set([s.stats.parsed]), 'progress only ever reports the final total');
      assert.equal(s.stats.filesByKind['dbt-yaml'], 2);
      assert.equal(s.stats.filesByKind['dbt-model'], 41);
      const norm = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
      assert.deepEqual(norm(s.catalog), norm(walkFirst.catalog));
      assert.deepEqual(norm(s.facts), norm(walkFirst.facts));
      assert.deepEqual(streamed.dbtProjects.map((p) => p.root), ['a/b', 'a'], 'projects in the path order of their dbt_project.yml');
      assert.deepEqual(streamed.dbtProjects, first.dbtProjects);
      await streamed.dispose();
      // the cache it wrote serves a later start whole: same fingerprint (dbt layout in path order) as a walk-first start
      const warm = await new WorkspaceIndexer({ root: tree.root, cacheDir: cache, workerScript, workers: 2, inProcessBelow: 5 }).indexAll();
      assert.equal(warm.stats.parsed, 0);
      assert.deepEqual(norm(warm.catalog), norm(walkFirst.catalog));
    } finally {
      tree.cleanup();
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('stops on cancellation and keeps the previous state', async () => {
    const ws = copyFixture();
    try {
      const ix = new WorkspaceIndexer({ root: ws.root });
      const before = await ix.indexAll();
      const signal = { aborted: false };
      await assert.rejects(
        ix.indexAll({ signal, onProgress: (p) => { if (p.phase === 'extract') signal.aborted = true; } }),
        IndexCancelledError,
      );
      assert.equal(ix.snapshot().catalog.tables.length, before.catalog.tables.length);
    } finally {
      ws.cleanup();
    }
  });
});

describe('quarry index', () => {
  it('prints a JSON summary and returns 0; bad arguments return 2', async () => {
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
    const code = await runIndexCommand([fixture, '--format', 'json'], io);
    assert.equal(code, 0, err);
    const summary = JSON.parse(out);
    assert.equal(summary.tables, 4);
    assert.equal(summary.conflicts.length, 1);
    assert.equal(summary.filesByKind['dbt-yaml'], 2);
    assert.equal(typeof summary.milliseconds, 'number');
    assert.equal(await runIndexCommand(['--format', 'xml', fixture], io), 2);
    assert.equal(await runIndexCommand([], io), 2);
    out = '';
    assert.equal(await runIndexCommand([fixture], io), 0);
    assert.match(out, /Catalog: 4 tables/);
  });

  it('extracts a large changed file in a worker of its own, with the result the caller thread would give', async () => {
    const tree = makeTree({ 'ddl/a.sql': 'CREATE TABLE a (id int);', 'ddl/big.sql': 'CREATE TABLE big (id int);' });
    const indexer = new WorkspaceIndexer({ root: tree.root, workerScript, updateInWorkerFrom: 2000 });
    try {
      await indexer.indexAll();
      const columns = Array.from({ length: 200 }, (_, i) => `c${i} varchar(20)`).join(',\n  ');
      tree.write('ddl/big.sql', `CREATE TABLE big (id int PRIMARY KEY,\n  ${columns});\nSELECT * FROM big b JOIN a ON a.id = b.id;`);
      tree.write('ddl/a.sql', 'CREATE TABLE a (id int, name text);');
      const change = await indexer.update([path.join(tree.root, 'ddl/big.sql'), path.join(tree.root, 'ddl/a.sql')]);
      assert.deepEqual(change.inWorker, ['ddl/big.sql'], 'only the file past the threshold');
      const snap = indexer.snapshot();
      assert.equal(snap.catalog.tables.find((t) => t.name === 'big')?.columns.length, 201);
      assert.equal(snap.catalog.tables.find((t) => t.name === 'a')?.columns.length, 2);
      assert.equal(snap.joins.length, 1);
      const inProcess = new WorkspaceIndexer({ root: tree.root });
      try {
        assert.deepEqual(snap.catalog, (await inProcess.indexAll()).catalog);
      } finally {
        await inProcess.dispose();
      }
    } finally {
      await indexer.dispose();
      tree.cleanup();
    }
  });

  it('extracts a large changed file here when its worker cannot start, and loses none of its tables', async () => {
    const tree = makeTree({ 'ddl/big.sql': 'CREATE TABLE big (id int);' });
    const indexer = new WorkspaceIndexer({ root: tree.root, workerScript: path.join(tree.root, 'no-such-worker.js'), updateInWorkerFrom: 10 });
    try {
      await indexer.indexAll();
      tree.write('ddl/big.sql', 'CREATE TABLE big (id int, name text);');
      const change = await indexer.update([path.join(tree.root, 'ddl/big.sql')]);
      assert.deepEqual(change.inWorker, ['ddl/big.sql']);
      assert.equal(indexer.snapshot().catalog.tables.find((t) => t.name === 'big')?.columns.length, 2);
    } finally {
      await indexer.dispose();
      tree.cleanup();
    }
  });
});
