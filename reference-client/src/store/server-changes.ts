import type { ServerChange } from '../../../spec/generated/types.js';
import { DELETED_AT_FIELD, hlcOf, isSameWriter, type FieldMeta } from '../merge/field-meta.js';
import { mergeServerChange } from '../merge/record-merge.js';
import { loadClock, saveClock } from './client-state.js';
import { writeCursors, type CursorAdvance } from './cursors.js';
import type { StoredRecord } from './local-database.js';
import { releasePending, removeFromOutbox, type PushBatch } from './outbox.js';
import { RecordCache } from './record-cache.js';
import type { StoreContext } from './store-context.js';

/** A local edit that lost to an incoming write before it was pushed (LWW-16). */
export interface RecordConflict {
  readonly table: string;
  readonly id: string;
  readonly field: string;
  /** The losing local write: wire value and stamp. */
  readonly local: FieldMeta;
  /** The winning incoming write: wire value and stamp. */
  readonly incoming: FieldMeta;
  /** The application's value of the losing write. */
  readonly localValue: unknown;
  /** The application's value of the winning write; undefined when it could not be decoded. */
  readonly incomingValue: unknown;
}

/** A wire value that won but could not be decoded (CRYPT-8); its field is absent from `values`. */
export interface DecodeFailure {
  readonly table: string;
  readonly id: string;
  readonly field: string;
  readonly error: unknown;
}

export interface ApplyResult {
  readonly conflicts: readonly RecordConflict[];
  readonly decodeFailures: readonly DecodeFailure[];
  /** The records whose state changed. */
  readonly changed: readonly { table: string; id: string }[];
}

export interface ApplyOptions {
  /** Where the read that delivered the changes leaves the cursors. */
  readonly advance?: CursorAdvance;
  /** The push whose response delivered the changes, now stored by the server. */
  readonly acknowledged?: PushBatch;
}

type Decoded = { ok: true; value: unknown } | { ok: false; error: unknown };

async function decodeFields(ctx: StoreContext, change: ServerChange): Promise<Map<string, Decoded>> {
  const decoded = new Map<string, Decoded>();
  for (const [field, write] of Object.entries(change.fields)) {
    if (field === DELETED_AT_FIELD) {
      decoded.set(field, { ok: true, value: write.value });
      continue;
    }
    try {
      decoded.set(field, { ok: true, value: await ctx.codec.decode(write.value, { table: change.table, id: change.id, field, spaceId: change.spaceId }) });
    } catch (error) {
      decoded.set(field, { ok: false, error });
    }
  }
  return decoded;
}

/**
 * Merges server changes into the store (section 6) in one transaction with everything that must not
 * be separated from them: the clock takes in every received stamp (LWW-7), the cursors advance to
 * where the read that delivered them left off, and an acknowledged push leaves the outbox. Changes
 * of tables this client does not sync are skipped (a push delta covers every table of the app).
 */
export async function applyServerChanges(ctx: StoreContext, changes: readonly ServerChange[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const { db, self } = ctx;
  const relevant = changes.filter((change) => db.hasTable(change.table));
  // Decoding (WebCrypto) cannot run inside an IndexedDB transaction, which commits when it idles.
  const decodedByChange = await Promise.all(relevant.map((change) => decodeFields(ctx, change)));
  const conflicts: RecordConflict[] = [];
  const decodeFailures: DecodeFailure[] = [];
  const changed = new Map<string, { table: string; id: string }>();

  const tables = [...new Set([...relevant.map((change) => change.table), ...(options.acknowledged?.entries.map((entry) => entry.change.table) ?? [])])];
  await db.dexie.transaction('rw', [...tables.map((table) => db.records(table)), db.outbox, db.state], async () => {
    const cache = new RecordCache(db);
    await cache.load(relevant);
    const clock = await loadClock(db, ctx.wallClock);
    relevant.forEach((change, index) => {
      const decoded = decodedByChange[index]!;
      const held = cache.get(change.table, change.id);
      const outcome = mergeServerChange(held?.meta, change, { self, pending: held?.pending ?? [] });
      for (const write of Object.values(change.fields)) clock.receive(hlcOf(write));
      if (held !== undefined && outcome.won.length === 0) return;

      const values = { ...held?.values };
      for (const field of outcome.won) {
        const result = decoded.get(field)!;
        if (result.ok) values[field] = result.value;
        else {
          delete values[field];
          decodeFailures.push({ table: change.table, id: change.id, field, error: result.error });
        }
      }
      for (const conflict of outcome.conflicts) {
        const result = decoded.get(conflict.field)!;
        conflicts.push({
          table: change.table,
          id: change.id,
          ...conflict,
          localValue: held?.values[conflict.field],
          incomingValue: result.ok ? result.value : undefined,
        });
      }
      // A field now held by another writer's write is no longer a local edit waiting to be pushed.
      const pending = (held?.pending ?? []).filter((field) => {
        const winner = outcome.meta[field];
        return winner !== undefined && isSameWriter(winner, self);
      });
      const record: StoredRecord = { id: change.id, spaceId: held?.spaceId ?? change.spaceId, values, meta: outcome.meta, pending };
      cache.set(change.table, record);
      changed.set(`${change.table}\u0000${change.id}`, { table: change.table, id: change.id });
    });
    if (options.acknowledged !== undefined) {
      await releasePending(cache, options.acknowledged.entries.map((entry) => entry.change), self);
      await removeFromOutbox(db, options.acknowledged);
    }
    await cache.flush();
    if (options.advance !== undefined) await writeCursors(db, options.advance);
    await saveClock(db, clock);
  });
  return { conflicts, decodeFailures, changed: [...changed.values()] };
}
