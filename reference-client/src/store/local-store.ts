import type { DexieOptions } from 'dexie';
import type { ServerChange } from '../../../spec/generated/types.js';
import type { WallClock } from '../clock/hybrid-logical-clock.js';
import { ClientError } from '../errors.js';
import { isDeleted, type Writer } from '../merge/field-meta.js';
import { loadClientId } from './client-state.js';
import { readAppCursor, readTableCursor, resetCursors } from './cursors.js';
import { identityCodec, type FieldCodec } from './field-codec.js';
import { LocalDatabase, type RejectedPush, type StoredRecord, type TablesConfig } from './local-database.js';
import { commitWrites, prepareWrite, type LocalWrite } from './local-writes.js';
import { setAsideRejected, takePushBatch, releasePending, type PushBatch } from './outbox.js';
import { RecordCache } from './record-cache.js';
import { restampRefusedPush } from './restamp.js';
import { applyServerChanges, type ApplyOptions, type ApplyResult } from './server-changes.js';
import { personalSpaceOf, type StoreContext } from './store-context.js';

export interface LocalStoreOptions {
  readonly appId: string;
  readonly userId: string;
  readonly tables: TablesConfig;
  /** This installation's client id; by default a UUID created once and kept in the database. */
  readonly clientId?: string;
  /** Default `mana-sync:<appId>:<userId>`: one database per app and user. */
  readonly databaseName?: string;
  readonly indexedDB?: DexieOptions['indexedDB'];
  readonly IDBKeyRange?: DexieOptions['IDBKeyRange'];
  readonly codec?: FieldCodec;
  readonly wallClock?: WallClock;
}

/** A record as the application sees it: its values with its id and space. */
export type AppRecord = Record<string, unknown> & { readonly id: string; readonly spaceId: string };

export interface ListOptions {
  /** Include tombstones (records whose `deletedAt` is set, LWW-13). */
  readonly includeDeleted?: boolean;
}

const RESERVED = ['id', 'spaceId'] as const;

function toAppRecord(record: StoredRecord): AppRecord {
  return { ...record.values, id: record.id, spaceId: record.spaceId };
}

export function withoutReserved(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest = { ...values };
  for (const key of RESERVED) delete rest[key];
  return rest;
}

/** The local store of one client: records, their per-field state, the outbox, the cursors. */
export class LocalStore {
  private readonly writeListeners = new Set<() => void>();

  private constructor(
    private readonly ctx: StoreContext,
    readonly appId: string,
  ) {}

  static async open(options: LocalStoreOptions): Promise<LocalStore> {
    const db = new LocalDatabase({
      name: options.databaseName ?? `mana-sync:${options.appId}:${options.userId}`,
      tables: options.tables,
      indexedDB: options.indexedDB,
      IDBKeyRange: options.IDBKeyRange,
    });
    await db.dexie.open();
    const clientId = await loadClientId(db, options.clientId);
    return new LocalStore(
      { db, self: { userId: options.userId, clientId }, codec: options.codec ?? identityCodec, wallClock: options.wallClock ?? Date.now },
      options.appId,
    );
  }

  get self(): Writer {
    return this.ctx.self;
  }

  get database(): LocalDatabase {
    return this.ctx.db;
  }

  get tableNames(): readonly string[] {
    return this.ctx.db.tableNames;
  }

  /** Called after every local write, e.g. to schedule a push. */
  onLocalWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /**
   * Creates a record, or merges into it when the id exists (an insert is an upsert, LWW-14). `id`
   * and `spaceId` of `values` name the record and its space; by default a new UUID and the user's
   * personal space (SPACE-13).
   */
  async insert(table: string, values: Readonly<Record<string, unknown>>): Promise<AppRecord> {
    const id = values.id ?? crypto.randomUUID();
    const spaceId = values.spaceId ?? personalSpaceOf(this.self.userId);
    if (typeof id !== 'string') throw new ClientError('CLIENT_INVALID_WRITE', 'id must be a string');
    if (typeof spaceId !== 'string') throw new ClientError('CLIENT_INVALID_WRITE', 'spaceId must be a string');
    return this.write({ op: 'insert', table, id, values: withoutReserved(values), spaceId });
  }

  async update(table: string, id: string, values: Readonly<Record<string, unknown>>): Promise<AppRecord> {
    if (values.id !== undefined && values.id !== id) throw new ClientError('CLIENT_INVALID_WRITE', 'the id of a record cannot change');
    const spaceId = values.spaceId;
    if (spaceId !== undefined && typeof spaceId !== 'string') throw new ClientError('CLIENT_INVALID_WRITE', 'spaceId must be a string');
    return this.write({ op: 'update', table, id, values: withoutReserved(values), ...(spaceId === undefined ? {} : { spaceId }) });
  }

  /** Deletes a record: a write of `deletedAt` (LWW-13); the record stays as a tombstone. */
  async delete(table: string, id: string): Promise<AppRecord> {
    return this.write({ op: 'delete', table, id, values: {} });
  }

  /**
   * Writes a batch whole or not at all, each write stamped and queued as a local write (a backup
   * import, BACKUP-16, BACKUP-17). `encoded` gives a write's wire values when the caller has them.
   */
  async writeAll(writes: readonly { readonly write: LocalWrite; readonly encoded?: Readonly<Record<string, unknown>> }[]): Promise<void> {
    const prepared = [];
    for (const { write, encoded } of writes) prepared.push(await prepareWrite(this.ctx, write, encoded));
    if (prepared.length === 0) return;
    await commitWrites(this.ctx, prepared);
    for (const listener of this.writeListeners) listener();
  }

  /** The record, also when deleted (its `deletedAt` is then set); undefined when unknown. */
  async get(table: string, id: string): Promise<AppRecord | undefined> {
    const record = await this.ctx.db.records(table).get(id);
    return record === undefined ? undefined : toAppRecord(record);
  }

  async list(table: string, options: ListOptions = {}): Promise<AppRecord[]> {
    const records = await this.ctx.db.records(table).toArray();
    return records.filter((record) => options.includeDeleted === true || !isDeleted(record.meta)).map(toAppRecord);
  }

  /** The stored form of a record, with its per-field stamps and pending fields. */
  async getStored(table: string, id: string): Promise<StoredRecord | undefined> {
    return this.ctx.db.records(table).get(id);
  }

  async applyServerChanges(changes: readonly ServerChange[], options?: ApplyOptions): Promise<ApplyResult> {
    return applyServerChanges(this.ctx, changes, options);
  }

  async takePushBatch(): Promise<PushBatch | undefined> {
    return takePushBatch(this.ctx.db);
  }

  /** ERR-10: sets a refused push aside; its fields stop being pending local edits. */
  async rejectPushBatch(batch: PushBatch, refusal: Pick<RejectedPush, 'status' | 'code' | 'message'>): Promise<RejectedPush> {
    const { db, self } = this.ctx;
    const tables = [...new Set(batch.entries.map((entry) => entry.change.table))];
    return db.dexie.transaction('rw', [...tables.map((table) => db.records(table)), db.outbox, db.rejected], async () => {
      const cache = new RecordCache(db);
      await releasePending(cache, batch.entries.map((entry) => entry.change), self);
      await cache.flush();
      return setAsideRejected(db, batch, refusal);
    });
  }

  /**
   * LWW-18: after a push refused with 422 LWW_CLOCK_AHEAD, repairs the clock and stamps the refused
   * changes again under a new push id (restamp.ts); undefined when the push is no longer queued.
   */
  async restampRefusedPush(batch: PushBatch): Promise<PushBatch | undefined> {
    return restampRefusedPush(this.ctx, batch);
  }

  async rejectedPushes(): Promise<RejectedPush[]> {
    return this.ctx.db.rejected.toArray();
  }

  async outboxSize(): Promise<number> {
    return this.ctx.db.outbox.count();
  }

  async appCursor(): Promise<string | undefined> {
    return readAppCursor(this.ctx.db);
  }

  async tableCursor(table: string): Promise<string | undefined> {
    return readTableCursor(this.ctx.db, table);
  }

  async resetCursors(): Promise<void> {
    await this.ctx.db.dexie.transaction('rw', this.ctx.db.state, () => resetCursors(this.ctx.db));
  }

  close(): void {
    this.ctx.db.dexie.close();
  }

  private async write(write: LocalWrite): Promise<AppRecord> {
    const [record] = await commitWrites(this.ctx, [await prepareWrite(this.ctx, write)]);
    for (const listener of this.writeListeners) listener();
    return toAppRecord(record!);
  }
}
