/** Collects what a fake server sees, and lets a test await the n-th item instead of sleeping. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { count: number; resolve: (items: T[]) => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.items.length < waiter.count) return true;
      waiter.resolve(this.items);
      return false;
    });
  }

  /** Resolves once `count` items were recorded (the test's timeout bounds the wait). */
  whenCount(count: number): Promise<T[]> {
    if (this.items.length >= count) return Promise.resolve(this.items);
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}
