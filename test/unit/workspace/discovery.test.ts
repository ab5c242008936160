import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../../src/core/workspace/discovery';
import { PathFilter } from '../../../src/core/workspace/pathFilter';
import { makeTree } from './helpers';

describe('discoverFiles', () => {
  const tree = makeTree({
    '.gitignore': 'build/\n*.log\n!keep.log\n',
    'a.sql': 'select 1',
    'x.log': 'log',
    'keep.log': 'keep',
    'build/out.sql': 'x',
    'node_modules/pkg/index.js': 'x',
    'sub/.gitignore': 'secret.sql\n',
    'sub/secret.sql': 'x',
    'sub/ok.sql': 'x',
    'other/secret.sql': 'visible: the nested rule only applies under sub/',
    'gen/skip.sql': 'x',
    'big.sql': 'x'.repeat(2000),
    'dbt/dbt_project.yml': 'name: d',
    'dbt/.gitignore': 'target/\n',
    'dbt/target/manifest.json': '{}',
    'dbt/target/run_results.json': '{}',
  });
  after(() => tree.cleanup());
  const outside = makeTree({ 'leak.sql': 'x' });
  after(() => outside.cleanup());
  before(() => {
    symlinkSync(path.join(outside.root, 'leak.sql'), path.join(tree.root, 'link_out.sql'));
    symlinkSync(path.join(tree.root, 'a.sql'), path.join(tree.root, 'link_in.sql'));
    symlinkSync(outside.root, path.join(tree.root, 'dir_out'));
  });

  for (const syncIo of [false, true]) {
    it(`honours nested .gitignore files, excludes, size limits and keeps dbt artifacts (${syncIo ? 'blocking' : 'asynchronous'} I/O)`, async () => {
      const r = await discoverFiles(tree.root, { exclude: ['gen/**'], maxFileSize: 1000, syncIo });
      const paths = r.files.map((f) => f.path);
      assert.deepEqual(paths, [
        '.gitignore',
        'a.sql',
        'dbt/.gitignore',
        'dbt/dbt_project.yml',
        'dbt/target/manifest.json',
        'keep.log',
        'link_in.sql',
        'other/secret.sql',
        'sub/.gitignore',
        'sub/ok.sql',
      ]);
      assert.equal(r.skipped.counts.tooLarge, 1);
      assert.equal(r.skipped.counts.symlinkOutside, 2);
      assert.ok((r.skipped.counts.gitignored ?? 0) >= 3);
      assert.ok(r.skipped.examples.excluded?.includes('node_modules'));
      assert.ok(r.files.every((f) => f.size >= 0 && f.mtimeMs > 0));
    });

    it(`keeps only included globs when given (${syncIo ? 'blocking' : 'asynchronous'} I/O)`, async () => {
      const r = await discoverFiles(tree.root, { include: ['**/*.sql'], syncIo });
      assert.deepEqual(r.files.map((f) => f.path), ['a.sql', 'big.sql', 'gen/skip.sql', 'link_in.sql', 'other/secret.sql', 'sub/ok.sql']);
    });
  }

  for (const syncIo of [false, true]) {
    it(`streams each folder's files before those of its subfolders (${syncIo ? 'blocking' : 'asynchronous'} I/O)`, async () => {
      const chunks: string[][] = [];
      const r = await discoverFiles(tree.root, { exclude: ['gen/**'], maxFileSize: 1000, syncIo, onFiles: (files) => chunks.push(files.map((f) => f.path)) });
      // the same files as the result, once each; only the order differs
      assert.deepEqual(chunks.flat().sort(), r.files.map((f) => f.path));
      const folderOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
      // one folder per call (with the dbt artifacts a gitignored target/ keeps, found with their project)
      for (const chunk of chunks) {
        const dir = folderOf(chunk[0]!);
        assert.ok(chunk.every((p) => folderOf(p) === dir || /\/target\/(manifest|catalog)\.json$/.test(p)), chunk.join(', '));
      }
      // every folder arrives after each folder above it (a dbt_project.yml before the project's files)
      const order = chunks.map((c) => folderOf(c[0]!));
      for (const [i, dir] of order.entries()) {
        for (const [j, other] of order.entries()) if (other !== '' && dir.startsWith(other + '/')) assert.ok(j < i, `${other} streamed after ${dir}`);
        if (dir !== '') assert.ok(order.indexOf('') < i, 'the root folder comes first');
      }
      assert.ok(chunks.flat().indexOf('dbt/dbt_project.yml') < chunks.flat().indexOf('dbt/target/manifest.json'));
    });
  }

  it('finds the same files, sizes, times and skips with blocking and asynchronous I/O', async () => {
    const options = { exclude: ['gen/**'], maxFileSize: 1000 };
    assert.deepEqual(await discoverFiles(tree.root, { ...options, syncIo: true }), await discoverFiles(tree.root, options));
  });

  it('applies the same rules to single paths for incremental updates', () => {
    const f = new PathFilter(tree.root, { exclude: ['gen/**'] });
    assert.equal(f.reasonToSkip('sub/secret.sql'), 'gitignored');
    assert.equal(f.reasonToSkip('build/new.sql'), 'gitignored');
    assert.equal(f.reasonToSkip('gen/x.sql'), 'excluded');
    assert.equal(f.reasonToSkip('node_modules/a/b.js'), 'excluded');
    assert.equal(f.reasonToSkip('other/secret.sql'), undefined);
    assert.equal(f.reasonToSkip('dbt/target/manifest.json'), undefined);
  });
});
