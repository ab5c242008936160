import { promises as fsp } from 'node:fs';
import { endianness } from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { IncrementalCatalogIndex, IncrementalCatalogState } from '../catalog/catalog';
import type { CatalogSnapshot } from '../catalog/model';
import { decodeCompact, encodeCompactInSlices, type CompactData, type EncodedCompact } from './compactEncoding';
import { CACHE_VERSION, writeAll } from './factsCache';

/** Bump when the catalog builder's output, IncrementalCatalogState or the file layout changes. */
export const CATALOG_CACHE_VERSION = 27;
const CATALOG_FILE = 'catalog-state.v8';

/** A compactly encoded value without its tokens, which follow the metadata in the file as raw 32-bit integers. */
type EncodedMeta = Omit<CompactData, 'tokens'> & { tokenCount: number };

interface StoredMeta {
  version: number;
  /** The facts cache fingerprint (extension version + dbt layout). */
  fingerprint: string;
  /** Path and content hash of every file whose facts the catalog was built from, sorted by path. */
  files: Array<[string, string]>;
  /** The catalog snapshot and the incremental index, compactly encoded (far fewer objects than v8 alone gives). */
  snapshot: EncodedMeta;
  index: EncodedMeta;
}

export interface LoadedCatalogState {
  /** Decodes the snapshot (call only when it will be used: a quarter of a second at 10k files). */
  snapshot: () => CatalogSnapshot;
  /** Decodes the incremental index (only needed once a file changes). */
  index: () => IncrementalCatalogIndex;
  /** Content hash of every file the catalog was built from: a file whose hash differs now must be applied again. */
  files: Map<string, string>;
}

/*
 * File layout: u32 header length, header (JSON text: version, fingerprint, byte order), u32 metadata length, metadata
 * (v8-serialized StoredMeta), zero padding to a multiple of 4, then the snapshot's tokens and the index's tokens as
 * 32-bit integers in this machine's byte order. The tokens are most of the file; written from the encoder's chunks and
 * read back as views of the file's buffer, they are never copied (v8.serialize copied them twice on the way out, into a
 * buffer it grew by doubling, and once on the way in).
 */

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
    const metaStart = 8 + headLen;
    const metaEnd = metaStart + buf.readUInt32LE(4 + headLen);
    const meta = deserialize(buf.subarray(metaStart, metaEnd)) as StoredMeta;
    if (meta.version !== CATALOG_CACHE_VERSION || meta.fingerprint !== fingerprint) return undefined;
    const snapshotAt = align4(metaEnd);
    const indexAt = snapshotAt + 4 * meta.snapshot.tokenCount;
    if (indexAt + 4 * meta.index.tokenCount !== buf.length) return undefined; // torn or foreign
    const snapshot = withTokens(meta.snapshot, int32sAt(buf, snapshotAt, meta.snapshot.tokenCount));
    const index = withTokens(meta.index, int32sAt(buf, indexAt, meta.index.tokenCount));
    return {
      snapshot: () => decodeCompact(snapshot) as CatalogSnapshot,
      index: () => decodeCompact(index) as IncrementalCatalogIndex,
      files: new Map(meta.files),
    };
  } catch {
    return undefined;
  }
}

/** Writes the state (temp file + rename). */
export async function saveCatalogState(dir: string, fingerprint: string, files: Array<[string, string]>, state: IncrementalCatalogState): Promise<void> {
  // encoded in slices (seconds at 50k files, on the extension host's thread); the state may be read across turns because
  // a catalog never mutates a snapshot or an index it handed out (changes build new ones)
  const snapshot = await encodeCompactInSlices(state.snapshot);
  const index = await encodeCompactInSlices(state.index);
  const meta: StoredMeta = { version: CATALOG_CACHE_VERSION, fingerprint, files, snapshot: metaOf(snapshot), index: metaOf(index) };
  const head = Buffer.from(headerOf(fingerprint), 'utf8');
  const body = serialize(meta);
  const prefix = Buffer.alloc(align4(8 + head.length + body.length) - body.length); // lengths, header, then padding after the body
  prefix.writeUInt32LE(head.length, 0);
  head.copy(prefix, 4);
  prefix.writeUInt32LE(body.length, 4 + head.length);
  await fsp.mkdir(dir, { recursive: true });
  const target = path.join(dir, CATALOG_FILE);
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    const handle = await fsp.open(tmp, 'w');
    try {
      await writeAll(handle, prefix.subarray(0, 8 + head.length));
      await writeAll(handle, body);
      await writeAll(handle, prefix.subarray(8 + head.length));
      for (const encoded of [snapshot, index]) {
        let left = encoded.tokenCount;
        for (const chunk of encoded.tokenChunks) {
          const n = Math.min(chunk.length, left);
          await writeAll(handle, Buffer.from(chunk.buffer, chunk.byteOffset, 4 * n));
          left -= n;
        }
      }
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

function metaOf(e: EncodedCompact): EncodedMeta {
  return { strings: e.strings, shapes: e.shapes, numbers: e.numbers, tokenCount: e.tokenCount };
}

function withTokens(meta: EncodedMeta, tokens: Int32Array): CompactData {
  return { strings: meta.strings, shapes: meta.shapes, numbers: meta.numbers, tokens };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** `count` 32-bit integers at `offset` of `buf`: a view when the memory is aligned for one, else a copy. */
function int32sAt(buf: Buffer, offset: number, count: number): Int32Array {
  const at = buf.byteOffset + offset;
  if (at % 4 === 0) return new Int32Array(buf.buffer, at, count);
  return new Int32Array(buf.buffer.slice(at, at + 4 * count));
}

/**
 * The facts cache's version is part of it: the catalog is built from the facts, so facts extracted anew by another
 * extractor (the same files, the same hashes) must not be matched with a catalog built from the old ones.
 */
function headerOf(fingerprint: string): string {
  return JSON.stringify([CATALOG_CACHE_VERSION, CACHE_VERSION, fingerprint, endianness()]);
}
