/** Pure timing and error-classification helpers for polling and retries (no network, no clock). */

export interface PollPolicy {
  /** First DescribeStatement delay (ms). */
  initialMs: number;
  /** Multiplier per poll. */
  factor: number;
  /** Cap (ms). */
  maxMs: number;
}

export const DEFAULT_POLL: PollPolicy = { initialMs: 50, factor: 1.5, maxMs: 1000 };

/** Delay before poll number `attempt` (0-based): initial × factor^attempt, capped. */
export function pollDelay(attempt: number, policy: PollPolicy = DEFAULT_POLL): number {
  return Math.min(policy.maxMs, Math.round(policy.initialMs * Math.pow(policy.factor, attempt)));
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 200, maxMs: 5000 };

/** "Full jitter" backoff: uniform in [0, min(max, base × 2^attempt)]. `random` in [0,1). */
export function jitteredBackoff(attempt: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * Math.pow(2, attempt));
  return Math.floor(random() * ceiling);
}

const THROTTLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ActiveStatementsExceededException',
  'ActiveWaitingRequestsExceededException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);

function errName(err: unknown): string {
  return (err as { name?: string })?.name ?? '';
}

/** Service said "slow down" (or too many running statements): worth a later retry. */
export function isThrottle(err: unknown): boolean {
  return THROTTLE_CODES.has(errName(err));
}

/** The connection dropped before a full answer (reset, hang-up, timeout). */
export function isNetworkError(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (!e || typeof e !== 'object') return false;
  if (e.$metadata?.httpStatusCode) return false;
  if (NETWORK_CODES.has(e.code ?? '')) return true;
  return e.name === 'TimeoutError' || /socket hang up|ECONNRESET|network|aborted/i.test(e.message ?? '');
}

export type TerminalStatus = 'FINISHED' | 'FAILED' | 'ABORTED';

export function isTerminalStatus(s: string | undefined): s is TerminalStatus {
  return s === 'FINISHED' || s === 'FAILED' || s === 'ABORTED';
}
