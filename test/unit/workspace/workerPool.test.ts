import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isTransientFailure, TaskQueues, WorkerPoolExtractor } from '../../../src/core/workspace/workerPool';
import type { FileResult, FileTask } from '../../../src/core/workspace/workerProtocol';

const workerScript = path.join(__dirname, '../../../src/core/workspace/worker.ts');
const faultyWorker = path.join(__dirname, 'faultyIndexWorker.ts');

function workspace(names: string[]): { root: string; tasks: FileTask[]; cleanup(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'quarry-pool-'));
  for (const [i, name] of names.entries()) writeFileSync(path.join(root, name), `create table t${i} (id int primary key);\n`);
  return { root, tasks: names.map((p) => ({ path: p, kind: 'sql' as const })), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

async function runAll(pool: WorkerPoolExtractor, root: string, tasks: FileTask[]): Promise<Map<string, FileResult>> {
  const results = new Map<string, FileResult>();
  await pool.run(root, tasks, (r) => {
    assert.ok(!results.has(r.path), `${r.path} answered twice`);
    results.set(r.path, r);
  });
  return results;
}

describe('WorkerPoolExtractor', function () {
  this.timeout(60_000);

  it('extracts every file once, as packed facts, and discovers files in a worker', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `f${String(i).padStart(3, '0')}.sql`);
    const ws = workspace(names);
    const pool = new WorkerPoolExtractor(workerScript, 2);
    try {
      const found = await pool.discover(ws.root, {});
      assert.deepEqual(found.files.map((f) => f.path), names);
      const results = await runAll(pool, ws.root, ws.tasks);
      assert.equal(results.size, names.length);
      for (const r of results.values()) assert.equal(r.outcome, 'packed');
      const one = results.get('f042.sql') as Extract<FileResult, { outcome: 'packed' }>;
      assert.match(String(one.packed.ddl), /"name":"t42"/);
    } finally {
      await pool.dispose();
      ws.cleanup();
    }
  });

  it('streams a discovery to a caller that hands files to the other worker while the walk goes on', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `d${i % 3}/f${String(i).padStart(3, '0')}.sql`);
    const root = mkdtempSync(path.join(tmpdir(), 'quarry-pool-'));
    for (const [i, name] of names.entries()) {
      mkdirSync(path.join(root, path.dirname(name)), { recursive: true });
      writeFileSync(path.join(root, name), `create table t${i} (id int primary key);\n`);
    }
    const pool = new WorkerPoolExtractor(workerScript, 2);
    try {
      const results = new Map<string, FileResult>();
      const run = pool.start(root, (r) => {
        assert.ok(!results.has(r.path), `${r.path} answered twice`);
        results.set(r.path, r);
      });
      const streamed: string[] = [];
      const found = await pool.discover(root, {}, (files) => {
        for (const f of files) streamed.push(f.path);
        run.add(files.map((f) => ({ path: f.path, kind: 'sql' as const, size: f.size })));
      });
      assert.deepEqual(found.files.map((f) => f.path), [...names].sort(), 'the result holds every file, sorted');
      assert.deepEqual([...streamed].sort(), [...names].sort(), 'each file streamed once');
      run.close();
      await run.done;
      assert.equal(results.size, names.length);
      for (const r of results.values()) assert.equal(r.outcome, 'packed');
      assert.throws(() => run.add([{ path: 'late.sql', kind: 'sql' }]), /closed/);
    } finally {
      await pool.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ends a cancelled run that has nothing in flight when it is closed', async () => {
    const ws = workspace(['a.sql', 'b.sql']);
    const pool = new WorkerPoolExtractor(workerScript, 1);
    try {
      let stop = false;
      const seen: string[] = [];
      const run = pool.start(ws.root, (r) => seen.push(r.path), () => stop);
      run.add(ws.tasks.slice(0, 1));
      await new Promise<void>((resolve) => {
        const wait = (): void => void (seen.length ? resolve() : setTimeout(wait, 5));
        wait();
      });
      stop = true;
      run.add(ws.tasks.slice(1)); // queued, never handed out
      run.close();
      await run.done;
      assert.deepEqual(seen, ['a.sql']);
    } finally {
      await pool.dispose();
      ws.cleanup();
    }
  });

  it('fails only the file a worker crashed or hung on, and finishes the rest on fresh workers', async () => {
    const names = ['a1.sql', 'a2.sql', 'crash.sql', 'a3.sql', 'a4.sql', 'hang.sql', 'a5.sql', 'a6.sql'];
    const ws = workspace(names);
    const pool = new WorkerPoolExtractor(faultyWorker, 2, 3_000);
    try {
      const results = await runAll(pool, ws.root, ws.tasks);
      assert.deepEqual([...results.keys()].sort(), [...names].sort(), 'one result per file');
      const failed = (name: string): string => {
        const r = results.get(name)!;
        assert.equal(r.outcome, 'extracted', name);
        const facts = (r as Extract<FileResult, { outcome: 'extracted' }>).facts;
        assert.ok(isTransientFailure(facts), `${name} is a transient failure`);
        return facts.diagnostics[0]!.message;
      };
      assert.match(failed('crash.sql'), /exited with code 3/);
      assert.match(failed('hang.sql'), /timed out/);
      for (const n of names.filter((x) => x.startsWith('a'))) assert.equal(results.get(n)!.outcome, 'packed', n);
    } finally {
      await pool.dispose();
      ws.cleanup();
    }
  });

  it('retries a batch that hung file by file, so only the hanging file fails', async () => {
    const names = ['b1.sql', 'hang.sql', 'b2.sql'];
    const ws = workspace(names);
    const pool = new WorkerPoolExtractor(faultyWorker, 1, 1_500);
    try {
      const results = await runAll(pool, ws.root, ws.tasks);
      assert.deepEqual([...results.keys()].sort(), [...names].sort());
      assert.equal(results.get('b1.sql')!.outcome, 'packed');
      assert.equal(results.get('b2.sql')!.outcome, 'packed');
      const hang = results.get('hang.sql') as Extract<FileResult, { outcome: 'extracted' }>;
      assert.ok(isTransientFailure(hang.facts));
      assert.match(hang.facts.diagnostics[0]!.message, /timed out/);
    } finally {
      await pool.dispose();
      ws.cleanup();
    }
  });
});

describe('TaskQueues (kind affinity, batches by bytes)', () => {
  const task = (p: string, kind: FileTask['kind'], size: number): FileTask => ({ path: p, kind, size });

  it('keeps a worker on its group, sends an idle one to the largest group nobody is on, and sizes batches by bytes', () => {
    const q = new TaskQueues([
      task('m1.sql', 'dbt-model', 100),
      task('a.php', 'php', 100),
      task('s1.sql', 'sql', 100),
      task('s2.sql', 'sql', 300),
      task('s3.sql', 'sql', 100),
      task('b.py', 'python', 100),
      task('x.yml', 'dbt-yaml', 100),
    ]);
    const first = q.take(undefined, [], 10, 250);
    assert.equal(first.group, 'sql');
    assert.deepEqual(first.tasks.map((t) => t.path), ['m1.sql', 's1.sql'], 'stops before exceeding the byte budget');
    const second = q.take(undefined, ['sql'], 10, 1000);
    assert.equal(second.group, 'code', 'the largest group no other worker is on');
    assert.deepEqual(q.take('sql', ['code'], 10, 10).tasks.map((t) => t.path), ['s2.sql'], 'a file larger than the budget still goes alone');
    q.putBack([task('s2.sql', 'sql', 300)]);
    assert.deepEqual(q.take('sql', [], 10, 1000).tasks.map((t) => t.path), ['s2.sql', 's3.sql'], 'put-back work comes first');
    assert.equal(q.take('sql', ['code'], 10, 1000).group, 'data', 'an exhausted group moves the worker on');
    assert.equal(q.size, 0);
    assert.deepEqual(q.take('sql', [], 10, 1000).tasks, []);
  });
});
