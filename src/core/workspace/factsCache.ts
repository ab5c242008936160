import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FileFacts } from './facts';

/** Bump when an extractor's output changes shape or meaning: old caches are then ignored. */
export const CACHE_VERSION = 2;
const CACHE_FILE = 'index-cache.ndjson';

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
  facts: FileFacts;
}

/** First line of the cache file; every further line is `[path, size, mtimeMs, hash, facts]`. */
interface CacheHeader {
  version: number;
  fingerprint: string;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/**
 * Facts per file, keyed by path and validated by size + mtime, or by content hash when those moved
 * (a checkout that touches files without changing them re-parses nothing). One NDJSON file, replaced atomically.
 */
export class FactsCache {
  private entries = new Map<string, Entry>();
  private dirty = false;

  private constructor(
    private readonly dir: string | undefined,
    private readonly fingerprint: string,
  ) {}

  /** Loads the cache; a missing, corrupt or foreign-version file gives an empty cache. `dir` undefined = memory only. */
  static async load(dir: string | undefined, fingerprint: string): Promise<FactsCache> {
    const cache = new FactsCache(dir, fingerprint);
    if (!dir) return cache;
    try {
      const text = await fsp.readFile(path.join(dir, CACHE_FILE), 'utf8');
      let start = text.indexOf('\n');
      const header = JSON.parse(start < 0 ? text : text.slice(0, start)) as CacheHeader;
      if (header.version !== CACHE_VERSION || header.fingerprint !== fingerprint) return cache;
      while (start >= 0 && start < text.length - 1) {
        const end = text.indexOf('\n', start + 1);
        const line = text.slice(start + 1, end < 0 ? text.length : end);
        start = end;
        if (!line) continue;
        const [file, size, mtimeMs, hash, facts] = JSON.parse(line) as [string, number, number, string, FileFacts];
        cache.entries.set(file, { size, mtimeMs, hash, facts });
      }
    } catch {
      /* no cache yet, unreadable or torn: start empty */
      cache.entries.clear();
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Facts when size and mtime match what was cached. */
  byStat(file: string, size: number, mtimeMs: number): FileFacts | undefined {
    const e = this.entries.get(file);
    return e && e.size === size && e.mtimeMs === mtimeMs ? e.facts : undefined;
  }

  /** Facts when the content hash matches; refreshes the stored size/mtime so the next lookup is by stat. */
  byHash(file: string, hash: string, size: number, mtimeMs: number): FileFacts | undefined {
    const e = this.entries.get(file);
    if (!e || e.hash !== hash) return undefined;
    if (e.size !== size || e.mtimeMs !== mtimeMs) {
      e.size = size;
      e.mtimeMs = mtimeMs;
      this.dirty = true;
    }
    return e.facts;
  }

  set(file: string, size: number, mtimeMs: number, hash: string, facts: FileFacts): void {
    this.entries.set(file, { size, mtimeMs, hash, facts });
    this.dirty = true;
  }

  delete(file: string): void {
    if (this.entries.delete(file)) this.dirty = true;
  }

  /** Drops entries of files no longer in the workspace. */
  retainOnly(paths: Set<string>): void {
    for (const k of this.entries.keys()) {
      if (!paths.has(k)) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
  }

  /** Writes the cache (when changed) to a temp file and renames it over the old one. */
  async save(): Promise<void> {
    if (!this.dir || !this.dirty) return;
    await fsp.mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, CACHE_FILE);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    // one line per file, written in batches: no single giant string for big workspaces
    const handle = await fsp.open(tmp, 'w');
    try {
      const header: CacheHeader = { version: CACHE_VERSION, fingerprint: this.fingerprint };
      let batch = JSON.stringify(header) + '\n';
      for (const [file, e] of this.entries) {
        batch += JSON.stringify([file, e.size, e.mtimeMs, e.hash, e.facts]) + '\n';
        if (batch.length > 1 << 20) {
          await handle.write(batch);
          batch = '';
        }
      }
      await handle.write(batch);
      await handle.close();
      await fsp.rename(tmp, target);
      this.dirty = false;
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }
}
