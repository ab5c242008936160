import assert from 'node:assert/strict';
import { EMPTY_CONTEXT } from '../../../src/core/workspace/classify';
import { contentHash } from '../../../src/core/workspace/factsCache';
import { runFileTask } from '../../../src/core/workspace/fileTask';
import type { FileResult } from '../../../src/core/workspace/workerProtocol';
import { makeTree } from './helpers';

describe('runFileTask (blocking reads into a reused buffer)', () => {
  const ddl = (name: string, pad: number): string => `CREATE TABLE ${name} (id INT);\n-- ${'x'.repeat(pad)}\n`;
  const files = { 'empty.sql': '', 'small.sql': ddl('small', 10), 'big.sql': ddl('big', 3 << 20), 'after.sql': ddl('after', 100), 'grew.sql': ddl('grew', 5000) };
  const tree = makeTree(files);
  after(() => tree.cleanup());

  const run = (path: string, size?: number): FileResult => runFileTask(tree.root, { path, kind: 'sql', size }, EMPTY_CONTEXT);
  const hashOf = (r: FileResult): string => (r.outcome === 'packed' || r.outcome === 'extracted' || r.outcome === 'unchanged' ? r.hash : '');

  it('reads each file whole, whatever the size hint says, and leaves nothing of one file in the next', () => {
    // a file larger than the buffer, then smaller ones (the buffer then holds the big file's bytes past their end)
    for (const [path, size] of [['big.sql', 10], ['small.sql', undefined], ['after.sql', 3], ['grew.sql', 100], ['empty.sql', 0]] as const) {
      const r = run(path, size);
      assert.equal(hashOf(r), contentHash(Buffer.from(files[path])), path);
    }
    const after = run('after.sql') as Extract<FileResult, { outcome: 'extracted' }>;
    assert.deepEqual(after.facts.ddl.map((op) => (op.op === 'createTable' ? op.table.name : op.op)), ['after']);
  });

  it('reports a file gone since the walk as unreadable', () => {
    assert.equal(run('vanished.sql', 10).outcome, 'unreadable');
  });
});
