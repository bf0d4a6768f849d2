import type { Change, FieldChange } from '../../../spec/generated/types.js';
import { DELETED_AT_FIELD, isSameWriter, wireStampOf, type FieldMeta, type Writer } from '../merge/field-meta.js';
import { loadClock, saveClock } from './client-state.js';
import type { OutboxEntry, StoredRecord } from './local-database.js';
import type { PushBatch } from './outbox.js';
import { RecordCache } from './record-cache.js';
import type { StoreContext } from './store-context.js';

type WireStamp = { readonly at: string; readonly c: number };

function deletionValue(change: Change, field: string, stamp: WireStamp, value: unknown): unknown {
  return change.op === 'delete' && field === DELETED_AT_FIELD ? stamp.at : value;
}

/** The change as if written at `stamp`; a delete's `deletedAt` is the instant of its stamp (LWW-13). */
function restampChange(change: Change, stamp: WireStamp): Change {
  const fields: Record<string, FieldChange> = {};
  for (const [name, field] of Object.entries(change.fields ?? {})) {
    fields[name] = { ...field, value: deletionValue(change, name, stamp, field.value), ...stamp };
  }
  return { ...change, fields, ...(change.op === 'delete' ? { deletedAt: stamp.at } : {}) };
}

/**
 * Moves the record's fields that still hold this writer's write of `refused` (same stamp) to the new
 * stamp. A field held by another writer's write since is left as it is; one written again by this
 * writer follows the later change, which is stamped again in its turn.
 */
function restampRecord(record: StoredRecord, refused: Change, stamp: WireStamp, self: Writer): StoredRecord {
  const meta: Record<string, FieldMeta> = { ...record.meta };
  const values = { ...record.values };
  for (const [name, write] of Object.entries(refused.fields ?? {})) {
    const held = meta[name];
    if (held === undefined || !isSameWriter(held, self) || held.at !== write.at || held.c !== write.c) continue;
    const value = deletionValue(refused, name, stamp, held.value);
    meta[name] = { ...held, value, ...stamp };
    if (value !== held.value) values[name] = value;
  }
  return { ...record, meta, values };
}

/**
 * LWW-18: after a push was refused with 422 LWW_CLOCK_AHEAD, in one transaction: the clock is
 * repaired (clock-repair.ts); the refused push's changes, and every change queued after them, are
 * stamped again in their order from the repaired clock, the refused ones under a new push id; and the
 * local records follow, so that each field's stamp is the one that will be pushed and the push's
 * acknowledgement releases it (LWW-16). The changes queued after the refused push were never sent,
 * and none can keep its stamp: one issued by the runaway clock is ahead too and would be refused in
 * turn, and any other now sorts below the refused writes' new stamps although written after them, so
 * that an older write of a field would win over a newer one. Returns the batch to push, or undefined
 * when the refused push is no longer queued (another tab of the same database repaired it first).
 */
export async function restampRefusedPush(ctx: StoreContext, refused: PushBatch): Promise<PushBatch | undefined> {
  const { db, self } = ctx;
  return db.dexie.transaction('rw', [...db.tableNames.map((table) => db.records(table)), db.outbox, db.state], async () => {
    const queued = await db.outbox.orderBy('seq').toArray();
    const start = queued.findIndex((entry) => entry.pushId === refused.pushId);
    if (start === -1) return undefined;
    const clock = await loadClock(db, ctx.wallClock);
    clock.repair();
    const pushId = crypto.randomUUID();
    const cache = new RecordCache(db);
    const pending = queued.slice(start);
    await cache.load(pending.map((entry) => entry.change));

    const rewritten = pending.map((entry): OutboxEntry => {
      const stamp = wireStampOf(clock.now());
      const record = cache.get(entry.change.table, entry.change.id);
      if (record !== undefined) cache.set(entry.change.table, restampRecord(record, entry.change, stamp, self));
      return { ...entry, change: restampChange(entry.change, stamp), ...(entry.pushId === refused.pushId ? { pushId } : {}) };
    });
    await db.outbox.bulkPut(rewritten);
    await cache.flush();
    await saveClock(db, clock);
    return { pushId, entries: rewritten.filter((entry) => entry.pushId === pushId) };
  });
}
