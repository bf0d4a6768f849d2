import { ClientError, isClientError } from '../errors.js';

/** Exponential backoff for network failures and 5xx answers (ERR-10). */
export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts of one request before its failure is reported (the live loops keep going). */
  readonly maxAttempts: number;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 6 };

/** Waits, or rejects with SYNC_STOPPED as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function stoppedError(): ClientError {
  return new ClientError('SYNC_STOPPED', 'the operation was cancelled by stop()', { retryable: false });
}

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(stoppedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(stoppedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The delay before retry number `attempt` (0 for the first): the exponential step capped at
 * maxDelayMs, of which a random half is waited off, so that clients that failed together (a server
 * restart) do not come back together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + ((policy.random ?? Math.random)() * step) / 2);
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
}

/**
 * Runs a request until it succeeds, retrying what ERR-10 says to retry: a retryable ClientError
 * (network failure, 5xx, 429) after its `Retry-After` when the server sent one, else after the
 * backoff delay. Anything else, and the last failure, is thrown.
 */
export async function withRetry<T>(operation: () => Promise<T>, { policy, sleep, signal }: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw stoppedError();
    try {
      return await operation();
    } catch (error) {
      if (signal?.aborted) throw stoppedError();
      if (!isClientError(error) || !error.retryable || attempt + 1 >= policy.maxAttempts) throw error;
      await sleep(error.retryAfterMs ?? backoffDelay(policy, attempt), signal);
    }
  }
}
