import { setTimeout as delay } from 'node:timers/promises';
import { STORE_TIMEOUT_SECONDS } from '../../../spec/generated/constants.js';
import type { Queryable } from '../db/database.js';
import { SyncError } from '../errors.js';

// Readers return only transactions below the snapshot's xmin (Appendix C), so a committed push is
// readable only once every transaction that started before it has ended. A push is answered, and
// its live notifications sent, only from then on (PUSH-17, PUSH-18): a device that pulls right after
// another device's acknowledged push, or after a notification, finds the change.

/** Resolves once `txid` lies below the read horizon; 503 STORE_UNAVAILABLE if that takes too long. */
export async function waitUntilReadable(db: Queryable, txid: string, timeoutMs = STORE_TIMEOUT_SECONDS * 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 50)) {
    const [row] = await db.query<{ readable: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS readable', [txid]);
    if (row!.readable) return;
    if (Date.now() >= deadline) {
      throw new SyncError('STORE_UNAVAILABLE', 'the push is stored but an older transaction keeps it from being readable; retry with the same pushId');
    }
    await delay(pauseMs);
  }
}
