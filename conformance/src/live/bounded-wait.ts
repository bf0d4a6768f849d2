/**
 * Waits for a condition over state that grows as events arrive (SSE events, WebSocket frames):
 * `changed()` re-evaluates every pending wait; the time limit is a failure bound, never the way
 * to wait for something.
 */
export class ChangeSignal {
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Resolves with the first defined value of `probe`, evaluated now and at every change; after
   * `withinMs`, or when `signal` aborts, rejects with what `onTimeout` throws.
   */
  until<T>(probe: () => T | undefined, withinMs: number, onTimeout: () => Error, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(evaluate);
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      const evaluate = () => {
        try {
          const value = probe();
          if (value !== undefined) finish(() => resolve(value));
        } catch (error) {
          finish(() => reject(error instanceof Error ? error : new Error(String(error))));
        }
      };
      const onAbort = () => finish(() => reject(signal.reason as Error));
      const timer = setTimeout(() => finish(() => reject(onTimeout())), withinMs);
      this.waiters.add(evaluate);
      signal.addEventListener('abort', onAbort, { once: true });
      evaluate();
    });
  }
}
