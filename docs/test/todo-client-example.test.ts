import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../spec/generated/types.js';
import type { SyncClient } from '../../reference-client/src/index.js';
import { FakeIDBKeyRange, newIndexedDB } from '../../reference-client/test/support/fake-indexeddb.js';
import { serverDatabaseTargets } from '../../reference-server/test/support/database-targets.js';
import { startTestServer, type TestServer } from '../../reference-server/test/support/test-server.js';
import { addTasks, openTodos, type Session } from '../examples/todo-client.js';

/** Resolves once `predicate` holds, re-checked after every change the client applies. */
function until(client: SyncClient, predicate: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () =>
      predicate().then((holds) => {
        if (!holds) return;
        off();
        resolve();
      }, reject);
    const off = client.on('change', () => void check());
    void check();
  });
}

// docs/writing-a-client.md shows docs/examples/todo-client.ts; this runs it as a reader would, two
// users against the reference server, so the documented example cannot rot.
describe.each(serverDatabaseTargets())('the documented to-do client on $label', (target) => {
  let server: TestServer;
  const clients: SyncClient[] = [];
  const space = `org-docs-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    server = await startTestServer(target);
    server.auth.grant('alice', space);
    server.auth.grant('bob', space);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await server?.close();
  });

  async function open(userId: string): Promise<SyncClient> {
    const session: Session = {
      serverUrl: server.url,
      userId,
      token: () => server.auth.mint(userId),
      vaultKey: new Uint8Array(randomBytes(32)),
      indexedDB: newIndexedDB(),
      IDBKeyRange: FakeIDBKeyRange,
    };
    const client = await openTodos(session);
    clients.push(client);
    return client;
  }

  it('SPACE-3 CRYPT-7 bob sees alice\'s shared task live, never her personal one, whose notes the server holds encrypted', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    bob.start();
    const ids = await addTasks(alice, space);

    await until(bob, async () => (await bob.get('tasks', ids.shared)) !== undefined);
    expect(await bob.get('tasks', ids.shared)).toMatchObject({ title: 'Buy milk', spaceId: space });
    expect(await bob.get('tasks', ids.personal)).toBeUndefined();

    const pulled = await fetch(`${server.url}/sync/todo/pull?collection=tasks`, { headers: { authorization: `Bearer ${await server.auth.mint('alice')}` } });
    const body = (await pulled.json()) as PullResponse;
    const personal = JSON.stringify(body.serverChanges.filter((change) => change.id === ids.personal));
    expect(personal).toMatch(/enc:2:/);
    expect(personal).not.toContain('ask about Tuesday');
    expect(await alice.get('tasks', ids.personal)).toMatchObject({ notes: 'ask about Tuesday' });

    await bob.update('tasks', ids.shared, { done: true });
    await until(alice, async () => (await alice.get('tasks', ids.shared))?.done === true);
  });
});
