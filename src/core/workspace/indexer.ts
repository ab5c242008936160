import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { buildCatalog } from '../catalog/catalog';
import type { CatalogSnapshot } from '../catalog/model';
import type { JoinPair, ParseDiagnostic } from '../sql/types';
import { classifyFile, isExtractedKind, type DbtProjectLayout, type ExtractContext } from './classify';
import { extractDbtProject } from './dbtYamlExtractor';
import { discoverFiles, newSkipSummary, recordSkip, type DiscoveryOptions, type SkipSummary } from './discovery';
import { decodeText, looksBinary } from './extractFile';
import { contentHash, FactsCache } from './factsCache';
import { emptyFacts, type ConstantMap, type FileFacts, type FileKind } from './facts';
import { PathFilter } from './pathFilter';
import { SearchIndex } from './search';
import { defaultPoolSize, InProcessExtractor, isTransientFailure, WorkerPoolExtractor, type Extractor } from './workerPool';
import { availableParallelism } from 'node:os';

export interface IndexerOptions {
  /** Workspace folder to index. */
  root: string;
  /** Folder for the on-disk facts cache; no cache when absent. */
  cacheDir?: string;
  /** Script of the worker thread (bundled: dist/indexWorker.js; under tsx: src/core/workspace/worker.ts). In-process when absent. */
  workerScript?: string;
  /** Worker threads (default min(2, cores - 1)). */
  workers?: number;
  /** Below this many files to parse, a full index runs in-process (worker start-up would cost more). Default 200. */
  inProcessBelow?: number;
  discovery?: DiscoveryOptions;
  /** Files read at once (default 32). */
  readConcurrency?: number;
  /** Mixed into the cache fingerprint: pass the extension version so an upgrade re-parses everything once. */
  cacheKey?: string;
}

export interface IndexProgress {
  phase: 'discover' | 'extract' | 'catalog' | 'done';
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: { readonly aborted: boolean };
  onProgress?: (p: IndexProgress) => void;
}

export interface IndexStats {
  files: number;
  filesByKind: Partial<Record<FileKind, number>>;
  /** Files whose facts were extracted in the last run (0 on a warm start with nothing changed). */
  parsed: number;
  /** Files whose facts came from the cache in the last run. */
  fromCache: number;
  skipped: SkipSummary;
  tables: number;
  columns: number;
  joinPairs: number;
  constantMaps: number;
  diagnostics: number;
  conflicts: number;
  /** Wall time of the last full index, and its phases. */
  durationMs: number;
  discoverMs: number;
  extractMs: number;
  catalogMs: number;
  usedWorkers: number;
}

export interface IndexSnapshot {
  catalog: CatalogSnapshot;
  facts: FileFacts[];
  joins: JoinPair[];
  constants: ConstantMap[];
  diagnostics: ParseDiagnostic[];
  stats: IndexStats;
}

/** What an incremental operation changed. The new catalog is built lazily by snapshot(). */
export interface IndexChange {
  /** Files (re)indexed. */
  updated: string[];
  /** Files dropped from the index. */
  removed: string[];
  /** Files whose facts were extracted (not served from the cache). */
  parsed: number;
}

export class IndexCancelledError extends Error {
  constructor() {
    super('Indexing cancelled');
    this.name = 'IndexCancelledError';
  }
}

interface FileState {
  size: number;
  mtimeMs: number;
  kind: FileKind;
}

const TEXT_KINDS_FOR_SEARCH = (k: FileKind): boolean => k !== 'pdf' && k !== 'other' && k !== 'dbt-artifact';

/**
 * Indexes a workspace folder: discovery → per-file extraction (worker threads or in-process, cached on disk) →
 * Catalog. Keeps per-file facts so single files can be re-indexed, removed or renamed cheaply.
 */
export class WorkspaceIndexer {
  readonly root: string;
  private files = new Map<string, FileState>();
  private facts = new Map<string, FileFacts>();
  private context: ExtractContext = { dbtProjects: [] };
  private cache: FactsCache | undefined;
  private cacheFingerprint = '';
  private skipped: SkipSummary = newSkipSummary();
  private lastRun = { parsed: 0, fromCache: 0, durationMs: 0, discoverMs: 0, extractMs: 0, catalogMs: 0, usedWorkers: 0 };
  private built: IndexSnapshot | undefined;
  private search: SearchIndex | undefined;
  private readonly filter: PathFilter;
  private readonly listeners = new Set<(change: IndexChange) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;

  constructor(private readonly options: IndexerOptions) {
    this.root = path.resolve(options.root);
    this.filter = new PathFilter(this.root, options.discovery);
  }

  /** Called after every full index or incremental change; call snapshot() for the new state. Returns an unsubscribe function. */
  onDidChange(listener: (change: IndexChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Full index of the root. Cached files are not re-parsed. Throws IndexCancelledError when the signal aborts. */
  indexAll(run: RunOptions = {}): Promise<IndexSnapshot> {
    return this.serial(() => this.doIndexAll(run));
  }

  /** Re-indexes changed or created files (absolute or root-relative paths). Missing files are removed. */
  update(changedPaths: string[]): Promise<IndexChange> {
    return this.serial(() => this.doUpdate(changedPaths));
  }

  /** Forgets files, or every file under a removed folder. */
  remove(paths: string[]): Promise<IndexChange> {
    return this.serial(async () => {
      const removed = paths.flatMap((p) => this.forget(this.rel(p)));
      this.scheduleSave();
      return this.changed({ updated: [], removed, parsed: 0 });
    });
  }

  rename(from: string, to: string): Promise<IndexChange> {
    return this.serial(async () => {
      const a = this.rel(from);
      const moved = [...this.files.keys()].filter((f) => f === a || f.startsWith(a + '/'));
      const removed = moved.flatMap((f) => this.forget(f));
      const b = this.rel(to);
      const targets = moved.length ? moved.map((f) => b + f.slice(a.length)) : [b];
      const change = await this.doUpdate(targets, false);
      return this.changed({ ...change, removed: [...removed, ...change.removed] });
    });
  }

  /** Catalog, facts and aggregates of the current state (computed once per change). */
  snapshot(): IndexSnapshot {
    if (this.built) return this.built;
    const started = Date.now();
    const facts = [...this.facts.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const catalog = buildCatalog(facts);
    const joins = facts.flatMap((f) => f.joins);
    const constants = facts.flatMap((f) => f.constants);
    const diagnostics = facts.flatMap((f) => f.diagnostics);
    this.lastRun.catalogMs = Date.now() - started;
    const filesByKind: Partial<Record<FileKind, number>> = {};
    for (const s of this.files.values()) filesByKind[s.kind] = (filesByKind[s.kind] ?? 0) + 1;
    const stats: IndexStats = {
      files: this.files.size,
      filesByKind,
      parsed: this.lastRun.parsed,
      fromCache: this.lastRun.fromCache,
      skipped: this.skipped,
      tables: catalog.tables.length,
      columns: catalog.tables.reduce((n, t) => n + t.columns.length, 0),
      joinPairs: joins.length,
      constantMaps: constants.length,
      diagnostics: diagnostics.length,
      conflicts: catalog.conflicts.length,
      durationMs: this.lastRun.durationMs,
      discoverMs: this.lastRun.discoverMs,
      extractMs: this.lastRun.extractMs,
      catalogMs: this.lastRun.catalogMs,
      usedWorkers: this.lastRun.usedWorkers,
    };
    this.built = { catalog, facts, joins, constants, diagnostics, stats };
    return this.built;
  }

  /** Facts of one file, if indexed. */
  factsFor(file: string): FileFacts | undefined {
    return this.facts.get(this.rel(file));
  }

  get dbtProjects(): readonly DbtProjectLayout[] {
    return this.context.dbtProjects;
  }

  /**
   * The BM25 passage index over indexed text files. Built on first use (reading the files), then kept current by
   * update/remove/rename, so cold and warm starts do not pay for it.
   */
  searchIndex(): Promise<SearchIndex> {
    return this.serial(async () => {
      if (this.search) return this.search;
      const index = new SearchIndex();
      await forEachLimited([...this.files.entries()], this.options.readConcurrency ?? 32, async ([file, st]) => {
        if (!TEXT_KINDS_FOR_SEARCH(st.kind)) return;
        const bytes = await fsp.readFile(path.join(this.root, file)).catch(() => undefined);
        if (bytes && !looksBinary(bytes)) index.addDocument(file, decodeText(bytes).text);
      });
      this.search = index;
      return index;
    });
  }

  /** Writes pending cache changes now (incremental updates save after a short delay). */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.queue.catch(() => undefined);
    await this.saving;
    await this.cache?.save().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    await this.flush();
    this.listeners.clear();
  }

  // ------------------------------------------------------------------ internals

  /** Runs operations one at a time so an update never interleaves with a full index. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Incremental changes are saved in one write a moment later, so a burst of edits costs one write. */
  private scheduleSave(): void {
    if (!this.options.cacheDir || this.saveTimer) return;
    // not queued behind updates (and not blocking them): the writer tolerates entries changing while it writes
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving ??= (this.cache?.save() ?? Promise.resolve()).catch(() => undefined).finally(() => (this.saving = undefined));
    }, 2000);
    this.saveTimer.unref();
  }

  private rel(p: string): string {
    const abs = path.isAbsolute(p) ? p : path.join(this.root, p);
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  private changed(change: IndexChange): IndexChange {
    this.built = undefined;
    for (const l of this.listeners) l(change);
    return change;
  }

  /** Drops a file, or every file under a folder; returns what was dropped. */
  private forget(rel: string): string[] {
    const dropped: string[] = [];
    const drop = (f: string): void => {
      this.files.delete(f);
      this.facts.delete(f);
      this.cache?.delete(f);
      this.search?.removeDocument(f);
      dropped.push(f);
    };
    if (this.files.has(rel)) drop(rel);
    else {
      const prefix = rel + '/';
      for (const f of [...this.files.keys()]) if (f.startsWith(prefix)) drop(f);
    }
    return dropped;
  }

  private async loadContext(dbtProjectFiles: string[]): Promise<ExtractContext> {
    const projects: DbtProjectLayout[] = [];
    for (const f of dbtProjectFiles) {
      const text = await fsp.readFile(path.join(this.root, f), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const info = extractDbtProject(f, text).dbtProject!;
      const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
      projects.push({ root: dir, name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths });
    }
    return { dbtProjects: projects };
  }

  private async ensureCache(): Promise<void> {
    const fingerprint = JSON.stringify([this.options.cacheKey ?? '', this.context]);
    if (this.cache && this.cacheFingerprint === fingerprint) return;
    this.cache = await FactsCache.load(this.options.cacheDir, fingerprint);
    this.cacheFingerprint = fingerprint;
  }

  private async doIndexAll(run: RunOptions): Promise<IndexSnapshot> {
    const started = Date.now();
    const check = (): void => {
      if (run.signal?.aborted) throw new IndexCancelledError();
    };
    run.onProgress?.({ phase: 'discover', done: 0, total: 0 });
    const discovered = await discoverFiles(this.root, { ...this.options.discovery, signal: run.signal });
    check();
    const discoverMs = Date.now() - started;
    const skipped = discovered.skipped;
    this.context = await this.loadContext(discovered.files.filter((f) => /(^|\/)dbt_project\.yml$/.test(f.path)).map((f) => f.path));
    await this.ensureCache();
    const cache = this.cache!;

    const files = new Map<string, FileState>();
    const facts = new Map<string, FileFacts>();
    const toRead: Array<{ path: string; size: number; mtimeMs: number; kind: FileKind }> = [];
    for (const f of discovered.files) {
      const kind = classifyFile(f.path, this.context);
      files.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, kind });
      if (!isExtractedKind(kind)) {
        facts.set(f.path, emptyFacts(f.path, kind));
        continue;
      }
      const hit = cache.byStat(f.path, f.size, f.mtimeMs);
      if (hit) facts.set(f.path, hit);
      else toRead.push({ ...f, kind });
    }
    let fromCache = facts.size - [...files.values()].filter((f) => !isExtractedKind(f.kind)).length;
    let parsed = 0;
    const extractStarted = Date.now();
    const useWorkers = !!this.options.workerScript && toRead.length >= (this.options.inProcessBelow ?? 200);
    const poolSize = this.options.workers ?? defaultPoolSize(availableParallelism());
    const extractor: Extractor = useWorkers ? new WorkerPoolExtractor(this.options.workerScript!, poolSize) : new InProcessExtractor();
    extractor.setContext(this.context);
    let done = 0;
    const total = toRead.length;
    run.onProgress?.({ phase: 'extract', done, total });
    try {
      await forEachLimited(toRead, this.options.readConcurrency ?? 32, async (f) => {
        check();
        const outcome = await this.readAndExtract(f, extractor, cache, skipped);
        if (outcome.facts) facts.set(f.path, outcome.facts);
        else files.delete(f.path);
        if (outcome.parsed) parsed++;
        else if (outcome.facts) fromCache++;
        done++;
        if (run.onProgress && (done % 50 === 0 || done === total)) run.onProgress({ phase: 'extract', done, total });
      });
    } finally {
      await extractor.dispose();
      cache.retainOnly(new Set(files.keys()));
      await cache.save().catch(() => undefined);
    }
    check();
    this.files = files;
    this.facts = facts;
    this.skipped = skipped;
    this.search = undefined;
    this.lastRun = { parsed, fromCache, durationMs: 0, discoverMs, extractMs: Date.now() - extractStarted, catalogMs: 0, usedWorkers: useWorkers ? poolSize : 0 };
    run.onProgress?.({ phase: 'catalog', done: 0, total: 1 });
    this.built = undefined;
    this.snapshot();
    this.lastRun.durationMs = Date.now() - started;
    this.built!.stats.durationMs = this.lastRun.durationMs;
    run.onProgress?.({ phase: 'done', done: total, total });
    const snap = this.built!;
    const change: IndexChange = { updated: [...files.keys()], removed: [], parsed };
    for (const l of this.listeners) l(change);
    return snap;
  }

  /** Reads one file and returns its facts: from the cache when the content hash matches, else extracted. */
  private async readAndExtract(
    f: { path: string; size: number; mtimeMs: number; kind: FileKind },
    extractor: Extractor,
    cache: FactsCache,
    skipped: SkipSummary,
  ): Promise<{ facts?: FileFacts; parsed: boolean }> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(path.join(this.root, f.path));
    } catch {
      recordSkip(skipped, 'unreadable', f.path); // deleted or locked mid-index
      return { parsed: false };
    }
    if (looksBinary(bytes)) {
      recordSkip(skipped, 'binary', f.path);
      return { parsed: false };
    }
    const hash = contentHash(bytes);
    const hit = cache.byHash(f.path, hash, f.size, f.mtimeMs);
    if (hit) return { facts: hit, parsed: false };
    const facts = await extractor.extract(f.path, f.kind, bytes);
    if (!isTransientFailure(facts)) cache.set(f.path, f.size, f.mtimeMs, hash, facts);
    if (this.search && TEXT_KINDS_FOR_SEARCH(f.kind)) this.search.addDocument(f.path, decodeText(bytes).text);
    return { facts, parsed: true };
  }

  private async doUpdate(changedPaths: string[], notify = true): Promise<IndexChange> {
    const rels = [...new Set(changedPaths.map((p) => this.rel(p)))].filter((r) => r && !r.startsWith('..'));
    // layout changes re-classify everything
    if (rels.some((r) => /(^|\/)(dbt_project\.yml|\.gitignore)$/.test(r))) {
      this.filter.reset();
      const before = new Set(this.files.keys());
      const snap = await this.doIndexAll({});
      const removed = [...before].filter((f) => !this.files.has(f));
      return { updated: snap.facts.map((f) => f.file), removed, parsed: snap.stats.parsed };
    }
    const updated: string[] = [];
    const removed: string[] = [];
    await this.ensureCache();
    const cache = this.cache!;
    const extractor = new InProcessExtractor();
    extractor.setContext(this.context);
    let parsed = 0;
    const maxSize = this.options.discovery?.maxFileSize ?? 5 * 1024 * 1024;
    for (const rel of rels) {
      let st;
      try {
        st = await fsp.stat(path.join(this.root, rel));
      } catch {
        removed.push(...this.forget(rel));
        continue;
      }
      if (st.isDirectory()) {
        // a folder appeared (e.g. moved in): walk just that folder
        const inner = await discoverFiles(path.join(this.root, rel), { ...this.options.discovery });
        const nested = inner.files.map((f) => `${rel}/${f.path}`);
        if (nested.length) {
          const sub = await this.doUpdate(nested, false);
          updated.push(...sub.updated);
          parsed += sub.parsed;
        }
        continue;
      }
      if (!st.isFile()) continue;
      if (!this.files.has(rel) && this.filter.reasonToSkip(rel)) continue;
      const kind = classifyFile(rel, this.context);
      const size = st.size;
      const mtimeMs = Math.trunc(st.mtimeMs);
      if (size > maxSize && kind !== 'dbt-artifact') {
        removed.push(...this.forget(rel));
        recordSkip(this.skipped, 'tooLarge', rel);
        continue;
      }
      this.files.set(rel, { size, mtimeMs, kind });
      if (!isExtractedKind(kind)) {
        this.facts.set(rel, emptyFacts(rel, kind));
        updated.push(rel);
        continue;
      }
      const outcome = await this.readAndExtract({ path: rel, size, mtimeMs, kind }, extractor, cache, this.skipped);
      if (outcome.facts) {
        this.facts.set(rel, outcome.facts);
        updated.push(rel);
        if (outcome.parsed) parsed++;
      } else removed.push(...this.forget(rel));
    }
    this.lastRun.parsed = parsed;
    this.scheduleSave();
    const change: IndexChange = { updated, removed, parsed };
    return notify ? this.changed(change) : change;
  }
}

/** Runs `fn` over items with at most `limit` in flight; the first error stops new work and is rethrown. */
export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure !== undefined) throw failure;
}
