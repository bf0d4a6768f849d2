import { SyncClient, type ClientOptions } from '../../src/client.js';
import { stoppedError, type Sleep } from '../../src/sync/retry.js';
import { FakeIDBKeyRange, newIndexedDB } from './fake-indexeddb.js';
import { TABLES } from './local-stores.js';

export const SERVER_URL = 'http://sync.test';

/** A sleep that returns at once and remembers what it was asked to wait (Retry-After, backoff). */
export function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  const sleep: Sleep = (ms, signal) => {
    delays.push(ms);
    return signal?.aborted ? Promise.reject(stoppedError()) : new Promise((resolve) => setImmediate(resolve));
  };
  return { sleep, delays };
}

/** A client on its own IndexedDB, against the msw-mocked SERVER_URL unless told otherwise. */
export async function createTestClient(options: Partial<ClientOptions> & { userId?: string } = {}): Promise<SyncClient> {
  return SyncClient.create({
    serverUrl: SERVER_URL,
    token: 'token-of-alice',
    appId: 'todo',
    userId: 'alice',
    clientId: 'alice-laptop',
    tables: TABLES,
    indexedDB: newIndexedDB(),
    IDBKeyRange: FakeIDBKeyRange,
    live: false,
    retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 4, random: () => 1 },
    ...options,
  });
}
