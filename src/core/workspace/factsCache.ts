import * as crypto from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { DdlOperation } from '../sql/types';
import type { FileFacts } from './facts';
import { countsOf, packFacts, unpackDdl, unpackFacts, type FactsCounts, type JsonText, type PackedFacts } from './packedFacts';

export { countsOf, type FactsCounts } from './packedFacts';

/** Bump when an extractor's output changes shape or meaning: old caches are then ignored. */
export const CACHE_VERSION = 102;
const CACHE_FILE = 'index-cache.v8log';
/** The JSON cache of version 2, removed on the first rewrite. */
const LEGACY_CACHE_FILE = 'index-cache.ndjson';
/** Rewrite the log when it holds more than this many records per live entry (superseded records pile up). */
const COMPACT_RATIO = 2;

/**
 * Facts still in their serialized form. `ddl()` deserializes just the DDL (what the catalog needs), `load()` the
 * whole facts; each once (the cache entry then holds the objects).
 */
export class DeferredFacts {
  constructor(
    readonly file: string,
    readonly counts: FactsCounts,
    private readonly entry: Entry,
  ) {}

  ddl(): DdlOperation[] {
    return ddlOfEntry(this.file, this.entry);
  }

  load(): FileFacts {
    return materialize(this.file, this.entry);
  }
}

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
  counts: FactsCounts;
  /** Whole facts: extracted in this thread, or deserialized on first access. */
  facts?: FileFacts;
  /** Serialized facts (from a worker or the cache file) until `facts` is set. */
  packed?: Pick<PackedFacts, 'ddl' | 'rest'>;
  /** `packed.ddl` deserialized, before (and then shared with) the whole facts. */
  ddl?: DdlOperation[];
  deferred?: DeferredFacts;
}

function ddlOfEntry(file: string, e: Entry): DdlOperation[] {
  if (e.facts) return e.facts.ddl;
  return (e.ddl ??= unpackDdl(file, e.packed!.ddl));
}

function materialize(file: string, e: Entry): FileFacts {
  if (!e.facts) {
    e.facts = unpackFacts(file, e.packed!, e.ddl);
    e.packed = undefined;
    e.ddl = undefined;
    e.deferred = undefined;
  }
  return e.facts;
}

/**
 * First record of the cache file; every further record is a meta record `[path, size, mtimeMs, hash, joins,
 * constants, diagnostics]` followed by two records holding the packed facts (DDL, then the rest), or `[path]` alone
 * = deleted. Facts are parsed only when first asked for, so a warm start reads the metadata and little else.
 */
interface CacheHeader {
  version: number;
  fingerprint: string;
}

/** The header record when it is of this cache version. */
function currentHeader(raw: Uint8Array): CacheHeader | undefined {
  const header = deserialize(raw) as CacheHeader | undefined;
  return header?.version === CACHE_VERSION && typeof header.fingerprint === 'string' ? header : undefined;
}

/** One-shot hashing (Node ≥ 20.12) skips a Hash object per file; the same digest either way. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

export function contentHash(bytes: Uint8Array): string {
  return oneShot ? oneShot('sha1', bytes, 'hex') : crypto.createHash('sha1').update(bytes).digest('hex');
}

/**
 * Facts per file, keyed by path and validated by size + mtime, or by content hash when those moved
 * (a checkout that touches files without changing them re-parses nothing).
 *
 * On disk: an append-only log of length-prefixed records: small v8-serialized metadata records, and the packed facts as
 * the JSON text they travel in (see PackedFacts), written as they came. Incremental saves append only the changed
 * entries; the log is rewritten (temp file + rename) when it has grown well past the live entries or its tail is torn.
 */
export class FactsCache {
  private entries = new Map<string, Entry>();
  /** Paths changed since the last save (set or deleted). */
  private changed = new Set<string>();
  /** Records in the file on disk (header excluded); -1 = the file must be rewritten rather than appended to. */
  private recordsOnDisk = -1;

  private constructor(
    private readonly dir: string | undefined,
    private fingerprint: string,
  ) {}

  /**
   * An empty cache whose fingerprint is set later (`stamp`): for an index that starts extracting before it knows what
   * the fingerprint covers. Its first save rewrites the file.
   */
  static empty(dir: string | undefined): FactsCache {
    return new FactsCache(dir, '');
  }

  /** Sets the fingerprint of a cache made by `empty`, before it is saved. */
  stamp(fingerprint: string): void {
    this.fingerprint = fingerprint;
  }

  /** The fingerprint of the cache file under `dir` when it is of this version; reads the header only. */
  static async storedFingerprint(dir: string | undefined): Promise<string | undefined> {
    if (!dir) return undefined;
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(path.join(dir, CACHE_FILE), 'r');
      const size = Buffer.alloc(4);
      if ((await handle.read(size, 0, 4, 0)).bytesRead < 4) return undefined;
      const len = size.readUInt32LE(0);
      if (len > 1 << 24) return undefined;
      const raw = Buffer.alloc(len);
      if ((await handle.read(raw, 0, len, 4)).bytesRead < len) return undefined;
      return currentHeader(raw)?.fingerprint;
    } catch {
      return undefined; // no cache, or not readable: nothing to serve
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** Loads the cache; a missing, corrupt or foreign-version file gives an empty cache. `dir` undefined = memory only. */
  static async load(dir: string | undefined, fingerprint: string): Promise<FactsCache> {
    const cache = new FactsCache(dir, fingerprint);
    if (!dir) return cache;
    let buf: Buffer;
    try {
      buf = await fsp.readFile(path.join(dir, CACHE_FILE));
    } catch {
      return cache; // no cache yet
    }
    try {
      let pos = 0;
      /** The next length-prefixed record's bytes; undefined at the end or at a torn tail. */
      const nextRaw = (): Uint8Array | undefined => {
        if (pos + 4 > buf.length) return undefined;
        const len = buf.readUInt32LE(pos);
        if (pos + 4 + len > buf.length) return undefined;
        const raw = buf.subarray(pos + 4, pos + 4 + len);
        pos += 4 + len;
        return raw;
      };
      const next = (): unknown => {
        const raw = nextRaw();
        return raw && deserialize(raw);
      };
      const head = nextRaw();
      if (!head || currentHeader(head)?.fingerprint !== fingerprint) return cache;
      let records = 0;
      for (let rec = next() as unknown[] | undefined; rec; rec = next() as unknown[] | undefined) {
        const [file, size, mtimeMs, hash, joins, constants, diagnostics, entities] = rec as [string, number?, number?, string?, number?, number?, number?, number?];
        if (rec.length > 1) {
          const ddl = nextRaw();
          const rest = ddl && nextRaw();
          if (!rest) break; // torn between meta and facts
          const counts: FactsCounts = { joins: joins!, constants: constants!, diagnostics: diagnostics! };
          if (entities) counts.entities = entities;
          cache.entries.set(file, { size: size!, mtimeMs: mtimeMs!, hash: hash!, counts, packed: { ddl: ddl!, rest } });
        } else cache.entries.delete(file);
        records++;
      }
      cache.recordsOnDisk = pos === buf.length ? records : -1;
    } catch {
      /* unreadable or corrupt: start empty */
      cache.entries.clear();
      cache.recordsOnDisk = -1;
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Facts when size and mtime match what was cached. */
  byStat(file: string, size: number, mtimeMs: number): FileFacts | undefined {
    const e = this.entries.get(file);
    return e && e.size === size && e.mtimeMs === mtimeMs ? materialize(file, e) : undefined;
  }

  /** Like byStat, but facts not yet deserialized come back deferred (their counts known, the rest on `load()`). */
  deferredByStat(file: string, size: number, mtimeMs: number): FileFacts | DeferredFacts | undefined {
    const e = this.entries.get(file);
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs) return undefined;
    return this.deferredOf(file, e);
  }

  private deferredOf(file: string, e: Entry): FileFacts | DeferredFacts {
    if (e.facts) return e.facts;
    return (e.deferred ??= new DeferredFacts(file, e.counts, e));
  }

  /** Content hash of the cached facts of a file, if any. */
  hashOf(file: string): string | undefined {
    return this.entries.get(file)?.hash;
  }

  /** Facts when the content hash matches; refreshes the stored size/mtime so the next lookup is by stat. */
  byHash(file: string, hash: string, size: number, mtimeMs: number): FileFacts | DeferredFacts | undefined {
    const e = this.entries.get(file);
    if (!e || e.hash !== hash) return undefined;
    if (e.size !== size || e.mtimeMs !== mtimeMs) {
      e.size = size;
      e.mtimeMs = mtimeMs;
      this.changed.add(file);
    }
    return this.deferredOf(file, e);
  }

  set(file: string, size: number, mtimeMs: number, hash: string, facts: FileFacts): void {
    this.entries.set(file, { size, mtimeMs, hash, counts: countsOf(facts), facts });
    this.changed.add(file);
  }

  /** Stores facts a worker packed; they stay text (and are written as they came) until something reads them. */
  setPacked(file: string, size: number, mtimeMs: number, hash: string, packed: PackedFacts): DeferredFacts {
    const e: Entry = { size, mtimeMs, hash, counts: packed.counts, packed: { ddl: packed.ddl, rest: packed.rest } };
    this.entries.set(file, e);
    this.changed.add(file);
    return this.deferredOf(file, e) as DeferredFacts;
  }

  delete(file: string): void {
    if (this.entries.delete(file)) this.changed.add(file);
  }

  /** Drops entries of files no longer in the workspace. */
  retainOnly(paths: Set<string>): void {
    for (const k of this.entries.keys()) {
      if (!paths.has(k)) {
        this.entries.delete(k);
        this.changed.add(k);
      }
    }
  }

  /** Writes what changed: appended to the log, or the whole cache rewritten when the log needs compacting. */
  async save(): Promise<void> {
    if (!this.dir || this.changed.size === 0) return;
    await fsp.mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, CACHE_FILE);
    const changed = [...this.changed];
    this.changed.clear();
    const wholesale = this.recordsOnDisk < 0 || this.recordsOnDisk + changed.length > COMPACT_RATIO * Math.max(this.entries.size, 64);
    try {
      if (wholesale) await this.rewrite(target);
      else {
        const out = new FrameWriter();
        for (const file of changed) this.record(out, file);
        const handle = await fsp.open(target, 'a');
        try {
          await out.writeTo(handle, true);
        } finally {
          await handle.close();
        }
        this.recordsOnDisk += changed.length;
      }
    } catch (err) {
      for (const f of changed) this.changed.add(f);
      this.recordsOnDisk = -1; // a partial append may have torn the file
      throw err;
    }
  }

  /** Appends the record of `file`: its entry, or a deletion. */
  private record(out: FrameWriter, file: string): void {
    const e = this.entries.get(file);
    if (e) writeEntry(out, file, e);
    else out.frame(serialize([file]));
  }

  private async rewrite(target: string): Promise<void> {
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    const handle = await fsp.open(tmp, 'w');
    try {
      const header: CacheHeader = { version: CACHE_VERSION, fingerprint: this.fingerprint };
      const out = new FrameWriter();
      out.frame(serialize(header));
      for (const [file, e] of this.entries) {
        writeEntry(out, file, e);
        if (out.full()) await out.writeTo(handle);
      }
      await out.writeTo(handle, true);
      await handle.close();
      await fsp.rename(tmp, target);
      this.recordsOnDisk = this.entries.size;
      await fsp.rm(path.join(this.dir!, LEGACY_CACHE_FILE), { force: true }).catch(() => undefined);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }
}

/** Meta record + the two records of the packed facts (text as it came, packed here if extracted in this thread). */
function writeEntry(out: FrameWriter, file: string, e: Entry): void {
  const meta: unknown[] = [file, e.size, e.mtimeMs, e.hash, e.counts.joins, e.counts.constants, e.counts.diagnostics];
  if (e.counts.entities) meta.push(e.counts.entities);
  out.frame(serialize(meta));
  const packed = e.packed ?? packFacts(e.facts!);
  out.frame(packed.ddl);
  out.frame(packed.rest);
}

/** Writes all of `bytes` at the handle's position (a write may take fewer bytes than it was given). */
export async function writeAll(handle: fsp.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length; ) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
}

const CHUNK_BYTES = 1 << 22;

/**
 * Length-prefixed records written straight into 4 MB chunks: text is encoded in place, where building each record as
 * its own buffers and concatenating them copied every byte three times (a cache rewrite held most of the index twice).
 * Chunks once written are filled again, so a rewrite takes two of them whatever the cache's size: a new chunk each
 * time left 35 MB of spent ones for the collector at 10k files (on Node 22+ they stayed in memory well after).
 */
class FrameWriter {
  /** Filled chunks and how many of their bytes are records, in order. */
  private readonly done: Array<{ chunk: Buffer; used: number }> = [];
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  /** Standard-size chunks already written out, to fill again. */
  private readonly spare: Buffer[] = [];

  frame(payload: JsonText): void {
    const n = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (this.at + 4 + n > this.chunk.length) {
      this.seal();
      this.chunk = 4 + n <= CHUNK_BYTES ? (this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)) : Buffer.allocUnsafe(4 + n);
    }
    this.chunk.writeUInt32LE(n, this.at);
    this.at += 4;
    if (typeof payload === 'string') this.chunk.write(payload, this.at);
    else this.chunk.set(payload, this.at);
    this.at += n;
  }

  /** True when filled chunks wait to be written. */
  full(): boolean {
    return this.done.length > 0;
  }

  /** Writes the filled chunks to `handle`, in order, and with `all` the chunk being filled too. */
  async writeTo(handle: fsp.FileHandle, all = false): Promise<void> {
    if (all) this.seal();
    for (const { chunk, used } of this.done.splice(0)) {
      await writeAll(handle, chunk.subarray(0, used));
      if (chunk.length === CHUNK_BYTES) this.spare.push(chunk);
    }
  }

  /** Hands the current chunk over; the next frame starts a new one. */
  private seal(): void {
    if (this.at > 0) this.done.push({ chunk: this.chunk, used: this.at });
    else if (this.chunk.length === CHUNK_BYTES) this.spare.push(this.chunk);
    this.chunk = Buffer.alloc(0);
    this.at = 0;
  }
}
