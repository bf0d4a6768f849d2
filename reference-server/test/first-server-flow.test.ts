import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`first-server-flow.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

// The first server's own end-to-end script, as ../shared/upstream-notes.md records it, sent the way
// that script and the first README send it: timestamps as since, `updatedAt` as the field stamp.
describe.each(serverDatabaseTargets())('the first server\'s end-to-end flow on $label', (target) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(target);
  });
  afterAll(async () => server?.close());

  it('PUSH-1 PULL-8 LWW-10 health; A inserts since the epoch; B pulls; B updates with updatedAt; A pulls from its syncedUntil; A deletes; no token is 401', async () => {
    const app = freshAppId('todo');
    const token = await server.auth.mint('e2e-user');
    const clientA = new SyncTestClient(server, 'e2e-user', 'client-a', token);
    const clientB = new SyncTestClient(server, 'e2e-user', 'client-b', token);

    const health = await request(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', service: 'mana-sync' });

    const epoch = '1970-01-01T00:00:00Z';
    const created = '2025-06-01T10:00:00Z';
    const inserted = await clientA.mustPush(app, {
      clientId: 'client-a',
      since: epoch,
      changes: [{ table: 'tasks', id: 'task-1', op: 'insert', data: { id: 'task-1', title: 'Buy milk', completed: false, createdAt: created, updatedAt: created } }],
    });
    const savedSyncedUntil = inserted.syncedUntil;

    const pulledByB = await clientB.mustPull(app, { collection: 'tasks', since: epoch });
    expect(pulledByB.serverChanges).toHaveLength(1);
    expect(pulledByB.serverChanges[0]).toMatchObject({ id: 'task-1', op: 'insert', data: { title: 'Buy milk' } });

    const updatedAt = '2025-06-01T10:05:00Z';
    await clientB.mustPush(app, {
      clientId: 'client-b',
      since: pulledByB.syncedUntil,
      changes: [{ table: 'tasks', id: 'task-1', op: 'update', fields: { title: { value: 'Buy oat milk', updatedAt } } }],
    });

    const pulledByA = await clientA.mustPull(app, { collection: 'tasks', since: savedSyncedUntil });
    expect(pulledByA.serverChanges).toHaveLength(1);
    expect(pulledByA.serverChanges[0]).toMatchObject({ id: 'task-1', op: 'update', clientId: 'client-b', fields: { title: { value: 'Buy oat milk', at: '2025-06-01T10:05:00.000Z' } } });

    const deleted = await clientA.mustPush(app, {
      clientId: 'client-a',
      since: pulledByA.syncedUntil,
      changes: [{ table: 'tasks', id: 'task-1', op: 'delete', deletedAt: '2025-06-01T10:10:00Z' }],
    });
    expect(deleted.accepted).toBe(1);
    const seenByB = await clientB.mustPull(app, { collection: 'tasks', since: pulledByB.syncedUntil });
    expect(seenByB.serverChanges.map((change) => change.op)).toEqual(['delete']);

    const anonymous = await request(`${server.url}/sync/${app}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"changes":[]}' });
    expectError(anonymous, 401, 'AUTH_MISSING_TOKEN');
  });
});
