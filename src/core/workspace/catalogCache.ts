import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { IncrementalCatalogIndex, IncrementalCatalogState } from '../catalog/catalog';
import type { CatalogSnapshot } from '../catalog/model';
import { decodeCompact, encodeCompactInSlices, type CompactData } from './compactEncoding';

/** Bump when the catalog builder's output or IncrementalCatalogState changes. */
export const CATALOG_CACHE_VERSION = 5;
const CATALOG_FILE = 'catalog-state.v8';

interface Stored {
  version: number;
  /** The facts cache fingerprint (extension version + dbt layout). */
  fingerprint: string;
  /** Path and content hash of every file whose facts the catalog was built from, sorted by path. */
  files: Array<[string, string]>;
  /** The catalog snapshot and the incremental index, compactly encoded (far fewer objects than v8 alone gives). */
  snapshot: CompactData;
  index: CompactData;
}

export interface LoadedCatalogState {
  /** Decodes the snapshot (call only when it will be used: a quarter of a second at 10k files). */
  snapshot: () => CatalogSnapshot;
  /** Decodes the incremental index (only needed once a file changes). */
  index: () => IncrementalCatalogIndex;
  /** Content hash of every file the catalog was built from: a file whose hash differs now must be applied again. */
  files: Map<string, string>;
}

/**
 * The persisted catalog state, if one was saved under this fingerprint (extension version + dbt layout); undefined
 * otherwise (or unreadable). The caller compares `files` with the current hashes: the facts of a file are a function
 * of its content under one fingerprint, so only files whose hash moved need applying.
 */
export async function loadCatalogState(dir: string, fingerprint: string): Promise<LoadedCatalogState | undefined> {
  try {
    const buf = await fsp.readFile(path.join(dir, CATALOG_FILE));
    // a small plain-text header is checked before deserializing the (large) body
    const headLen = buf.readUInt32LE(0);
    const head = buf.subarray(4, 4 + headLen).toString('utf8');
    if (head !== headerOf(fingerprint)) return undefined;
    const stored = deserialize(buf.subarray(4 + headLen)) as Stored;
    if (stored.version !== CATALOG_CACHE_VERSION || stored.fingerprint !== fingerprint) return undefined;
    return {
      snapshot: () => decodeCompact(stored.snapshot) as CatalogSnapshot,
      index: () => decodeCompact(stored.index) as IncrementalCatalogIndex,
      files: new Map(stored.files),
    };
  } catch {
    return undefined;
  }
}

/** Writes the state (temp file + rename). */
export async function saveCatalogState(dir: string, fingerprint: string, files: Array<[string, string]>, state: IncrementalCatalogState): Promise<void> {
  // encoded in slices (seconds at 50k files, on the extension host's thread); the state may be read across turns because
  // a catalog never mutates a snapshot or an index it handed out (changes build new ones)
  const stored: Stored = { version: CATALOG_CACHE_VERSION, fingerprint, files, snapshot: await encodeCompactInSlices(state.snapshot), index: await encodeCompactInSlices(state.index) };
  await fsp.mkdir(dir, { recursive: true });
  const head = Buffer.from(headerOf(fingerprint), 'utf8');
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

function headerOf(fingerprint: string): string {
  return JSON.stringify([CATALOG_CACHE_VERSION, fingerprint]);
}
