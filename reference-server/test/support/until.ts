import { setTimeout as delay } from 'node:timers/promises';

/**
 * Resolves once `condition` holds, checking it every few milliseconds: for states a test cannot
 * subscribe to (a counter of the server, a cooldown passing). The timeout is a failure bound only.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(10);
  }
}
