import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  CancellationSignal,
  EngineCatalogTable,
  ExecuteOptions,
  QueryEngine,
  ResultColumn,
  ResultPage,
  StatementOutcome,
  StatementProgress,
} from '../../core/ports';
import type { EmbeddedEngineOptions } from './embeddedEngine';
import type { EmbeddedLoadReport } from './loadReport';
import type {
  EmbeddedWorkerMessage,
  EmbeddedWorkerOp,
  EmbeddedWorkerOptions,
  EmbeddedWorkerRequest,
  EmbeddedWorkerResults,
} from './workerProtocol';

export interface WorkerEmbeddedEngineOptions extends EmbeddedEngineOptions {
  /** The worker entry: dist/embeddedWorker.js in the bundle, or src/adapters/embedded/embeddedWorker.ts under tsx. */
  workerScript: string;
}

type RequestBody = EmbeddedWorkerRequest extends infer R ? (R extends EmbeddedWorkerRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  body: RequestBody;
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: StatementProgress) => void;
  /** Read-only requests are re-sent once to a fresh worker when another call's cancellation killed theirs. */
  resent?: boolean;
}

interface Live {
  worker: Worker;
  generation: number;
  pending: Map<number, Pending>;
  /** Set once the worker is terminated on purpose or has exited: its exit is then no crash. */
  ended: boolean;
  lastError?: string;
}

/** Why a worker's results are gone, by worker generation. */
type DeathReason = 'cancel' | 'crash';

const DISPOSED_ERROR = 'Embedded engine has been disposed.';
const READ_ONLY_OPS: ReadonlySet<EmbeddedWorkerOp> = new Set(['listSchemas', 'listTables', 'describeTable', 'loadReport']);
/** Statement ids remembered to explain a lost result; older ids just get "unknown id". */
const MAX_REMEMBERED_IDS = 10_000;
const DISPOSE_GRACE_MS = 2_000;

class WorkerStoppedError extends Error {
  constructor(
    message: string,
    readonly reason: DeathReason,
  ) {
    super(message);
  }
}

/**
 * The embedded engine run in a worker thread, so PGlite's synchronous WASM work never freezes the extension host.
 *
 * Cancellation is real: aborting a running execute terminates the worker, which stops the statement at once; the
 * outcome is ABORTED and the next call starts a fresh worker (from the cacheDir snapshot, then reloading the workspace).
 * Results held by a stopped worker are gone; fetchPage says so. A crashed worker fails its pending calls with a clear
 * error (execute resolves FAILED, the others reject) and is likewise replaced on the next call.
 */
export class WorkerEmbeddedEngine implements QueryEngine {
  readonly label: string;
  readonly isLocal = true;
  private readonly workerScript: string;
  private readonly workerOptions: EmbeddedWorkerOptions;
  private live?: Live;
  private generation = 0;
  private nextId = 1;
  private disposed = false;
  private retiring = false;
  private readonly statementGeneration = new Map<string, number>();
  private readonly deadGenerations = new Map<number, DeathReason>();

  constructor(private readonly options: WorkerEmbeddedEngineOptions) {
    this.label = options.label ?? 'Embedded (local PGlite)';
    const { logger: _logger, workerScript, ...rest } = options;
    void _logger;
    this.workerScript = workerScript;
    // A fresh worker after a cancel restores the initialised database instead of running initdb again.
    this.workerOptions = { ...rest, cacheDir: rest.cacheDir ?? path.join(tmpdir(), 'quarry-pglite-cache') };
  }

  /** How many workers have been started (1 after the first call; each cancel or crash adds one on the next call). */
  get workersStarted(): number {
    return this.generation;
  }

  async execute(sql: string | string[], options: ExecuteOptions = {}): Promise<StatementOutcome> {
    const started = Date.now();
    const { signal, onProgress } = options;
    const local = (status: StatementOutcome['status'], error?: string): StatementOutcome => {
      onProgress?.({ status, elapsedMs: Date.now() - started });
      return { id: randomUUID(), status, ...(error ? { error } : {}), hasResultSet: false, durationMs: Date.now() - started };
    };
    if (this.disposed) return local('FAILED', `Embedded engine could not start: ${DISPOSED_ERROR}`);
    if (signal?.aborted) return local('ABORTED');

    const live = this.current();
    const { id, promise } = this.send(live, { op: 'execute', sql, parameters: options.parameters }, onProgress);
    let settled = false;
    signal?.addEventListener('abort', () => {
      // Only a call still running in this worker is worth a restart.
      if (!settled && live.pending.has(id)) this.stop(live, 'cancel', 'the engine was restarted to stop a cancelled query, so this call did not complete');
    });
    try {
      const outcome = (await promise) as StatementOutcome;
      this.remember(outcome, live.generation);
      return outcome;
    } catch (err) {
      if (signal?.aborted) return local('ABORTED');
      return local('FAILED', err instanceof Error ? err.message : String(err));
    } finally {
      settled = true;
    }
  }

  async fetchPage(statementId: string, nextToken?: string, signal?: CancellationSignal): Promise<ResultPage> {
    void signal;
    if (this.disposed) throw new Error(DISPOSED_ERROR);
    const generation = this.statementGeneration.get(statementId);
    const reason = generation === undefined ? undefined : this.deadGenerations.get(generation);
    if (reason) {
      const why = reason === 'cancel'
        ? 'a later query was cancelled, which restarts the embedded engine'
        : 'the embedded engine worker stopped unexpectedly and was restarted';
      throw new Error(`The result of statement ${statementId} is no longer available: ${why}. Run the query again.`);
    }
    return this.call({ op: 'fetchPage', statementId, nextToken });
  }

  listSchemas(): Promise<string[]> {
    return this.call({ op: 'listSchemas' });
  }

  listTables(schema: string): Promise<EngineCatalogTable[]> {
    return this.call({ op: 'listTables', schema });
  }

  describeTable(schema: string, table: string): Promise<ResultColumn[]> {
    return this.call({ op: 'describeTable', schema, table });
  }

  /** Starts the worker and loads the workspace; the report of the current worker (a restarted one loads again). */
  loadReport(): Promise<EmbeddedLoadReport> {
    return this.call({ op: 'loadReport' });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const live = this.live;
    this.live = undefined;
    if (!live || live.ended) return;
    if (live.pending.size === 0) {
      // An idle worker closes PGlite itself; a busy one (or one that does not answer) is simply terminated.
      const { promise } = this.send(live, { op: 'dispose' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([promise.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, DISPOSE_GRACE_MS)))]);
      clearTimeout(timer);
    }
    this.stop(live, 'cancel', DISPOSED_ERROR);
  }

  private call<K extends Exclude<EmbeddedWorkerOp, 'execute' | 'dispose'>>(body: Extract<RequestBody, { op: K }>): Promise<EmbeddedWorkerResults[K]> {
    if (this.disposed) return Promise.reject(new Error(DISPOSED_ERROR));
    return this.send(this.current(), body).promise as Promise<EmbeddedWorkerResults[K]>;
  }

  private current(): Live {
    if (!this.live || this.live.ended) this.live = this.spawn();
    return this.live;
  }

  private spawn(): Live {
    const generation = ++this.generation;
    const script = this.workerScript;
    const worker = /\.[cm]?ts$/.test(script)
      ? new Worker(`require(${JSON.stringify(tsxRegister())}); require(${JSON.stringify(script)});`, { eval: true, workerData: this.workerOptions })
      : new Worker(script, { workerData: this.workerOptions });
    const live: Live = { worker, generation, pending: new Map(), ended: false };
    worker.unref();
    worker.on('message', (msg: EmbeddedWorkerMessage) => this.onMessage(live, msg));
    worker.on('error', (err) => {
      live.lastError = err.message;
    });
    worker.on('exit', (code) => {
      if (live.ended) return;
      const detail = live.lastError ?? `exit code ${code}`;
      this.options.logger?.error(`${this.label}: the engine worker stopped unexpectedly (${detail}); the next call starts a new one.`);
      this.stop(live, 'crash', `the embedded engine worker stopped unexpectedly (${detail}); the next call starts a new one`);
    });
    if (generation > 1) this.options.logger?.info(`${this.label}: starting engine worker #${generation}.`);
    return live;
  }

  private onMessage(live: Live, msg: EmbeddedWorkerMessage): void {
    if (msg.kind === 'log') {
      this.options.logger?.[msg.level](msg.message);
      return;
    }
    const p = live.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    live.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new Error(msg.error));
    if (live.pending.size === 0) {
      live.worker.unref();
      if (this.retiring) void this.dispose();
    }
  }

  /**
   * Disposes once the calls in flight have settled: a query started just before the workspace changed under the
   * engine still finishes on it (its replacement takes the next ones).
   */
  retire(): void {
    this.retiring = true;
    if (!this.live || this.live.pending.size === 0) void this.dispose();
  }

  private send(live: Live, body: RequestBody, onProgress?: (p: StatementProgress) => void, resent = false): { id: number; promise: Promise<unknown> } {
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      live.pending.set(id, { body, resolve, reject, onProgress, resent });
    });
    // Keep the process alive only while the worker has work (an idle engine must not hold a CLI run open).
    live.worker.ref();
    live.worker.postMessage({ ...body, id } as EmbeddedWorkerRequest);
    return { id, promise };
  }

  /** Ends a worker: terminates it, and settles its pending calls (read-only ones move to a fresh worker after a cancel). */
  private stop(live: Live, reason: DeathReason, why: string): void {
    if (live.ended) return;
    live.ended = true;
    if (this.live === live) this.live = undefined;
    this.deadGenerations.set(live.generation, reason);
    const stopping = performance.now();
    void live.worker.terminate().then(
      () => this.options.logger?.debug(`${this.label}: engine worker #${live.generation} stopped ${Math.round(performance.now() - stopping)} ms after terminate.`),
      () => undefined,
    );
    const pending = [...live.pending.values()];
    live.pending.clear();
    for (const p of pending) {
      if (reason === 'cancel' && !this.disposed && !p.resent && READ_ONLY_OPS.has(p.body.op)) {
        this.send(this.current(), p.body, p.onProgress, true).promise.then(p.resolve, p.reject);
        continue;
      }
      const message = why === DISPOSED_ERROR ? DISPOSED_ERROR : `Embedded engine: ${why}.`;
      p.reject(new WorkerStoppedError(message, reason));
    }
  }

  private remember(outcome: StatementOutcome, generation: number): void {
    const ids = [outcome.id, ...(outcome.subStatements ?? []).map((s) => s.id)];
    for (const id of ids) this.statementGeneration.set(id, generation);
    while (this.statementGeneration.size > MAX_REMEMBERED_IDS) {
      this.statementGeneration.delete(this.statementGeneration.keys().next().value as string);
    }
  }
}

/** A .ts worker entry (tests, CLI under tsx) is bootstrapped with tsx's require hook; see core/workspace/workerPool. */
function tsxRegister(): string {
  try {
    return require.resolve('tsx/cjs');
  } catch {
    return 'tsx/cjs';
  }
}
