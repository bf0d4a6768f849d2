/**
 * Wakes whoever waits for something to arrive (a record applied by a client, a frame on a socket, a
 * stream opened). A wait re-evaluates its probe at every arrival; its time limit is a failure bound
 * only, never the way to wait for something.
 */
export class ArrivalSignal {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The first defined value of `probe`, evaluated now and after every arrival; undefined once `withinMs` passed. */
  async eventually<T>(probe: () => T | undefined | Promise<T | undefined>, withinMs: number): Promise<T | undefined> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      // Registered before the probe runs, so that an arrival during the probe is not missed.
      let arrived = false;
      let wake: () => void = () => (arrived = true);
      const waiter = (): void => wake();
      this.waiters.add(waiter);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const value = await probe();
        if (value !== undefined) return value;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        if (!arrived) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, left);
          });
        }
      } finally {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      }
    }
  }
}
