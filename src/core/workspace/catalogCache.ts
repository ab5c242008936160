import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { IncrementalCatalogIndex, IncrementalCatalogState } from '../catalog/catalog';
import type { CatalogSnapshot } from '../catalog/model';
import { decodeCompact, encodeCompactInSlices, type CompactData } from './compactEncoding';

/** Bump when the catalog builder's output or IncrementalCatalogState changes. */
export const CATALOG_CACHE_VERSION = 4;
const CATALOG_FILE = 'catalog-state.v8';

interface Stored {
  version: number;
  /** The facts cache fingerprint (extension version + dbt layout). */
  fingerprint: string;
  /** factsKey() of the facts the catalog was built from. */
  factsKey: string;
  /** The catalog snapshot and the incremental index, compactly encoded (far fewer objects than v8 alone gives). */
  snapshot: CompactData;
  index: CompactData;
}

/**
 * Identity of a set of facts: every file's path and content hash (facts are a function of those, given the cache
 * fingerprint). A persisted catalog is used only when this matches, so a changed, added or removed file means a
 * rebuild.
 */
export function factsKey(filesWithHash: Array<[string, string]>): string {
  const h = createHash('sha1');
  for (const [file, hash] of filesWithHash.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(file).update('\0').update(hash).update('\n');
  return h.digest('hex');
}

export interface LoadedCatalogState {
  snapshot: CatalogSnapshot;
  /** Decodes the incremental index (only needed once a file changes). */
  index: () => IncrementalCatalogIndex;
}

/** The persisted catalog state when it was built from exactly these facts; undefined otherwise (or unreadable). */
export async function loadCatalogState(dir: string, fingerprint: string, key: string): Promise<LoadedCatalogState | undefined> {
  try {
    const buf = await fsp.readFile(path.join(dir, CATALOG_FILE));
    // a small plain-text header is checked before deserializing the (large) body
    const keyLen = buf.readUInt32LE(0);
    const head = buf.subarray(4, 4 + keyLen).toString('utf8');
    if (head !== headerOf(fingerprint, key)) return undefined;
    const stored = deserialize(buf.subarray(4 + keyLen)) as Stored;
    if (stored.version !== CATALOG_CACHE_VERSION || stored.fingerprint !== fingerprint || stored.factsKey !== key) return undefined;
    const snapshot = decodeCompact(stored.snapshot) as CatalogSnapshot;
    return { snapshot, index: () => decodeCompact(stored.index) as IncrementalCatalogIndex };
  } catch {
    return undefined;
  }
}

/** Writes the state (temp file + rename). */
export async function saveCatalogState(dir: string, fingerprint: string, key: string, state: IncrementalCatalogState): Promise<void> {
  // encoded in slices (seconds at 50k files, on the extension host's thread); the state may be read across turns because
  // a catalog never mutates a snapshot or an index it handed out (changes build new ones)
  const stored: Stored = { version: CATALOG_CACHE_VERSION, fingerprint, factsKey: key, snapshot: await encodeCompactInSlices(state.snapshot), index: await encodeCompactInSlices(state.index) };
  await fsp.mkdir(dir, { recursive: true });
  const head = Buffer.from(headerOf(fingerprint, key), 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32LE(head.length, 0);
  const body = serialize(stored);
  const target = path.join(dir, CATALOG_FILE);
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    const handle = await fsp.open(tmp, 'w');
    try {
      await handle.write(Buffer.concat([len, head]));
      await handle.write(body);
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

function headerOf(fingerprint: string, key: string): string {
  return JSON.stringify([CATALOG_CACHE_VERSION, fingerprint, key]);
}
