import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { IncrementalCatalogState } from '../../../src/core/catalog/catalog';
import { CATALOG_CACHE_VERSION, loadCatalogState, saveCatalogState } from '../../../src/core/workspace/catalogCache';
import { CACHE_VERSION } from '../../../src/core/workspace/factsCache';
import { encodeCompactInSlices, joinTokens, decodeCompact } from '../../../src/core/workspace/compactEncoding';

/** A catalog-like state large enough that its tokens span many encoder chunks. */
function bigState(): IncrementalCatalogState {
  const tables = Array.from({ length: 3000 }, (_, t) => ({
    schema: 's',
    name: `t${t}`,
    kind: 'table',
    columns: Array.from({ length: 8 }, (_, c) => ({ name: `c${c}`, dataType: c % 2 ? 'integer' : 'varchar(20)', nullable: c === 0 ? false : undefined, origin: { kind: 'ddl', file: `ddl/${t}.sql`, line: c + 2, column: 3 } })),
    constraints: [],
    origin: { kind: 'ddl', file: `ddl/${t}.sql`, line: 1 },
  }));
  return { snapshot: { tables, conflicts: [] }, index: { files: tables.map((t) => [t.origin.file, [t.name]]), ratio: 0.25, big: 2 ** 40 } } as unknown as IncrementalCatalogState;
}

describe('catalog state cache (metadata + raw tokens)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'quarry-catalog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (): string => path.join(dir, readdirSync(dir).find((f) => f.startsWith('catalog-state'))!);

  it('encodes in chunks that join back to the same tokens', async () => {
    const state = bigState();
    const encoded = await encodeCompactInSlices(state.snapshot);
    assert.ok(encoded.tokenChunks.length > 3, `tokens in ${encoded.tokenChunks.length} chunks`);
    assert.deepEqual(decodeCompact(joinTokens(encoded)), state.snapshot);
  });

  it('round-trips the snapshot, the index and the file hashes', async () => {
    const state = bigState();
    const hashes: Array<[string, string]> = [['ddl/0.sql', 'h0'], ['ddl/1.sql', 'h1']];
    await saveCatalogState(dir, 'fp', hashes, state);
    const loaded = await loadCatalogState(dir, 'fp');
    assert.ok(loaded);
    assert.deepEqual(loaded.snapshot(), state.snapshot);
    assert.deepEqual(loaded.index(), state.index);
    assert.deepEqual([...loaded.files], hashes);
    assert.equal(statSync(file()).size % 4, 0);
  });

  it('refuses another fingerprint, a torn file and one with bytes appended', async () => {
    await saveCatalogState(dir, 'fp', [], bigState());
    assert.equal(await loadCatalogState(dir, 'other'), undefined);
    const whole = readFileSync(file());
    writeFileSync(file(), whole.subarray(0, whole.length - 4));
    assert.equal(await loadCatalogState(dir, 'fp'), undefined);
    writeFileSync(file(), Buffer.concat([whole, Buffer.alloc(4)]));
    assert.equal(await loadCatalogState(dir, 'fp'), undefined);
    writeFileSync(file(), whole.subarray(0, 40));
    assert.equal(await loadCatalogState(dir, 'fp'), undefined);
    writeFileSync(file(), whole);
    assert.ok(await loadCatalogState(dir, 'fp'));
  });

  it('refuses a state built from facts of another extractor version (the same files re-extracted differently)', async () => {
    await saveCatalogState(dir, 'fp', [], bigState());
    const whole = readFileSync(file());
    const ours = `[${CATALOG_CACHE_VERSION},${CACHE_VERSION},`;
    const at = whole.indexOf(ours);
    assert.ok(at > 0, 'the header names the facts version');
    // the same header, one facts version earlier (a digit changed, so every length stays)
    const older = Buffer.from(whole);
    const digit = at + ours.length - 2;
    older[digit] = older[digit] === 0x30 ? 0x31 : older[digit]! - 1;
    writeFileSync(file(), older);
    assert.equal(await loadCatalogState(dir, 'fp'), undefined);
    writeFileSync(file(), whole);
    assert.ok(await loadCatalogState(dir, 'fp'));
  });

  it('a save that fails leaves the previous state in place, and no temp file', async () => {
    const first = bigState();
    await saveCatalogState(dir, 'fp', [], first);
    const broken = { snapshot: { tables: [{ when: new Date() }], conflicts: [] }, index: {} } as unknown as IncrementalCatalogState;
    await assert.rejects(saveCatalogState(dir, 'fp', [], broken));
    assert.deepEqual(readdirSync(dir), ['catalog-state.v8']);
    assert.deepEqual((await loadCatalogState(dir, 'fp'))!.snapshot(), first.snapshot);
  });
});
