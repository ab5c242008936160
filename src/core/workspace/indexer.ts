import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { IncrementalCatalog } from '../catalog/catalog';
import type { CatalogSnapshot } from '../catalog/model';
import type { DdlOperation, JoinPair, ParseDiagnostic } from '../sql/types';
import { classifyFile, isExtractedKind, type DbtProjectLayout, type ExtractContext } from './classify';
import { extractDbtProject } from './dbtYamlExtractor';
import { discoverFiles, mergeSkips, newSkipSummary, recordSkip, type DiscoveredFile, type DiscoveryOptions, type SkipSummary } from './discovery';
import { compactFacts } from './compactFacts';
import { looksBinary } from './extractFile';
import { loadCatalogState, saveCatalogState } from './catalogCache';
import { resolveOrmEntities } from './ormEntities';
import { countsOf, DeferredFacts, FactsCache, type FactsCounts } from './factsCache';
import { packFacts } from './packedFacts';
import { emptyFacts, type ConstantMap, type FileFacts, type FileKind } from './facts';
import { runFileTask } from './fileTask';
import { PathFilter } from './pathFilter';
import { SearchIndex } from './search';
import { defaultPoolSize, InProcessExtractor, isTimeoutFailure, isTransientFailure, transientFailure, WorkerPoolExtractor, type ExtractionRun } from './workerPool';
import type { FileResult, FileTask } from './workerProtocol';
import { availableParallelism } from 'node:os';
import { profileTarget, schemaNamingOf, type DbtSchemaNaming } from './dbtSchemaNaming';

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
  /**
   * A changed file this large (bytes) is extracted in a worker of its own, not on the caller's thread (a 2 MB SQL file
   * takes ~1 s to parse: the extension host would freeze). Default 256 KB; needs `workerScript`.
   */
  updateInWorkerFrom?: number;
  discovery?: DiscoveryOptions;
  /** Files read at once (default 32). */
  readConcurrency?: number;
  /** Mixed into the cache fingerprint: pass the extension version so an upgrade re-parses everything once. */
  cacheKey?: string;
  /**
   * The dbt target schema to build on when a project carries no profiles.yml (the user's own lives in `~/.dbt`,
   * outside the workspace): `quarry.dbt.targetSchema`.
   */
  dbtTargetSchema?: string;
  /**
   * A first index of at least `from` files builds its catalog while the last `beforeEnd` are still being extracted,
   * then applies only those. Built after the last result, the whole catalog took a fifth of a second at 10k files,
   * with one core idle. Default { from: 2000, beforeEnd: 300 }.
   */
  catalogPrebuild?: { from: number; beforeEnd: number };
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
  /** The last full index started from the catalog persisted in the cache (applying the few files changed since). */
  catalogFromCache?: boolean;
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
  /** Changed files large enough to be extracted in a worker of their own (see updateInWorkerFrom). */
  inWorker?: string[];
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

/** The indexed files by path, counted by kind as they come and go (a snapshot after each edit reads the counts). */
class FileStates extends Map<string, FileState> {
  private readonly kinds = new Map<FileKind, number>();

  override set(path: string, state: FileState): this {
    const before = this.get(path);
    if (before) this.count(before.kind, -1);
    this.count(state.kind, 1);
    return super.set(path, state);
  }

  override delete(path: string): boolean {
    const before = this.get(path);
    if (before) this.count(before.kind, -1);
    return super.delete(path);
  }

  override clear(): void {
    this.kinds.clear();
    super.clear();
  }

  /** Files per kind (kinds with none left out). */
  byKind(): Partial<Record<FileKind, number>> {
    const out: Partial<Record<FileKind, number>> = {};
    for (const [kind, n] of this.kinds) if (n > 0) out[kind] = n;
    return out;
  }

  private count(kind: FileKind, delta: number): void {
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + delta);
  }
}

/** Up to this many changed files (or a tenth of all), a warm start updates the persisted catalog rather than rebuild. */
const RESTORE_MAX_CHANGES = 64;

const isDbtProjectFile = (p: string): boolean => p === 'dbt_project.yml' || p.endsWith('/dbt_project.yml');

const contextOf = (projects: Array<[string, DbtProjectLayout]>): ExtractContext => ({ dbtProjects: projects.map(([, layout]) => layout) });

const TEXT_KINDS_FOR_SEARCH = (k: FileKind): boolean => k !== 'pdf' && k !== 'other' && k !== 'dbt-artifact';

/**
 * Indexes a workspace folder: discovery → per-file extraction (worker threads or in-process, cached on disk) →
 * Catalog. Keeps per-file facts so single files can be re-indexed, removed or renamed cheaply.
 */
export class WorkspaceIndexer {
  readonly root: string;
  private files = new FileStates();
  /** Facts per file; those served from the cache stay serialized (deferred) until something reads them. */
  private facts = new Map<string, FileFacts | DeferredFacts>();
  /** Files whose facts are not the cache's (transient failures): a persisted catalog must not stand for them. */
  private uncached = new Set<string>();
  private catalog = new IncrementalCatalog();
  /** The catalog on disk matches the current facts (nothing to write). */
  private catalogSaved = false;
  /** Running totals over all facts, so stats need no pass over every file. */
  private totals = { joins: 0, constants: 0, diagnostics: 0 };
  private context: ExtractContext = { dbtProjects: [] };
  private cache: FactsCache | undefined;
  private cacheFingerprint = '';
  private skipped: SkipSummary = newSkipSummary();
  private lastRun = { parsed: 0, fromCache: 0, catalogFromCache: false, durationMs: 0, discoverMs: 0, extractMs: 0, catalogMs: 0, usedWorkers: 0 };
  private built: IndexSnapshot | undefined;
  private search: SearchIndex | undefined;
  private readonly filter: PathFilter;
  private readonly listeners = new Set<(change: IndexChange) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  /** Operations running (a catalog is not persisted mid-operation: facts, cache and catalog may disagree then). */
  private busy = 0;
  private saving: Promise<void> | undefined;
  private readonly stopping = new Set<Promise<unknown>>();
  private disposed = false;

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

  /**
   * Catalog, facts and aggregates of the current state (computed once per change). The catalog is updated
   * incrementally (only relations the changed files touch are rebuilt); facts/joins/constants/diagnostics are
   * gathered on first access.
   */
  snapshot(): IndexSnapshot {
    if (this.built) return this.built;
    const started = Date.now();
    const catalog = this.catalog.snapshot();
    this.lastRun.catalogMs = Date.now() - started;
    const filesByKind = this.files.byKind();
    const columns = this.catalog.columnCount();
    const stats: IndexStats = {
      files: this.files.size,
      filesByKind,
      parsed: this.lastRun.parsed,
      fromCache: this.lastRun.fromCache,
      catalogFromCache: this.lastRun.catalogFromCache,
      skipped: this.skipped,
      tables: catalog.tables.length,
      columns,
      joinPairs: this.totals.joins,
      constantMaps: this.totals.constants,
      diagnostics: this.totals.diagnostics,
      conflicts: catalog.conflicts.length,
      durationMs: this.lastRun.durationMs,
      discoverMs: this.lastRun.discoverMs,
      extractMs: this.lastRun.extractMs,
      catalogMs: this.lastRun.catalogMs,
      usedWorkers: this.lastRun.usedWorkers,
    };
    // taken now (cheap: deferred facts stay serialized), so a later change does not leak into this snapshot
    this.built = lazySnapshot(catalog, [...this.facts.values()], stats);
    return this.built;
  }

  /** Facts of one file, if indexed. */
  factsFor(file: string): FileFacts | undefined {
    return this.factsOf(this.rel(file));
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
        if (bytes && !looksBinary(bytes)) index.addDocument(file, bytes);
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
    await this.saveCatalog().catch(() => undefined);
  }

  /** Writes what is pending, then lets go of the index (a disposed indexer holds no facts, cache or catalog). */
  async dispose(): Promise<void> {
    this.disposed = true; // operations queued before this still run; later ones are refused
    await this.flush();
    await Promise.all(this.stopping);
    this.listeners.clear();
    this.files = new FileStates();
    this.facts = new Map();
    this.uncached = new Set();
    this.catalog = new IncrementalCatalog();
    this.catalogSaved = false;
    this.totals = { joins: 0, constants: 0, diagnostics: 0 };
    this.cache = undefined;
    this.cacheFingerprint = '';
    this.built = undefined;
    this.search = undefined;
  }

  // ------------------------------------------------------------------ internals

  /** Runs operations one at a time so an update never interleaves with a full index. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('The workspace index of this folder was closed'));
    const run = async (): Promise<T> => {
      this.busy++;
      try {
        return await fn();
      } finally {
        this.busy--;
      }
    };
    const next = this.queue.then(run, run);
    // the queue must not hold the result (a whole snapshot) once the caller is done with it
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** Incremental changes are saved in one write a moment later, so a burst of edits costs one write. */
  private scheduleSave(delayMs = 2000): void {
    if (!this.options.cacheDir) return;
    if (this.saveTimer && delayMs === 0) clearTimeout(this.saveTimer);
    else if (this.saveTimer) return;
    // not queued behind updates (and not blocking them): the writer tolerates entries changing while it writes
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving ??= (this.cache?.save() ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => this.saveCatalog())
        .catch(() => undefined)
        .finally(() => (this.saving = undefined));
    }, delayMs);
    this.saveTimer.unref();
  }

  private rel(p: string): string {
    const abs = path.isAbsolute(p) ? p : path.join(this.root, p);
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  private changed(change: IndexChange): IndexChange {
    this.built = undefined;
    this.catalogSaved = false;
    for (const l of this.listeners) l(change);
    return change;
  }

  /** Drops a file, or every file under a folder; returns what was dropped. */
  private forget(rel: string): string[] {
    const dropped: string[] = [];
    const drop = (f: string): void => {
      this.files.delete(f);
      this.dropFacts(f);
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

  /** The layouts of dbt projects from their dbt_project.yml files (unreadable ones left out), in the order given. */
  private async loadProjects(dbtProjectFiles: string[]): Promise<Array<[string, DbtProjectLayout]>> {
    const projects: Array<[string, DbtProjectLayout]> = [];
    for (const f of dbtProjectFiles) {
      const text = await fsp.readFile(path.join(this.root, f), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const info = extractDbtProject(f, text).dbtProject!;
      const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
      const layout: DbtProjectLayout = { root: dir, name: info.name, modelPaths: info.modelPaths, seedPaths: info.seedPaths, snapshotPaths: info.snapshotPaths };
      if (info.modelConfigs.length) layout.modelConfigs = info.modelConfigs;
      if (info.seedConfigs.length) layout.seedConfigs = info.seedConfigs;
      if (info.snapshotConfigs.length) layout.snapshotConfigs = info.snapshotConfigs;
      const naming = await this.schemaNamingOf(dir, info.profile, info.macroPaths);
      if (naming) layout.schemaNaming = naming;
      projects.push([f, layout]);
    }
    return projects;
  }

  /** Whether the projects' schema naming (profiles.yml, generate_schema_name) is no longer what the layout says. */
  private async schemaNamingMoved(): Promise<boolean> {
    const projects = await this.loadProjects([...this.files.keys()].filter(isDbtProjectFile).sort());
    const naming = (layouts: readonly DbtProjectLayout[]): string => JSON.stringify(layouts.map((p) => [p.root, p.schemaNaming ?? null]));
    return naming(projects.map(([, p]) => p)) !== naming(this.context.dbtProjects);
  }

  /** Where dbt builds a project's relations, when its folder holds its profiles.yml (see dbtSchemaNaming.ts). */
  private async schemaNamingOf(dir: string, profile: string | undefined, macroPaths: string[]): Promise<DbtSchemaNaming | undefined> {
    const abs = path.join(this.root, dir);
    const profiles = await fsp.readFile(path.join(abs, 'profiles.yml'), 'utf8').catch(() => undefined);
    // the project's profile; else the schema the user set (a target of theirs, so not `prod`)
    const setting = this.options.dbtTargetSchema?.trim();
    const target = profiles !== undefined ? profileTarget(profiles, profile) : setting ? { name: '', schema: setting } : undefined;
    if (!target) return undefined;
    // the project's own generate_schema_name, if it has one (macro files mentioning it, a bounded number)
    const macros: string[] = [];
    for (const folder of macroPaths) {
      const dirAbs = path.join(abs, folder);
      if (path.relative(this.root, dirAbs).startsWith('..')) continue; // never outside the workspace
      const files = await sqlFilesUnder(dirAbs, MAX_MACRO_FILES);
      for (const file of files) {
        const text = await fsp.readFile(file, 'utf8').catch(() => '');
        if (text.includes('generate_schema_name')) macros.push(text);
      }
    }
    const custom = schemaNamingOf(macros, target.name);
    return custom ? { target: target.schema, custom } : undefined;
  }

  /** What the cached facts depend on besides the files: the extension version and the dbt layout. */
  private fingerprint(): string {
    return JSON.stringify([this.options.cacheKey ?? '', this.context]);
  }

  /** Whether the cache on disk was written for this version (what else it depends on is known after the walk). */
  private async cacheMayServe(): Promise<boolean> {
    const stored = await FactsCache.storedFingerprint(this.options.cacheDir);
    if (stored === undefined) return false;
    try {
      return (JSON.parse(stored) as unknown[])[0] === (this.options.cacheKey ?? '');
    } catch {
      return false;
    }
  }

  /** Drops streamed files the final list lacks (a walk that failed in the worker, then redone here, saw them). */
  private dropUnlisted(listed: DiscoveredFile[], files: Map<string, FileState>, facts: Map<string, FileFacts | DeferredFacts>, building: IncrementalCatalog): void {
    const keep = new Set(listed.map((f) => f.path));
    for (const file of [...files.keys()]) {
      if (keep.has(file)) continue;
      files.delete(file);
      facts.delete(file);
      building.removeFile(file);
    }
  }

  private async ensureCache(): Promise<void> {
    const fingerprint = this.fingerprint();
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
    const poolSize = this.options.workers ?? defaultPoolSize(availableParallelism());
    const pool = this.options.workerScript ? new WorkerPoolExtractor(this.options.workerScript, poolSize) : undefined;
    try {
      return await this.indexAllWith(pool, poolSize, run, started, check);
    } finally {
      // the workers are idle by now: they stop in the background (dispose() waits for them), not before the result
      if (pool) this.retire(pool.dispose());
    }
  }

  /** One file extracted in a worker started for it (its bundle loads off this thread too). */
  private async extractApart(task: FileTask): Promise<FileResult> {
    const pool = new WorkerPoolExtractor(this.options.workerScript!, 1);
    try {
      pool.setContext(this.context);
      let result: FileResult | undefined;
      await pool.run(this.root, [task], (r) => (result = r));
      return result ?? { path: task.path, outcome: 'unreadable' };
    } finally {
      this.retire(pool.dispose());
    }
  }

  /** Keeps track of workers stopping after a full index, so dispose() can wait for them. */
  private retire(stopping: Promise<void>): void {
    const p = stopping.catch(() => undefined).finally(() => this.stopping.delete(p));
    this.stopping.add(p);
  }

  private async indexAllWith(pool: WorkerPoolExtractor | undefined, poolSize: number, run: RunOptions, started: number, check: () => void): Promise<IndexSnapshot> {
    const discoveryOptions = { ...this.options.discovery, signal: run.signal };
    const stop = (): boolean => !!run.signal?.aborted;
    // With nothing cached that could be reused (a first index, or the first after an upgrade), files are extracted
    // while the walk goes on: the workers not walking would otherwise wait for the whole list.
    const streaming = !!pool && !this.cache && !(await this.cacheMayServe());
    let cache: FactsCache | undefined = streaming ? FactsCache.empty(this.options.cacheDir) : undefined;

    const files = new FileStates();
    const facts = new Map<string, FileFacts | DeferredFacts>();
    const uncached = new Set<string>();
    /** Files found unreadable or binary while extracting (discovery keeps its own). */
    const extractSkips = newSkipSummary();
    // files extracted now enter the catalog as they arrive (their DDL deserialized while the workers go on)
    const building = new IncrementalCatalog();
    const inCatalog = new Set<string>();
    let parsed = 0;
    let fromCache = 0;
    let done = 0;
    /** Files to extract: known once the walk is over (no progress is reported before, so it never runs backwards). */
    let total: number | undefined = undefined;
    let prebuilt = false;
    const prebuild = this.options.catalogPrebuild ?? { from: 2000, beforeEnd: 300 };
    const onResult = (r: FileResult): void => {
      const st = files.get(r.path)!;
      const got = this.accept(r, st, cache!, extractSkips);
      if (got.facts) facts.set(r.path, got.facts);
      else files.delete(r.path);
      if (got.facts && !got.cached) uncached.add(r.path);
      if (got.parsed) {
        parsed++;
        building.setFile({ file: r.path, ddl: ddlOfValue(got.facts!) });
        inCatalog.add(r.path);
        // (a first index only: every file's facts are then in the catalog being built)
        if (streaming && !prebuilt && total !== undefined && total >= prebuild.from && done >= total - prebuild.beforeEnd) {
          prebuilt = true;
          building.snapshot();
        }
      } else if (got.facts) fromCache++;
      done++;
      if (run.onProgress && total !== undefined && (done % 50 === 0 || done === total)) run.onProgress({ phase: 'extract', done, total });
    };

    /** Files to extract not yet handed to an extractor, and the pool's run once it has started. */
    const waiting: FileTask[] = [];
    let queued = 0;
    let extraction: ExtractionRun | undefined;
    let extractStarted = 0;
    const inProcessBelow = this.options.inProcessBelow ?? 200;
    const startPool = (): void => {
      extractStarted = Date.now();
      extraction = pool!.start(this.root, onResult, stop);
    };
    const hand = (tasks: FileTask[]): void => {
      queued += tasks.length;
      if (extraction) return extraction.add(tasks);
      for (const t of tasks) waiting.push(t);
      // a streamed walk starts the workers once there is enough work to be worth them (see inProcessBelow)
      if (streaming && waiting.length >= inProcessBelow) {
        startPool();
        extraction!.add(waiting.splice(0));
      }
    };
    /** Records discovered files and returns the tasks of those to extract (cache hits served when `useCache`). */
    const intake = (list: DiscoveredFile[], useCache: boolean): FileTask[] => {
      const tasks: FileTask[] = [];
      for (const f of list) {
        if (files.has(f.path)) continue; // a walk redone here after the worker's failed has streamed some already
        const kind = classifyFile(f.path, this.context);
        files.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, kind });
        if (!isExtractedKind(kind)) {
          facts.set(f.path, emptyFacts(f.path, kind));
          continue;
        }
        const hit = useCache ? cache!.deferredByStat(f.path, f.size, f.mtimeMs) : undefined;
        if (hit) {
          facts.set(f.path, hit);
          fromCache++;
        } else tasks.push({ path: f.path, kind, knownHash: useCache ? cache!.hashOf(f.path) : undefined, size: f.size });
      }
      return tasks;
    };

    // streamed folders are taken in walk order: a dbt project's dbt_project.yml is read before any file it holds
    const projects: Array<[string, DbtProjectLayout]> = [];
    let streamed: Promise<void> = Promise.resolve();
    let streamFailure: unknown;
    const onFiles = (list: DiscoveredFile[]): void => {
      streamed = streamed
        .then(async () => {
          const found = list.filter((f) => isDbtProjectFile(f.path)).map((f) => f.path);
          if (found.length) {
            projects.push(...(await this.loadProjects(found)));
            this.context = contextOf(projects);
            pool!.setContext(this.context);
          }
          hand(intake(list, false));
        })
        .catch((err: unknown) => void (streamFailure ??= err));
    };

    // a streamed walk builds the layout as it goes (the new pool's workers start without one); otherwise the last one
    // stands until the walk is over
    if (streaming) this.context = { dbtProjects: [] };
    const streamTo = streaming ? onFiles : undefined;
    let walkedHere = !pool;
    // in a worker when there is one (blocking I/O there is faster and blocks nothing), else here
    const discovered = pool
      ? await pool.discover(this.root, discoveryOptions, streamTo).catch(() => {
          walkedHere = true;
          return discoverFiles(this.root, { ...discoveryOptions, onFiles: streamTo });
        })
      : await discoverFiles(this.root, discoveryOptions);
    await streamed;
    if (streamFailure) throw streamFailure;
    const discoverMs = Date.now() - started;
    if (streaming) {
      // the layout in path order, as a start that reads it whole after the walk has it (the cache fingerprint)
      projects.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.context = contextOf(projects);
      this.cacheFingerprint = this.fingerprint();
      cache!.stamp(this.cacheFingerprint);
      this.cache = cache;
    } else {
      this.context = contextOf(await this.loadProjects(discovered.files.filter((f) => isDbtProjectFile(f.path)).map((f) => f.path)));
      await this.ensureCache();
      cache = this.cache!;
      hand(intake(discovered.files, true));
    }
    if (pool) pool.setContext(this.context);
    const store = cache!;

    total = queued;
    const useWorkers = !!extraction || (!!pool && waiting.length >= inProcessBelow);
    run.onProgress?.({ phase: 'extract', done, total });
    try {
      if (!extraction && useWorkers) startPool();
      if (extraction) {
        const runOfPool: ExtractionRun = extraction;
        runOfPool.add(waiting.splice(0));
        runOfPool.close();
        await runOfPool.done; // onProgress may abort: the pool stops handing out work and in-flight files finish
      } else {
        extractStarted = Date.now();
        const inProcess = new InProcessExtractor();
        inProcess.setContext(this.context);
        await inProcess.run(this.root, waiting.splice(0), onResult, stop).finally(() => inProcess.dispose());
      }
    } finally {
      if (run.signal?.aborted) await store.save().catch(() => undefined); // keep what was extracted
    }
    check();
    const skipped = mergeSkips(discovered.skipped, extractSkips);
    if (streaming && walkedHere) this.dropUnlisted(discovered.files, files, facts, building);
    store.retainOnly(new Set(files.keys())); // saved right after the result is out (below)
    this.files = files;
    this.facts = facts;
    this.uncached = uncached;
    // the persisted catalog, with the files changed since applied again, when every file's facts are the cache's
    const hashes = this.options.cacheDir ? this.fileHashesOf(files, uncached) : undefined;
    const restored = hashes ? await this.restoreCatalog(hashes) : undefined;
    if (!restored) for (const [file, v] of facts) if (!inCatalog.has(file)) building.setFile({ file, ddl: ddlOfValue(v) });
    this.catalog = restored?.catalog ?? building;
    this.catalogSaved = restored?.applied === 0;
    this.totals = { joins: 0, constants: 0, diagnostics: 0 };
    for (const f of facts.values()) this.count(f, 1);
    this.skipped = skipped;
    this.search = undefined;
    this.lastRun = { parsed, fromCache, catalogFromCache: !!restored, durationMs: 0, discoverMs, extractMs: Date.now() - extractStarted, catalogMs: 0, usedWorkers: useWorkers ? poolSize : 0 };
    run.onProgress?.({ phase: 'catalog', done: 0, total: 1 });
    this.built = undefined;
    this.snapshot();
    this.lastRun.durationMs = Date.now() - started;
    this.built!.stats.durationMs = this.lastRun.durationMs;
    run.onProgress?.({ phase: 'done', done: total, total });
    const snap = this.built!;
    // the facts cache and the catalog are written right after, off the path of this result (encoding the catalog
    // costs a few hundred ms at 10k files)
    this.scheduleSave(0);
    const change: IndexChange = { updated: [...files.keys()], removed: [], parsed };
    for (const l of this.listeners) l(change);
    return snap;
  }

  /** Turns one file's extraction result into facts (cached when new), or records why it was skipped. */
  private accept(r: FileResult, st: FileState, cache: FactsCache, skipped: SkipSummary): { facts?: FileFacts | DeferredFacts; parsed: boolean; cached?: boolean } {
    switch (r.outcome) {
      case 'unreadable':
      case 'binary':
        recordSkip(skipped, r.outcome, r.path);
        return { parsed: false };
      case 'unchanged': {
        const hit = cache.byHash(r.path, r.hash, st.size, st.mtimeMs);
        if (hit) return { facts: hit, parsed: false, cached: true };
        // the cached facts vanished between the hash check and now: shown, not cached, retried next time
        return { facts: transientFailure(r.path, st.kind, 'cached facts missing'), parsed: false };
      }
      case 'extracted': {
        // a pool failure is shown but never cached; anything else takes the packed form workers send, so facts read
        // the same whichever thread extracted them
        if (isTransientFailure(r.facts)) return { facts: compactFacts(r.facts), parsed: true, cached: false };
        return { facts: cache.setPacked(r.path, st.size, st.mtimeMs, r.hash, packFacts(r.facts, true)), parsed: true, cached: true };
      }
      case 'packed':
        return { facts: cache.setPacked(r.path, st.size, st.mtimeMs, r.hash, r.packed), parsed: true, cached: true };
    }
  }

  private setFacts(rel: string, facts: FileFacts | DeferredFacts, cached: boolean): void {
    const old = this.facts.get(rel);
    if (old) this.count(old, -1);
    this.facts.set(rel, facts);
    if (cached) this.uncached.delete(rel);
    else this.uncached.add(rel);
    this.count(facts, 1);
    this.catalog.setFile({ file: rel, ddl: ddlOfValue(facts) });
  }

  private dropFacts(rel: string): void {
    const old = this.facts.get(rel);
    if (!old) return;
    this.count(old, -1);
    this.facts.delete(rel);
    this.uncached.delete(rel);
    this.catalog.removeFile(rel);
  }

  /** A file's facts, deserialized from the cache on first access. */
  private factsOf(rel: string): FileFacts | undefined {
    const v = this.facts.get(rel);
    if (!(v instanceof DeferredFacts)) return v;
    const f = v.load();
    this.facts.set(rel, f);
    return f;
  }

  /** A file's DDL operations; facts still serialized are deserialized only that far. */
  private ddlOf(rel: string): DdlOperation[] {
    const v = this.facts.get(rel);
    return v ? ddlOfValue(v) : [];
  }

  private count(f: FileFacts | DeferredFacts, sign: 1 | -1): void {
    const c: FactsCounts = f instanceof DeferredFacts ? f.counts : countsOf(f);
    this.totals.joins += sign * c.joins;
    this.totals.constants += sign * c.constants;
    this.totals.diagnostics += sign * c.diagnostics;
  }

  /**
   * What the current facts are made from, for the persisted catalog: path + content hash of every extracted file,
   * sorted by path. Undefined when some file's facts are not the cache's (they could differ next time).
   */
  private fileHashesOf(files: Map<string, FileState>, uncached: Set<string>): Array<[string, string]> | undefined {
    if (uncached.size || !this.cache) return undefined;
    const pairs: Array<[string, string]> = [];
    for (const [file, st] of files) {
      if (!isExtractedKind(st.kind)) continue;
      const hash = this.cache.hashOf(file);
      if (hash === undefined) return undefined;
      pairs.push([file, hash]);
    }
    return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * The persisted catalog brought up to date with the current facts: files whose content hash moved since it was saved
   * are applied again, files gone are removed (the catalog rebuilds only the relations they touch). Undefined when there
   * is none, or when so much changed that building afresh is cheaper. Needs this.facts set.
   */
  private async restoreCatalog(hashes: Array<[string, string]>): Promise<{ catalog: IncrementalCatalog; applied: number } | undefined> {
    const saved = await loadCatalogState(this.options.cacheDir!, this.cacheFingerprint);
    if (!saved) return undefined;
    const current = new Set<string>();
    const changed: string[] = [];
    for (const [file, hash] of hashes) {
      current.add(file);
      if (saved.files.get(file) !== hash) changed.push(file);
    }
    const removed = [...saved.files.keys()].filter((f) => !current.has(f));
    if (changed.length + removed.length > Math.max(RESTORE_MAX_CHANGES, hashes.length / 10)) return undefined;
    const catalog = IncrementalCatalog.restore(saved.snapshot(), saved.index, (file) => this.ddlOf(file));
    for (const f of removed) catalog.removeFile(f);
    for (const f of changed) catalog.setFile({ file: f, ddl: this.ddlOf(f) });
    return { catalog, applied: changed.length + removed.length };
  }

  /** Persists the built catalog with what it was built from, so a warm start can skip rebuilding it. */
  private async saveCatalog(): Promise<void> {
    if (this.catalogSaved || !this.options.cacheDir) return;
    if (this.busy) return this.scheduleSave();
    const hashes = this.fileHashesOf(this.files, this.uncached);
    if (!hashes) return;
    const state = this.catalog.exportState();
    this.catalogSaved = true;
    await saveCatalogState(this.options.cacheDir, this.cacheFingerprint, hashes, state);
  }

  private async doUpdate(changedPaths: string[], notify = true): Promise<IndexChange> {
    const rels = [...new Set(changedPaths.map((p) => this.rel(p)))].filter((r) => r && !r.startsWith('..'));
    // layout changes re-classify everything: dbt_project.yml, .gitignore, and a profiles.yml or macro that moves where
    // dbt builds the project's relations
    const layout = rels.some((r) => /(^|\/)(dbt_project\.yml|\.gitignore)$/.test(r)) || (rels.some(mayNameSchemas) && (await this.schemaNamingMoved()));
    if (layout) {
      this.filter.reset();
      const before = new Set(this.files.keys());
      const snap = await this.doIndexAll({});
      const removed = [...before].filter((f) => !this.files.has(f));
      const updated = [...this.facts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { updated, removed, parsed: snap.stats.parsed };
    }
    const updated: string[] = [];
    const removed: string[] = [];
    await this.ensureCache();
    const cache = this.cache!;
    let parsed = 0;
    const maxSize = this.options.discovery?.maxFileSize ?? 5 * 1024 * 1024;
    const apartFrom = this.options.workerScript ? (this.options.updateInWorkerFrom ?? 256 * 1024) : Infinity;
    const apart: string[] = [];
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
          apart.push(...(sub.inWorker ?? []));
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
      const state: FileState = { size, mtimeMs, kind };
      this.files.set(rel, state);
      if (!isExtractedKind(kind)) {
        this.setFacts(rel, emptyFacts(rel, kind), true);
        updated.push(rel);
        continue;
      }
      const bytes = await fsp.readFile(path.join(this.root, rel)).catch(() => undefined);
      const task: FileTask = { path: rel, kind, knownHash: cache.hashOf(rel), size };
      let result: FileResult;
      if (!bytes) result = { path: rel, outcome: 'unreadable' };
      else if (bytes.byteLength >= apartFrom) {
        apart.push(rel);
        result = await this.extractApart(task);
        // a worker that could not start or died: here, as before; one that timed out would freeze this thread too,
        // so the file keeps the facts it had (retried at its next change)
        if (result.outcome === 'extracted' && isTransientFailure(result.facts)) {
          if (!isTimeoutFailure(result.facts)) result = runFileTask(this.root, task, this.context, bytes);
          else if (this.facts.has(rel)) continue;
        }
      } else result = runFileTask(this.root, task, this.context, bytes);
      const outcome = this.accept(result, state, cache, this.skipped);
      if (outcome.facts) {
        this.setFacts(rel, outcome.facts, !!outcome.cached);
        updated.push(rel);
        if (outcome.parsed) {
          parsed++;
          if (bytes && this.search && TEXT_KINDS_FOR_SEARCH(kind)) {
            if (looksBinary(bytes)) this.search.removeDocument(rel); // as a fresh build leaves it out
            else this.search.addDocument(rel, bytes);
          }
        }
      } else removed.push(...this.forget(rel));
    }
    this.lastRun.parsed = parsed;
    this.scheduleSave();
    const change: IndexChange = apart.length ? { updated, removed, parsed, inWorker: apart } : { updated, removed, parsed };
    return notify ? this.changed(change) : change;
  }
}

function ddlOfValue(v: FileFacts | DeferredFacts): DdlOperation[] {
  return v instanceof DeferredFacts ? v.ddl() : v.ddl;
}

/**
 * An IndexSnapshot whose per-file aggregates are gathered (in path order) on first access. Joins, constants and
 * diagnostics deserialize only the files that have some (the Problems panel reads diagnostics after every index).
 */
/** A file whose change may move where dbt builds relations: a profiles.yml, or a macro. */
const mayNameSchemas = (p: string): boolean => /(^|\/)profiles\.yml$/.test(p) || /(^|\/)macros\/.*\.sql$/.test(p);

/** Macro files read, at most, when looking for a project's generate_schema_name. */
const MAX_MACRO_FILES = 2000;

/** `.sql` files under a folder (never following links out of it), at most `limit`. */
async function sqlFilesUnder(folder: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (out.length >= limit) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && e.name.endsWith('.sql')) out.push(full);
    }
  };
  await walk(folder);
  return out;
}

function lazySnapshot(catalog: CatalogSnapshot, entries: Array<FileFacts | DeferredFacts>, stats: IndexStats): IndexSnapshot {
  const byPath = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  let ordered: Array<FileFacts | DeferredFacts> | undefined;
  const inOrder = (): Array<FileFacts | DeferredFacts> => (ordered ??= entries.slice().sort(byPath));
  const load = (v: FileFacts | DeferredFacts): FileFacts => (v instanceof DeferredFacts ? v.load() : v);
  const having = (count: keyof FactsCounts): FileFacts[] =>
    inOrder()
      .filter((v) => !(v instanceof DeferredFacts) || (v.counts[count] ?? 0) > 0)
      .map(load);
  let facts: FileFacts[] | undefined;
  let joins: JoinPair[] | undefined;
  let constants: ConstantMap[] | undefined;
  let diagnostics: ParseDiagnostic[] | undefined;
  return {
    catalog,
    stats,
    get facts() {
      return (facts ??= inOrder().map(load));
    },
    get joins() {
      // relationships to ORM entities of other files are placed on their tables once every file is read
      return (joins ??= resolveOrmEntities(
        having('joins').flatMap((f) => f.joins),
        having('entities').flatMap((f) => (f.entities ?? []).map((e) => ({ ...e, file: f.file }))),
      ));
    },
    get constants() {
      return (constants ??= having('constants').flatMap((f) => f.constants));
    },
    get diagnostics() {
      return (diagnostics ??= having('diagnostics').flatMap((f) => f.diagnostics));
    },
  };
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
