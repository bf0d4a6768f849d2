// WebCrypto runs its work off the main thread: rows encrypted or decrypted a batch at a time go
// several times faster than one at a time, and a bounded batch keeps the promises in flight few.
const BATCH_ROWS = 256;

/** `transform` of every item, in order, a batch at a time; `onBatch` learns how many are done. */
export async function mapInBatches<T, U>(items: readonly T[], transform: (item: T) => Promise<U>, onBatch?: (done: number) => void): Promise<U[]> {
  const results: U[] = [];
  for (let start = 0; start < items.length; start += BATCH_ROWS) {
    results.push(...(await Promise.all(items.slice(start, start + BATCH_ROWS).map(transform))));
    onBatch?.(results.length);
  }
  return results;
}
