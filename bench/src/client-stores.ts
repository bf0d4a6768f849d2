import { createClient, type SyncClient } from '../../reference-client/src/client.js';
import type { FieldCodec } from '../../reference-client/src/store/field-codec.js';
import { FakeIDBKeyRange, newIndexedDB } from '../../reference-client/test/support/fake-indexeddb.js';
import { serverChange } from '../../reference-client/test/support/server-changes.js';
import type { ServerChange } from '../../spec/generated/types.js';

// The client figures run the reference client without a server: its store on its own
// fake-indexeddb, fed with server changes as a server relays them.

export const CLIENT_APP = 'todo';
// No index on a boolean: not a valid IndexedDB key, so every write would raise (and swallow) a DataError.
export const CLIENT_TABLES = { tasks: {} } as const;

/** A reference client of `userId` that never goes online (live off, no request is made). */
export function offlineClient(userId: string, codec?: FieldCodec): Promise<SyncClient> {
  return createClient({
    serverUrl: 'http://127.0.0.1:9',
    token: 'unused',
    appId: CLIENT_APP,
    userId,
    tables: CLIENT_TABLES,
    live: false,
    indexedDB: newIndexedDB(),
    IDBKeyRange: FakeIDBKeyRange,
    ...(codec === undefined ? {} : { codec }),
  });
}

/** `count` inserts of the user's records written by another of its devices; `title` gives each title's wire value. */
export function taskInserts(userId: string, count: number, title: (index: number) => unknown = (index) => `task ${index}`): ServerChange[] {
  return Array.from({ length: count }, (_, index) =>
    serverChange({
      id: `task-${index}`,
      op: 'insert',
      userId,
      clientId: 'other-device',
      fields: { title: { value: title(index), t: index }, done: { value: index % 2 === 0, t: index }, priority: { value: index % 5, t: index }, notes: { value: 'bench', t: index } },
    }),
  );
}
