import type { Change, FieldChange } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { ClientError } from '../errors.js';
import { DELETED_AT_FIELD, wireStampOf, type FieldMeta } from '../merge/field-meta.js';
import { loadClock, saveClock } from './client-state.js';
import type { OutboxEntry, StoredRecord } from './local-database.js';
import { RecordCache } from './record-cache.js';
import { personalSpaceOf, type StoreContext } from './store-context.js';
import { assertWireValue } from './wire-value.js';

export type LocalOp = Change['op'];

export interface LocalWrite {
  readonly op: LocalOp;
  readonly table: string;
  readonly id: string;
  /** The fields written; ignored for a delete, which writes `deletedAt` only. */
  readonly values: Readonly<Record<string, unknown>>;
  /** insert: the record's space; absent means the writer's personal space (SPACE-13). */
  readonly spaceId?: string;
}

/** A checked write with its values in both forms, ready to be stamped and stored. */
export interface PreparedWrite {
  readonly op: LocalOp;
  readonly table: string;
  readonly id: string;
  readonly spaceId: string;
  /** The application's values. */
  readonly plain: Readonly<Record<string, unknown>>;
  /** The same fields as they travel (FieldCodec): what is stamped, merged and pushed (LWW-17). */
  readonly wire: Readonly<Record<string, unknown>>;
}

function validateWrite(write: LocalWrite): void {
  if (!validatorFor('record-id')(write.id)) throw new ClientError('CLIENT_INVALID_WRITE', `${JSON.stringify(write.id)} is not a record id of record-id.schema.json`);
  if (write.spaceId !== undefined && !validatorFor('space-id')(write.spaceId)) {
    throw new ClientError('CLIENT_INVALID_WRITE', `${JSON.stringify(write.spaceId)} is not a space id of space-id.schema.json`);
  }
  const fieldName = validatorFor('field-name');
  for (const [field, value] of Object.entries(write.values)) {
    if (!fieldName(field)) throw new ClientError('CLIENT_INVALID_WRITE', `${JSON.stringify(field)} is not a field name of field-name.schema.json`);
    assertWireValue(value, `${write.table}.${field}`);
  }
  if (write.op === 'update' && Object.keys(write.values).length === 0) throw new ClientError('CLIENT_INVALID_WRITE', 'an update writes at least one field');
}

function spaceOf(write: Pick<LocalWrite, 'op' | 'table' | 'id' | 'spaceId'>, existing: StoredRecord | undefined, userId: string): string {
  if (existing === undefined) {
    if (write.op !== 'insert') throw new ClientError('CLIENT_RECORD_NOT_FOUND', `${write.table}/${write.id}`);
    return write.spaceId ?? personalSpaceOf(userId);
  }
  if (write.spaceId !== undefined && write.spaceId !== existing.spaceId) {
    throw new ClientError('CLIENT_SPACE_MISMATCH', `${write.table}/${write.id} is in another space; move a record by deleting it and inserting a new one`);
  }
  return existing.spaceId;
}

/**
 * Checks a write, finds its space and encodes its values. Encoding (WebCrypto) cannot run inside an
 * IndexedDB transaction, which commits as soon as it awaits anything else, so it happens here.
 * `encoded` gives the wire values when the caller has them already (a backup import).
 */
export async function prepareWrite(ctx: StoreContext, write: LocalWrite, encoded?: Readonly<Record<string, unknown>>): Promise<PreparedWrite> {
  validateWrite(write);
  if (encoded !== undefined) for (const [field, value] of Object.entries(encoded)) assertWireValue(value, `${write.table}.${field}`);
  // Already encoded, the write needs no place to encode for: commitWrites checks its space then.
  const spaceId =
    encoded !== undefined && write.spaceId !== undefined ? write.spaceId : spaceOf(write, await ctx.db.records(write.table).get(write.id), ctx.self.userId);
  const plain: Record<string, unknown> = write.op === 'delete' ? {} : { ...write.values };
  const wire: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(plain)) {
    if (field === DELETED_AT_FIELD) wire[field] = value;
    else wire[field] = encoded === undefined ? await ctx.codec.encode(value, { table: write.table, id: write.id, field, spaceId }) : encoded[field];
  }
  return { op: write.op, table: write.table, id: write.id, spaceId, plain, wire };
}

/**
 * Stores prepared writes in one transaction: each is stamped from the clock (LWW-7, one tick per
 * write), its record keeps its space (SPACE-13), and its change is queued in the outbox, so that a
 * change is never stored without being queued, nor queued without being stored, and a batch is
 * stored whole or not at all.
 */
export async function commitWrites(ctx: StoreContext, writes: readonly PreparedWrite[]): Promise<StoredRecord[]> {
  const { db, self } = ctx;
  const tables = [...new Set(writes.map((write) => write.table))].map((table) => db.records(table));
  const validChange = validatorFor('change');
  return db.dexie.transaction('rw', [...tables, db.outbox, db.state], async () => {
    const cache = new RecordCache(db);
    await cache.load(writes);
    const clock = await loadClock(db, ctx.wallClock);
    const queued: OutboxEntry[] = [];
    const stored = writes.map((write) => {
      const existing = cache.get(write.table, write.id);
      // Between prepare and commit the record may have been created by another write (SPACE-5).
      const spaceId = spaceOf(write, existing, self.userId);
      const stamp = wireStampOf(clock.now());
      const plain = { ...write.plain };
      const wire = { ...write.wire };
      if (write.op === 'delete') plain[DELETED_AT_FIELD] = wire[DELETED_AT_FIELD] = stamp.at;

      const meta: Record<string, FieldMeta> = { ...existing?.meta };
      const fields: Record<string, FieldChange> = {};
      for (const [field, value] of Object.entries(wire)) {
        meta[field] = { value, ...stamp, ...self };
        fields[field] = { value, ...stamp };
      }
      const record: StoredRecord = {
        id: write.id,
        spaceId,
        values: { ...existing?.values, ...plain },
        meta,
        pending: [...new Set([...(existing?.pending ?? []), ...Object.keys(wire)])],
      };
      const change: Change = {
        table: write.table,
        id: write.id,
        op: write.op,
        fields,
        spaceId,
        ...(write.op === 'insert' ? { data: wire } : {}),
        ...(write.op === 'delete' ? { deletedAt: stamp.at } : {}),
      };
      if (!validChange(change)) throw new ClientError('CLIENT_INVALID_WRITE', describeSchemaErrors(validChange.errors).join('; '));
      cache.set(write.table, record);
      queued.push({ change });
      return record;
    });
    await cache.flush();
    await db.outbox.bulkAdd(queued);
    await saveClock(db, clock);
    return stored;
  });
}
