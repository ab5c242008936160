import { Worker } from 'node:worker_threads';
import type { ExtractContext } from './classify';
import { extractFile } from './extractFile';
import { emptyFacts, type FileFacts, type FileKind } from './facts';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

/** Runs extractFile on bytes — in worker threads when a script is given, else in this thread. */
export interface Extractor {
  setContext(context: ExtractContext): void;
  extract(path: string, kind: FileKind, bytes: Uint8Array): Promise<FileFacts>;
  dispose(): Promise<void>;
}

export class InProcessExtractor implements Extractor {
  private context: ExtractContext = { dbtProjects: [] };
  setContext(context: ExtractContext): void {
    this.context = context;
  }
  async extract(path: string, kind: FileKind, bytes: Uint8Array): Promise<FileFacts> {
    return extractFile(path, bytes, this.context, kind);
  }
  async dispose(): Promise<void> {}
}

interface Pending {
  resolve(f: FileFacts): void;
  path: string;
  kind: FileKind;
  bytes: Uint8Array;
  timer?: NodeJS.Timeout;
}

/** Worker crashes tolerated before the pool gives up and extracts in-process. */
const MAX_WORKER_FAILURES = 3;

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** A fixed pool of worker threads; tasks go to the least-busy worker. A task that runs too long restarts its worker. */
export class WorkerPoolExtractor implements Extractor {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private context: ExtractContext = { dbtProjects: [] };
  private disposed = false;
  private failures = 0;
  private fallback: InProcessExtractor | undefined;

  constructor(
    private readonly script: string,
    size: number,
    private readonly taskTimeoutMs = 30_000,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = /\.[cm]?ts$/.test(this.script)
      ? new Worker(`require(${JSON.stringify(tsxRegister())}); require(${JSON.stringify(this.script)});`, { eval: true })
      : new Worker(this.script);
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (msg: WorkerResponse) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (p.timer) clearTimeout(p.timer);
      p.resolve(msg.facts);
    });
    const failAll = (message: string): void => {
      this.failures++;
      if (this.failures >= MAX_WORKER_FAILURES && !this.fallback) {
        this.fallback = new InProcessExtractor();
        this.fallback.setContext(this.context);
      }
      for (const [, p] of slot.pending) {
        if (p.timer) clearTimeout(p.timer);
        if (this.fallback) void this.fallback.extract(p.path, p.kind, p.bytes).then(p.resolve);
        else p.resolve(failed(p.path, p.kind, message));
      }
      slot.pending.clear();
      if (!this.disposed && !this.fallback) this.replace(slot);
    };
    worker.on('error', (err) => failAll(`Index worker failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.disposed && slot.pending.size) failAll(`Index worker exited with code ${code}`);
    });
    worker.postMessage({ type: 'context', context: this.context } satisfies WorkerRequest);
    return slot;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    void slot.worker.terminate().catch(() => undefined);
    this.slots[i] = this.spawn();
  }

  setContext(context: ExtractContext): void {
    this.context = context;
    this.fallback?.setContext(context);
    for (const s of this.slots) s.worker.postMessage({ type: 'context', context } satisfies WorkerRequest);
  }

  extract(path: string, kind: FileKind, bytes: Uint8Array): Promise<FileFacts> {
    if (this.disposed) return Promise.resolve(failed(path, kind, 'Indexer disposed'));
    if (this.fallback) return this.fallback.extract(path, kind, bytes);
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    // a copy goes to the worker (the original stays here for a retry if the worker dies)
    const buffer = bytes.slice().buffer as ArrayBuffer;
    return new Promise<FileFacts>((resolve) => {
      const p: Pending = { resolve, path, kind, bytes };
      p.timer = setTimeout(() => {
        slot.pending.delete(id);
        resolve(failed(path, kind, `Extraction timed out after ${this.taskTimeoutMs} ms`));
        // the worker may be stuck in a loop: replace it (its other tasks fail over with a diagnostic)
        const others = [...slot.pending.values()];
        slot.pending.clear();
        this.replace(slot);
        for (const o of others) {
          if (o.timer) clearTimeout(o.timer);
          o.resolve(failed(o.path, o.kind, 'Index worker restarted'));
        }
      }, this.taskTimeoutMs);
      p.timer.unref();
      slot.pending.set(id, p);
      slot.worker.postMessage({ type: 'extract', id, path, kind, bytes: buffer } satisfies WorkerRequest, [buffer]);
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}

const TRANSIENT = 'Index worker: ';

function failed(path: string, kind: FileKind, message: string): FileFacts {
  const f = emptyFacts(path, kind);
  f.diagnostics.push({ severity: 'error', message: TRANSIENT + message, file: path, line: 1, column: 1 });
  return f;
}

/** Facts that stand for a pool failure (crash, timeout, restart): shown, but never cached. */
export function isTransientFailure(facts: FileFacts): boolean {
  return facts.diagnostics.some((d) => d.message.startsWith(TRANSIENT));
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

/** Default pool size: one worker per spare core, at most two (the UI thread keeps a core). */
export function defaultPoolSize(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}
