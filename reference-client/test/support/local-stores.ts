import type { DexieOptions } from 'dexie';
import { FakeIDBKeyRange, newIndexedDB } from './fake-indexeddb.js';
import type { WallClock } from '../../src/clock/hybrid-logical-clock.js';
import type { FieldCodec } from '../../src/store/field-codec.js';
import type { TablesConfig } from '../../src/store/local-database.js';
import { LocalStore } from '../../src/store/local-store.js';

export interface TestStoreOptions {
  readonly userId?: string;
  readonly clientId?: string;
  readonly tables?: TablesConfig;
  readonly wallClock?: WallClock;
  readonly codec?: FieldCodec;
  /** Reopen the database of an earlier store (a reload of the same device). */
  readonly indexedDB?: DexieOptions['indexedDB'];
}

export const TABLES: TablesConfig = { tasks: { indexes: ['done'] }, lists: {} };

/** A store on its own IndexedDB, as one simulated device has (stack-notes: one factory per device). */
export async function openTestStore(options: TestStoreOptions = {}): Promise<{ store: LocalStore; indexedDB: DexieOptions['indexedDB'] }> {
  const indexedDB = options.indexedDB ?? newIndexedDB();
  const store = await LocalStore.open({
    appId: 'todo',
    userId: options.userId ?? 'alice',
    tables: options.tables ?? TABLES,
    indexedDB,
    IDBKeyRange: FakeIDBKeyRange,
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.wallClock === undefined ? {} : { wallClock: options.wallClock }),
    ...(options.codec === undefined ? {} : { codec: options.codec }),
  });
  return { store, indexedDB };
}
