// setTimeout fires at once for delays beyond 2^31-1 ms (about 24.8 days), which a token's `exp` can
// lie beyond: the timer re-arms until the instant is reached.
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/** Calls `onExpiry` once `atMs` (epoch ms) has passed, never synchronously (SSE-12, WS-12); returns the cancel function. */
export function atInstant(atMs: number, onExpiry: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout;
  const schedule = (delayMs: number): void => {
    timer = setTimeout(check, Math.min(Math.max(delayMs, 0), LONGEST_TIMEOUT_MS));
    timer.unref();
  };
  const check = (): void => {
    const remaining = atMs - now();
    if (remaining <= 0) onExpiry();
    else schedule(remaining);
  };
  schedule(atMs - now());
  return () => clearTimeout(timer);
}
