/**
 * The DescribeStatement loop and the retry loop, with the network and the clock injected so both are unit-testable.
 */
import type { CancellationSignal, StatementProgress } from '../../../core/ports';
import { DEFAULT_POLL, DEFAULT_RETRY, isTerminalStatus, jitteredBackoff, pollDelay, type PollPolicy, type RetryPolicy } from './backoff';
import { toProgressStatus, type DescribedStatement } from './resultMapping';

export type Sleep = (ms: number, signal?: CancellationSignal) => Promise<void>;

/** setTimeout-based sleep that ends early when `signal` aborts; it leaves no listener on the signal behind. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });

export interface PollDeps {
  describe(): Promise<DescribedStatement>;
  /** Sends CancelStatement; errors (e.g. already finished) are the caller's to swallow. */
  cancel(): Promise<void>;
  sleep: Sleep;
  now(): number;
}

export interface PollOptions {
  policy?: PollPolicy;
  signal?: CancellationSignal;
  onProgress?: (p: StatementProgress) => void;
}

/** After a cancel, CancelStatement is sent again this often while the statement still runs (a failed or refused one). */
export const CANCEL_RESEND_MS = 5_000;
/** After a cancel, how long to wait for the service to report the statement ended before giving the user back control. */
export const CANCEL_WAIT_MS = 60_000;

/**
 * Polls until FINISHED/FAILED/ABORTED. When the signal aborts it sends CancelStatement and keeps polling (from the
 * shortest delay again) until the service reports the final state, sending the cancel again every CANCEL_RESEND_MS
 * (the service can refuse it, or fail, and a statement can sit in UNKNOWN). Past CANCEL_WAIT_MS it stops waiting and
 * gives the statement as ABORTED, saying the warehouse had not confirmed the cancel.
 */
export async function pollToCompletion(deps: PollDeps, options: PollOptions = {}): Promise<DescribedStatement> {
  const policy = options.policy ?? DEFAULT_POLL;
  const start = deps.now();
  let attempt = 0;
  let cancelledAt: number | undefined;
  let lastCancel = 0;
  let cancelError: unknown;
  for (;;) {
    const now = deps.now();
    if (options.signal?.aborted && (cancelledAt === undefined || now - lastCancel >= CANCEL_RESEND_MS)) {
      if (cancelledAt === undefined) attempt = 0;
      cancelledAt ??= now;
      lastCancel = now;
      await deps.cancel().then(
        () => (cancelError = undefined),
        (err: unknown) => (cancelError = err),
      );
    }
    const d = await deps.describe();
    options.onProgress?.({ status: toProgressStatus(d.Status), elapsedMs: deps.now() - start });
    if (isTerminalStatus(d.Status)) return d;
    if (cancelledAt !== undefined && deps.now() - cancelledAt >= CANCEL_WAIT_MS) return unconfirmedCancel(d, cancelError, deps.now() - cancelledAt);
    await deps.sleep(pollDelay(attempt++, policy), cancelledAt !== undefined ? undefined : options.signal);
  }
}

function unconfirmedCancel(d: DescribedStatement, cancelError: unknown, waitedMs: number): DescribedStatement {
  const why = cancelError instanceof Error ? ` (CancelStatement: ${cancelError.message})` : '';
  const error =
    `Cancelled here, but Redshift had not confirmed it after ${Math.round(waitedMs / 1000)} s${why}: the statement ${d.Id ?? ''} ` +
    `was still ${d.Status ?? 'running'} and may still run on the warehouse.`;
  return { ...d, Status: 'ABORTED', Error: error };
}

export interface RetryOptions {
  policy?: RetryPolicy;
  sleep: Sleep;
  random?: () => number;
  signal?: CancellationSignal;
  /** Which errors are worth another attempt. */
  retryable(err: unknown): boolean;
  /** Called before each retry (logging, tests). */
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
}

export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= policy.maxAttempts || !options.retryable(err) || options.signal?.aborted) throw err;
      const delay = jitteredBackoff(attempt, policy, options.random);
      options.onRetry?.(err, attempt, delay);
      await options.sleep(delay, options.signal);
      // a cancel during the wait: no further attempt (it could submit the statement after the cancel)
      if (options.signal?.aborted) throw err;
    }
  }
}
