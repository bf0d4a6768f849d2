// A to-do app's sync layer on the reference client: the example of docs/writing-a-client.md, run
// against the reference server by docs/test/todo-client-example.test.ts.
import { createClient, EncryptedFieldRegistry, fieldEncryption, importVaultKey, type ClientOptions, type SyncClient } from '../../reference-client/src/index.js';

/** What the app knows once a user has signed in. */
export interface Session {
  readonly serverUrl: string;
  readonly userId: string;
  /** Called before every request, so a renewed token is picked up. */
  readonly token: () => Promise<string>;
  /** The user's 32-byte vault key (AES-GCM-256), from the app's key management. */
  readonly vaultKey: Uint8Array<ArrayBuffer>;
  /** In a browser, leave both out: the page's IndexedDB is used. In Node, fake-indexeddb's. */
  readonly indexedDB?: ClientOptions['indexedDB'];
  readonly IDBKeyRange?: ClientOptions['IDBKeyRange'];
}

export async function openTodos(session: Session): Promise<SyncClient> {
  const key = await importVaultKey(session.vaultKey);
  const client = await createClient({
    serverUrl: session.serverUrl,
    token: session.token,
    userId: session.userId,
    appId: 'todo',
    tables: { tasks: { indexes: ['done'] } },
    // `notes` of personal tasks reach the server encrypted (CRYPT-7); tasks in a shared space stay
    // readable to its members.
    codec: fieldEncryption({ key, registry: new EncryptedFieldRegistry({ tasks: ['notes'] }) }),
    live: 'sse',
    ...(session.indexedDB === undefined ? {} : { indexedDB: session.indexedDB, IDBKeyRange: session.IDBKeyRange }),
  });
  client.on('state', (state) => console.info(`todo sync: ${state}`));
  client.on('conflict', (conflict) => console.info('todo sync: a local edit lost to a later one', conflict));
  return client;
}

/** A personal task and one in a space the user shares, then live sync. */
export async function addTasks(client: SyncClient, sharedSpaceId: string): Promise<{ personal: string; shared: string }> {
  const personal = await client.insert('tasks', { title: 'Call the dentist', notes: 'ask about Tuesday', done: false });
  const shared = await client.insert('tasks', { title: 'Buy milk', done: false, spaceId: sharedSpaceId });
  await client.sync(); // push both, pull what others wrote
  client.start(); // from now on: follow the server live and push every local write
  return { personal: personal.id, shared: shared.id };
}
