import { Worker } from 'node:worker_threads';
import type { ExtractContext } from './classify';
import type { DiscoveredFile, DiscoveryOptions, DiscoveryResult } from './discovery';
import { runFileTaskAsync } from './fileTask';
import { emptyFacts, type FileFacts, type FileKind } from './facts';
import type { FileResult, FileTask, WorkerRequest, WorkerResponse } from './workerProtocol';

/** Reads, hashes and extracts files — in worker threads when a script is given, else in this thread. */
export interface Extractor {
  setContext(context: ExtractContext): void;
  /** Processes the tasks, calling onResult once per task in any order; stops handing out work once shouldStop() is true. */
  run(root: string, tasks: FileTask[], onResult: (r: FileResult) => void, shouldStop?: () => boolean): Promise<void>;
  dispose(): Promise<void>;
}

export class InProcessExtractor implements Extractor {
  private context: ExtractContext = { dbtProjects: [] };
  setContext(context: ExtractContext): void {
    this.context = context;
  }
  async run(root: string, tasks: FileTask[], onResult: (r: FileResult) => void, shouldStop?: () => boolean): Promise<void> {
    // a few reads in flight so the disk overlaps extraction
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < tasks.length && !shouldStop?.()) onResult(await runFileTaskAsync(root, tasks[next++]!, this.context));
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  }
  async dispose(): Promise<void> {}
}

/** A walk this long has stalled (a hung network mount); the indexer then walks the folder itself. */
const DISCOVERY_TIMEOUT_MS = 5 * 60_000;
/** Worker crashes tolerated before the pool gives up and extracts in-process. */
const MAX_WORKER_FAILURES = 3;
/**
 * A batch holds files up to this many bytes (at least one file) and at most BATCH_FILES of them: enough work that a
 * worker does not wait on the main thread between batches (it would, with a dozen small files), small enough that the
 * workers finish together.
 */
const BATCH_BYTES = 384 * 1024;
const BATCH_FILES = 48;
/** Batches queued per worker, so it never waits for the main thread. */
const BATCHES_IN_FLIGHT = 3;

interface Batch {
  id: number;
  tasks: FileTask[];
}

interface Slot {
  worker: Worker;
  batches: Batch[];
  /** A discovery this worker is running (it takes no batches meanwhile). */
  discovery?: PendingDiscovery;
  timer?: NodeJS.Timeout;
  /** The kind group this worker has been extracting (see affinityGroup). */
  group?: AffinityGroup;
}

interface PendingDiscovery {
  id: number;
  /** Files streamed so far (in walk order), and where they go. */
  streamed?: { files: DiscoveredFile[]; onFiles(files: DiscoveredFile[]): void };
  resolve(r: DiscoveryResult): void;
  reject(err: Error): void;
}

/** Extraction that takes files while it runs: what a walk still going on hands over. */
export interface ExtractionRun {
  /** More files to extract. */
  add(tasks: FileTask[]): void;
  /** No more files: `done` settles once every file added has its result. */
  close(): void;
  readonly done: Promise<void>;
}

interface Run {
  root: string;
  /** No more tasks will be added (see ExtractionRun). */
  closed: boolean;
  ended?: boolean;
  queue: TaskQueues;
  /** Files of a batch whose worker crashed or hung: each goes again alone, so the culprit is found. */
  suspects: FileTask[];
  remaining: number;
  onResult(r: FileResult): void;
  shouldStop?: () => boolean;
  finish(): void;
}

/**
 * A fixed pool of worker threads. Files go out in batches (paths only: the worker reads the file itself), a few
 * batches queued per worker, one answer per batch. A batch that crashes its worker or makes no progress for the
 * timeout is retried file by file on a fresh worker, so the one file responsible fails with a transient diagnostic.
 */
export class WorkerPoolExtractor implements Extractor {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private context: ExtractContext = { dbtProjects: [] };
  private disposed = false;
  private failures = 0;
  private current: Run | undefined;

  /** Workers start one at a time: the first can discover files while the others start (see discover, run). */
  constructor(
    private readonly script: string,
    private readonly size: number,
    private readonly taskTimeoutMs = 30_000,
  ) {
    this.slots.push(this.spawn());
  }

  /**
   * Walks the workspace in the first worker, whose blocking I/O is several times faster than the extension host's
   * asynchronous calls and blocks nothing; the other workers start meanwhile. Rejects if the worker fails.
   * With `onFiles`, files are handed over during the walk as discoverFiles' `onFiles` would (the other workers can
   * extract them meanwhile); the result holds them all either way, sorted by path.
   */
  discover(root: string, options: DiscoveryOptions, onFiles?: (files: DiscoveredFile[]) => void): Promise<DiscoveryResult> {
    this.spawnAll();
    const slot = this.slots[0]!;
    const { signal: _signal, syncIo: _syncIo, onFiles: _onFiles, ...plain } = options;
    return new Promise<DiscoveryResult>((resolve, reject) => {
      const id = this.nextId++;
      const timeoutMs = Math.max(this.taskTimeoutMs, DISCOVERY_TIMEOUT_MS);
      const timer = setTimeout(() => done(() => reject(new Error(`Discovery timed out after ${timeoutMs} ms`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        if (slot.discovery?.id === id) slot.discovery = undefined;
        settle();
      };
      const streamed = onFiles && { files: [] as DiscoveredFile[], onFiles };
      const finish = (r: DiscoveryResult): DiscoveryResult => (streamed ? { files: streamed.files.sort(byPath), skipped: r.skipped } : r);
      slot.discovery = { id, streamed, resolve: (r) => done(() => resolve(finish(r))), reject: (e) => done(() => reject(e)) };
      slot.worker.postMessage({ type: 'discover', id, root, options: plain, stream: !!streamed } satisfies WorkerRequest);
    });
  }

  setContext(context: ExtractContext): void {
    this.context = context;
    for (const s of this.slots) s.worker.postMessage({ type: 'context', context } satisfies WorkerRequest);
  }

  run(root: string, tasks: FileTask[], onResult: (r: FileResult) => void, shouldStop?: () => boolean): Promise<void> {
    const run = this.start(root, onResult, shouldStop);
    run.add(tasks);
    run.close();
    return run.done;
  }

  /** Starts a run that takes files as they come (one run at a time). */
  start(root: string, onResult: (r: FileResult) => void, shouldStop?: () => boolean): ExtractionRun {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const run: Run = { root, closed: false, queue: new TaskQueues([]), suspects: [], remaining: 0, onResult, shouldStop, finish };
    if (!this.disposed) {
      this.current = run;
      this.spawnAll();
    }
    return {
      add: (tasks) => {
        if (run.closed) throw new Error('Extraction run already closed');
        if (this.disposed || run.ended) {
          for (const t of tasks) onResult(failedResult(t, 'Indexer disposed'));
          return;
        }
        run.queue.add(tasks);
        run.remaining += tasks.length;
        if (this.current === run) for (const s of this.slots) this.pump(s);
      },
      close: () => {
        run.closed = true;
        if (run.remaining === 0 || this.disposed) this.end(run);
        else if (this.current === run) for (const s of this.slots) this.pump(s); // ends a cancelled run with nothing in flight
      },
      done,
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const s of this.slots) if (s.timer) clearTimeout(s.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  // ------------------------------------------------------------------ internals

  private spawnAll(): void {
    while (!this.disposed && this.slots.length < Math.max(1, this.size)) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = /\.[cm]?ts$/.test(this.script)
      ? new Worker(`require(${JSON.stringify(tsxRegister())}); require(${JSON.stringify(this.script)});`, { eval: true })
      : // a bundled script needs none of the parent's options (under a dev loader such as tsx, each worker would load it)
        new Worker(this.script, { execArgv: [] });
    const slot: Slot = { worker, batches: [] };
    worker.on('message', (msg: WorkerResponse) => this.received(slot, msg));
    worker.on('error', (err) => {
      slot.discovery?.reject(err);
      this.crashed(slot, `Index worker failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      slot.discovery?.reject(new Error(`Index worker exited with code ${code}`));
      if (!this.disposed && slot.batches.length) this.crashed(slot, `Index worker exited with code ${code}`);
    });
    worker.postMessage({ type: 'context', context: this.context } satisfies WorkerRequest);
    return slot;
  }

  /** Hands batches to a worker until it has enough queued (none while it walks the workspace). */
  private pump(slot: Slot): void {
    const run = this.current;
    if (!run || this.disposed) return;
    if (this.failures >= MAX_WORKER_FAILURES) return void this.fallBack(run);
    while (!slot.discovery && slot.batches.length < BATCHES_IN_FLIGHT && (run.suspects.length > 0 || run.queue.size > 0) && !run.shouldStop?.()) {
      let tasks: FileTask[];
      if (run.suspects.length) tasks = [run.suspects.shift()!];
      else {
        const others = this.slots.filter((s) => s !== slot).map((s) => s.group);
        const taken = run.queue.take(slot.group, others, BATCH_FILES, BATCH_BYTES);
        slot.group = taken.group;
        tasks = taken.tasks;
      }
      const batch: Batch = { id: this.nextId++, tasks };
      slot.batches.push(batch);
      slot.worker.postMessage({ type: 'batch', id: batch.id, root: run.root, files: tasks } satisfies WorkerRequest);
      if (!slot.timer) this.arm(slot);
    }
    // cancelled: finish once nothing is in flight
    if (run.shouldStop?.() && this.slots.every((s) => s.batches.length === 0)) this.end(run);
  }

  private received(slot: Slot, msg: WorkerResponse): void {
    if (msg.type === 'discoveredFiles') {
      const streamed = slot.discovery?.id === msg.id ? slot.discovery.streamed : undefined;
      if (streamed) {
        for (const f of msg.files) streamed.files.push(f);
        streamed.onFiles(msg.files);
      }
      return;
    }
    if (msg.type === 'discovered') {
      if (slot.discovery?.id !== msg.id) return;
      if (msg.result) slot.discovery.resolve(msg.result);
      else slot.discovery.reject(new Error(msg.error ?? 'Discovery failed'));
      this.pump(slot);
      return;
    }
    const batch = slot.batches[0];
    const run = this.current;
    if (!batch || batch.id !== msg.id || !run) return;
    slot.batches.shift();
    if (slot.batches.length) this.arm(slot);
    else if (slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    for (const r of msg.results) this.deliver(run, r);
    this.pump(slot);
  }

  private deliver(run: Run, r: FileResult): void {
    run.onResult(r);
    if (--run.remaining === 0 && run.closed) this.end(run);
  }

  private end(run: Run): void {
    if (run.ended) return;
    run.ended = true;
    if (this.current === run) this.current = undefined;
    run.finish();
  }

  /** (Re)starts the no-progress timer of a worker. */
  private arm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.crashed(slot, `${TIMED_OUT} after ${this.taskTimeoutMs} ms`, true), this.taskTimeoutMs);
    slot.timer.unref();
  }

  /**
   * A worker crashed or made no progress. Its batch in progress is retried file by file (suspects), or, when it held
   * one file, that file fails with a transient diagnostic; the batches it had not started go back to the queue.
   */
  private crashed(slot: Slot, message: string, timedOut = false): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.disposed) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    const [current, ...notStarted] = slot.batches;
    slot.batches = [];
    // only a failure pinned on one file counts towards giving up on workers (and one with no batch: a broken worker)
    if (!timedOut && (!current || current.tasks.length === 1)) this.failures++;
    void slot.worker.terminate().catch(() => undefined);
    const fresh = this.spawn();
    this.slots[i] = fresh;
    const run = this.current;
    if (!run) return;
    if (current?.tasks.length === 1) this.deliver(run, failedResult(current.tasks[0]!, message));
    else if (current) run.suspects.push(...current.tasks);
    run.queue.putBack(notStarted.flatMap((b) => b.tasks));
    if (this.current === run) for (const s of this.slots) this.pump(s);
  }

  /** Too many crashes: the remaining files are extracted in this thread. */
  private fallBack(run: Run): void {
    if (this.slots.some((s) => s.batches.length)) return; // let in-flight work drain (or crash) first
    const rest = [...run.suspects.splice(0), ...run.queue.drain()];
    const inProcess = new InProcessExtractor();
    inProcess.setContext(this.context);
    void inProcess.run(run.root, rest, (r) => this.deliver(run, r), run.shouldStop).then(() => {
      if (run.shouldStop?.()) this.end(run);
    });
  }
}

/**
 * Kinds whose extractors share code. A worker that keeps to one group runs code its JIT has already optimized for
 * that input (each worker thread compiles on its own), instead of every worker compiling every extractor.
 */
export type AffinityGroup = 'sql' | 'data' | 'code' | 'other';

export function affinityGroup(kind: FileKind): AffinityGroup {
  switch (kind) {
    case 'sql':
    case 'dbt-model':
    case 'dbt-snapshot':
    case 'mybatis':
      return 'sql';
    case 'dbt-yaml':
    case 'dbt-project':
    case 'dbt-seed':
    case 'csv':
    case 'dbt-artifact':
      return 'data';
    case 'php':
    case 'python':
    case 'typescript':
    case 'javascript':
    case 'java':
    case 'kotlin':
    case 'go':
    case 'csharp':
    case 'ruby':
    case 'prisma':
    case 'hibernate':
      return 'code';
    default:
      return 'other';
  }
}

/** Pending tasks by affinity group, each group in the order given. */
export class TaskQueues {
  private readonly groups = new Map<AffinityGroup, { tasks: FileTask[]; head: number }>();
  private count = 0;

  constructor(tasks: FileTask[]) {
    this.add(tasks);
  }

  /** Appends tasks to their groups. */
  add(tasks: FileTask[]): void {
    for (const t of tasks) this.queueOf(affinityGroup(t.kind)).tasks.push(t);
    this.count += tasks.length;
  }

  get size(): number {
    return this.count;
  }

  /**
   * A batch of one group, at most `maxFiles` files and `maxBytes` bytes (at least one file): from `prefer` while it has
   * any, else from the largest group no other worker is on (or the largest at all, so no worker idles while work is left).
   */
  take(prefer: AffinityGroup | undefined, others: Array<AffinityGroup | undefined>, maxFiles: number, maxBytes = Infinity): { group: AffinityGroup; tasks: FileTask[] } {
    let group = prefer && this.left(prefer) > 0 ? prefer : undefined;
    if (!group) {
      let best = -1;
      for (const [g] of this.groups) {
        const left = this.left(g);
        if (left === 0) continue;
        const score = (others.includes(g) ? 0 : 1 << 30) + left;
        if (score > best) [best, group] = [score, g];
      }
    }
    if (!group) return { group: prefer ?? 'other', tasks: [] };
    const q = this.groups.get(group)!;
    let end = q.head;
    let bytes = 0;
    while (end < q.tasks.length && end - q.head < maxFiles && (end === q.head || bytes + (q.tasks[end]!.size ?? 0) <= maxBytes)) bytes += q.tasks[end++]!.size ?? 0;
    const tasks = q.tasks.slice(q.head, end);
    q.head = end;
    this.count -= tasks.length;
    return { group, tasks };
  }

  /** Returns tasks to the front of their groups (a crashed worker's unfinished work). */
  putBack(tasks: FileTask[]): void {
    for (let i = tasks.length - 1; i >= 0; i--) {
      const q = this.queueOf(affinityGroup(tasks[i]!.kind));
      if (q.head > 0) q.tasks[--q.head] = tasks[i]!;
      else q.tasks.unshift(tasks[i]!);
    }
    this.count += tasks.length;
  }

  /** Everything still pending, emptying the queues. */
  drain(): FileTask[] {
    const out: FileTask[] = [];
    for (const q of this.groups.values()) {
      out.push(...q.tasks.slice(q.head));
      q.head = q.tasks.length;
    }
    this.count = 0;
    return out;
  }

  private left(g: AffinityGroup): number {
    const q = this.groups.get(g);
    return q ? q.tasks.length - q.head : 0;
  }

  private queueOf(g: AffinityGroup): { tasks: FileTask[]; head: number } {
    let q = this.groups.get(g);
    if (!q) this.groups.set(g, (q = { tasks: [], head: 0 }));
    return q;
  }
}

const byPath = (a: DiscoveredFile, b: DiscoveredFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

const TRANSIENT = 'Index worker: ';
const TIMED_OUT = 'Extraction timed out';

/** Facts standing for a file the index could not extract this time (see isTransientFailure). */
export function transientFailure(path: string, kind: FileKind, message: string): FileFacts {
  const f = emptyFacts(path, kind);
  f.diagnostics.push({ severity: 'error', message: TRANSIENT + message, file: path, line: 1, column: 1 });
  return f;
}

function failedResult(task: FileTask, message: string): FileResult {
  return { path: task.path, outcome: 'extracted', hash: '', facts: transientFailure(task.path, task.kind, message) };
}

/** Facts that stand for a pool failure (crash, timeout, restart): shown, but never cached. */
export function isTransientFailure(facts: FileFacts): boolean {
  return facts.diagnostics.some((d) => d.message.startsWith(TRANSIENT));
}

/** Facts that stand for a file its worker made no progress on (extracting it anywhere would take as long). */
export function isTimeoutFailure(facts: FileFacts): boolean {
  return facts.diagnostics.some((d) => d.message.startsWith(TRANSIENT + TIMED_OUT));
}

/**
 * A .ts worker entry (tests, bench, CLI under tsx) needs tsx inside the worker; on Node 20 `--import tsx` in the
 * worker's execArgv does not cover the entry file itself, so the worker is bootstrapped with tsx's require hook.
 */
function tsxRegister(): string {
  try {
    return require.resolve('tsx/cjs');
  } catch {
    return 'tsx/cjs';
  }
}

/**
 * Default pool size: every core on a machine with one or two (the workers hand the main thread a result only every
 * few ms, so it stays responsive), one spare core above that, at most four.
 */
export function defaultPoolSize(cores: number): number {
  return cores <= 2 ? Math.max(1, cores) : Math.min(4, cores - 1);
}
