import { MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH } from '../../../spec/generated/constants.js';
import type { Change } from '../../../spec/generated/types.js';
import { isSameWriter, type Writer } from '../merge/field-meta.js';
import type { LocalDatabase, OutboxEntry, RejectedPush } from './local-database.js';
import type { RecordCache } from './record-cache.js';

/** Queued changes sent as one push, under one push id. */
export interface PushBatch {
  readonly pushId: string;
  readonly entries: readonly OutboxEntry[];
}

// Room left in a push body for the members around `changes` (clientId, pushId, since, ...).
const ENVELOPE_BYTES = 4096;

const encoder = new TextEncoder();

/**
 * The next push. A batch that was already sent (its entries carry a push id) is sent again exactly as
 * it was, with the same push id, also after a reload (PUSH-10, PUSH-8); otherwise the oldest queued
 * changes, within MAX_CHANGES_PER_PUSH and MAX_BODY_BYTES (PUSH-14), get a fresh push id.
 */
export async function takePushBatch(db: LocalDatabase): Promise<PushBatch | undefined> {
  return db.dexie.transaction('rw', db.outbox, async () => {
    const head = await db.outbox.orderBy('seq').limit(MAX_CHANGES_PER_PUSH).toArray();
    const first = head[0];
    if (first === undefined) return undefined;
    if (first.pushId !== undefined) {
      const pushId = first.pushId;
      const end = head.findIndex((entry) => entry.pushId !== pushId);
      return { pushId, entries: end === -1 ? head : head.slice(0, end) };
    }
    const pushId = crypto.randomUUID();
    const entries: OutboxEntry[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const entry of head) {
      bytes += encoder.encode(JSON.stringify(entry.change)).length + 1;
      // A single change over the limit still goes alone: the server's 413 then surfaces it.
      if (bytes > MAX_BODY_BYTES && entries.length > 0) break;
      entries.push({ ...entry, pushId });
    }
    await db.outbox.bulkPut(entries);
    return { pushId, entries };
  });
}

/**
 * Once a push is settled (stored, or refused for good), its fields are no longer pending: a later
 * incoming write that beats them is not a lost local edit (LWW-16). A field that was written again
 * since stays pending under its newer stamp.
 */
export async function releasePending(cache: RecordCache, changes: readonly Change[], self: Writer): Promise<void> {
  await cache.load(changes);
  for (const change of changes) {
    const record = cache.get(change.table, change.id);
    if (record === undefined) continue;
    const settled = Object.entries(change.fields ?? {}).filter(([field, pushed]) => {
      const held = record.meta[field];
      return held !== undefined && isSameWriter(held, self) && held.at === pushed.at && held.c === pushed.c;
    });
    if (settled.length === 0) continue;
    const names = new Set(settled.map(([field]) => field));
    cache.set(change.table, { ...record, pending: record.pending.filter((field) => !names.has(field)) });
  }
}

export async function removeFromOutbox(db: LocalDatabase, batch: PushBatch): Promise<void> {
  await db.outbox.bulkDelete(batch.entries.map((entry) => entry.seq!));
}

/** ERR-10: a push refused with a status that forbids resending it leaves the queue for `$rejected`. */
export async function setAsideRejected(db: LocalDatabase, batch: PushBatch, refusal: Pick<RejectedPush, 'status' | 'code' | 'message'>): Promise<RejectedPush> {
  await removeFromOutbox(db, batch);
  const rejected: RejectedPush = {
    pushId: batch.pushId,
    changes: batch.entries.map((entry) => entry.change),
    ...refusal,
    rejectedAt: new Date().toISOString(),
  };
  rejected.seq = await db.rejected.add(rejected);
  return rejected;
}
