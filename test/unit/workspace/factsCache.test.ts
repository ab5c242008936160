import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DeferredFacts, FactsCache } from '../../../src/core/workspace/factsCache';
import { emptyFacts, type FileFacts } from '../../../src/core/workspace/facts';

function facts(file: string, n: number): FileFacts {
  const f = emptyFacts(file, 'sql');
  const origin = { kind: 'ddl' as const, file, line: n };
  f.ddl = [{ op: 'createTable', table: { schema: 's', name: `t${n}`, kind: 'table', columns: [{ name: 'id', origin }], constraints: [], origin } }];
  return f;
}

describe('FactsCache (append-only log)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'quarry-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (): string => path.join(dir, readdirSync(dir).find((f) => f.startsWith('index-cache'))!);

  it('round-trips entries, appends incremental saves instead of rewriting, and honours deletes', async () => {
    const a = await FactsCache.load(dir, 'fp');
    for (let i = 0; i < 100; i++) a.set(`f${i}.sql`, i, 1000 + i, `h${i}`, facts(`f${i}.sql`, i));
    await a.save();
    const full = statSync(file()).size;
    a.set('f3.sql', 3, 2000, 'h3b', facts('f3.sql', 333));
    a.delete('f4.sql');
    await a.save();
    const grown = statSync(file()).size;
    assert.ok(grown > full && grown - full < full / 10, `appended ${grown - full} bytes to ${full}`);
    const b = await FactsCache.load(dir, 'fp');
    assert.equal(b.size, 99);
    assert.equal(b.byStat('f3.sql', 3, 2000)!.ddl.length, 1);
    assert.equal((b.byStat('f3.sql', 3, 2000)!.ddl[0] as { table: { name: string } }).table.name, 't333');
    assert.equal(b.byStat('f4.sql', 4, 1004), undefined);
    const byHash = b.byHash('f5.sql', 'h5', 5, 9999);
    assert.ok(byHash instanceof DeferredFacts, 'a hash hit stays serialized until read');
    assert.deepEqual(byHash.load(), facts('f5.sql', 5));
    // facts are stored as JSON: equal values come back (object identity is not kept)
    const t = (b.byStat('f7.sql', 7, 1007)!.ddl[0] as { table: { origin: object; columns: Array<{ origin: object }> } }).table;
    assert.deepEqual(t.columns[0]!.origin, t.origin);
    assert.equal((await FactsCache.load(dir, 'other')).size, 0, 'another fingerprint ignores the file');
  });

  it('writes records larger than its 4 MB chunks and many records across chunks, as they came', async () => {
    const a = await FactsCache.load(dir, 'fp');
    const big = facts('big.sql', 1);
    const columns = (big.ddl[0] as { table: { columns: Array<{ name: string; comment?: string; origin: object }> } }).table.columns;
    // ~6 MB of DDL text in one record, with multi-byte characters (the frame length is in bytes)
    for (let i = 0; i < 20_000; i++) columns.push({ name: `c${i}`, comment: `état ${'x'.repeat(280)} ✓`, origin: { kind: 'ddl', file: 'big.sql', line: i } });
    a.set('big.sql', 1, 1, 'hb', big);
    for (let i = 0; i < 3000; i++) a.set(`f${i}.sql`, i, i, `h${i}`, facts(`f${i}.sql`, i));
    await a.save();
    assert.ok(statSync(file()).size > 6e6);
    const b = await FactsCache.load(dir, 'fp');
    assert.equal(b.size, 3001);
    assert.deepEqual(b.byStat('big.sql', 1, 1), big);
    assert.deepEqual(b.byStat('f2999.sql', 2999, 2999), facts('f2999.sql', 2999));
    // an append (not a rewrite) goes through the same writer
    const late = structuredClone(big);
    late.file = 'late.sql';
    for (const c of (late.ddl[0] as { table: { columns: Array<{ origin: { file: string } }> } }).table.columns) c.origin.file = 'late.sql';
    a.set('late.sql', 1, 1, 'hl', late);
    await a.save();
    assert.deepEqual((await FactsCache.load(dir, 'fp')).byStat('late.sql', 1, 1), late);
  });

  it('survives a torn tail: keeps the complete records, and the next save rewrites the file', async () => {
    const a = await FactsCache.load(dir, 'fp');
    for (let i = 0; i < 10; i++) a.set(`f${i}.sql`, i, i, `h${i}`, facts(`f${i}.sql`, i));
    await a.save();
    a.set('late.sql', 1, 1, 'hl', facts('late.sql', 99));
    await a.save();
    truncateSync(file(), statSync(file()).size - 5);
    const b = await FactsCache.load(dir, 'fp');
    assert.equal(b.size, 10);
    assert.equal(b.byStat('late.sql', 1, 1), undefined);
    b.set('again.sql', 2, 2, 'ha', facts('again.sql', 5));
    await b.save();
    const c = await FactsCache.load(dir, 'fp');
    assert.equal(c.size, 11);
    assert.ok(c.byStat('again.sql', 2, 2));
  });

  it('stores a file path once per record, restores it in every origin, and leaves the live facts untouched', async () => {
    const name = 'models/very/long/path/to/the_model_file_with_a_long_name.sql';
    const f = facts(name, 1);
    const table = (f.ddl[0] as { table: { columns: Array<{ name: string; origin: object }> } }).table;
    for (let i = 0; i < 50; i++) table.columns.push({ name: `c${i}`, origin: { kind: 'ddl', file: name, line: i + 2 } });
    f.ddl.push({ op: 'dropColumn', table: { name: 't1' }, column: 'c0', origin: { kind: 'ddl', file: 'other/file.sql', line: 3 } });
    f.tableRefs = [{ name: 'x', origin: { kind: 'query', file: name, line: 9 } }];
    f.diagnostics = [{ severity: 'warning', message: 'w', file: name, line: 1, column: 1 }];
    const expected = structuredClone(f);
    const a = await FactsCache.load(dir, 'fp');
    a.set(name, 1, 1, 'h', f);
    await a.save();
    assert.deepEqual(f, expected, 'saving must not change the live facts');
    const bytes = readFileSync(file()).toString('latin1');
    assert.equal(bytes.split(name).length - 1, 2, 'the path appears as the record key and facts.file only');
    const got = (await FactsCache.load(dir, 'fp')).byStat(name, 1, 1)!;
    assert.deepEqual(got, expected);
    const cols = (got.ddl[0] as { table: { columns: Array<{ origin: { file: string } }> } }).table.columns;
    assert.equal(cols[7]!.origin.file, name);
    assert.equal((got.ddl[1] as { origin: { file: string } }).origin.file, 'other/file.sql', 'an origin in another file keeps its path');
  });

  it('reads back the DDL alone (what the catalog needs) and the rest on demand, sharing the same DDL objects', async () => {
    const name = 'models/orders.sql';
    const f = facts(name, 1);
    f.joins = [{ left: { table: { name: 'a' }, column: 'x' }, right: { table: { name: 'b' }, column: 'y' }, origin: { kind: 'query', file: name, line: 4 } }] as FileFacts['joins'];
    f.diagnostics = [{ severity: 'warning', message: 'w', file: name, line: 2, column: 1 }];
    const expected = structuredClone(f);
    const a = await FactsCache.load(dir, 'fp');
    a.set(name, 10, 20, 'h', f);
    await a.save();
    const b = await FactsCache.load(dir, 'fp');
    const deferred = b.deferredByStat(name, 10, 20);
    assert.ok(deferred instanceof DeferredFacts);
    assert.deepEqual(deferred.counts, { joins: 1, constants: 0, diagnostics: 1 });
    const ddl = deferred.ddl();
    assert.equal((ddl[0] as { table: { origin: { file: string } } }).table.origin.file, name);
    const whole = deferred.load();
    assert.deepEqual(whole, expected);
    assert.equal(whole.ddl, ddl, 'the DDL the catalog holds is the facts\' own');
    assert.equal(b.deferredByStat(name, 10, 21), undefined, 'another mtime is a miss');
    // written again (compaction) from the live objects, it reads back the same
    b.set('other.sql', 1, 1, 'h2', facts('other.sql', 2));
    await b.save();
    assert.deepEqual((await FactsCache.load(dir, 'fp')).byStat(name, 10, 20), expected);
  });
});
