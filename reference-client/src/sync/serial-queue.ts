/**
 * Runs tasks one at a time, in the order they were queued. Pushes, pulls and stream events all move
 * the same cursors and touch the same records; running them one after another keeps every cursor
 * write ordered after the changes it covers.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    let tail;
    do {
      tail = this.tail;
      await tail;
    } while (tail !== this.tail);
  }
}
