/**
 * The DescribeStatement loop and the retry loop, with the network and the clock injected so both are unit-testable.
 */
import type { CancellationSignal, StatementProgress } from '../../../core/ports';
import { DEFAULT_POLL, DEFAULT_RETRY, isTerminalStatus, jitteredBackoff, pollDelay, type PollPolicy, type RetryPolicy } from './backoff';
import { toProgressStatus, type DescribedStatement } from './resultMapping';

export type Sleep = (ms: number, signal?: CancellationSignal) => Promise<void>;

/** setTimeout-based sleep that ends early when `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
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

/**
 * Polls until FINISHED/FAILED/ABORTED. When the signal aborts it sends CancelStatement once and keeps polling
 * (from the shortest delay again) until the service reports the final state.
 */
export async function pollToCompletion(deps: PollDeps, options: PollOptions = {}): Promise<DescribedStatement> {
  const policy = options.policy ?? DEFAULT_POLL;
  const start = deps.now();
  let attempt = 0;
  let cancelSent = false;
  for (;;) {
    if (options.signal?.aborted && !cancelSent) {
      cancelSent = true;
      attempt = 0;
      await deps.cancel().catch(() => undefined);
    }
    const d = await deps.describe();
    options.onProgress?.({ status: toProgressStatus(d.Status), elapsedMs: deps.now() - start });
    if (isTerminalStatus(d.Status)) return d;
    await deps.sleep(pollDelay(attempt++, policy), cancelSent ? undefined : options.signal);
  }
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
    }
  }
}
