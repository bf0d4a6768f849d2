import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../spec/generated/types.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { invalidateMemberships, shareSpace } from './support/shared-spaces.js';
import { SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { WsConnection } from './support/ws-client.js';

if (POSTGRES_URL === undefined) console.warn(`ws-notify.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const insert = (table: string, id: string, extra: Partial<Change> = {}): Change => ({ table, id, op: 'insert', data: { title: id }, ...extra });

describe.each(serverDatabaseTargets())('WebSocket notifications on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;
  let bob: SyncTestClient;
  let charlie: SyncTestClient;
  const sockets: WsConnection[] = [];

  beforeAll(async () => {
    server = await startTestServer(target);
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
    bob = await SyncTestClient.of(server, 'bob', 'desk');
    charlie = await SyncTestClient.of(server, 'charlie', 'outside');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  const connect = async (client: SyncTestClient, options: { path?: string; clientId?: string } = {}): Promise<WsConnection> => {
    const socket = await WsConnection.authenticated(server.url, client.token, options);
    sockets.push(socket);
    return socket;
  };

  it('WS-8 SPACE-12 notifies co-members and the author\'s other devices of the tables they may read, and only those', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice', 'bob');
    const bobSocket = await connect(bob);
    const phone = await connect(alice, { clientId: 'phone' });
    await alice.mustPush(app, { changes: [insert('shared', 's1', { spaceId: org }), insert('private', 'p1')] });
    expect(await bobSocket.next()).toEqual({ type: 'sync-available', appId: app, tables: ['shared'] });
    expect(await phone.next()).toEqual({ type: 'sync-available', appId: app, tables: ['shared', 'private'] });
  });

  it('WS-9 a unified socket hears of every app, a legacy one of its own app only', async () => {
    const app = freshAppId();
    const other = freshAppId();
    const unified = await connect(alice, { clientId: 'unified' });
    const legacy = await connect(alice, { path: `/ws/${app}`, clientId: 'legacy' });
    const writer = alice.device('writer');
    await writer.mustPush(other, { changes: [insert('tasks', 'o1')] });
    await writer.mustPush(app, { changes: [insert('tasks', 'a1')] });
    expect(await unified.next()).toMatchObject({ appId: other });
    expect(await unified.next()).toMatchObject({ appId: app });
    expect(await legacy.next()).toEqual({ type: 'sync-available', appId: app, tables: ['tasks'] });
  });

  it('WS-10 the pushing device is not notified of its own push, other devices and client-id-less sockets are', async () => {
    const app = freshAppId();
    const laptop = await connect(alice, { clientId: 'laptop' });
    const anonymous = await connect(alice);
    await alice.mustPush(app, { changes: [insert('own', 'x1')] });
    await alice.device('phone').mustPush(app, { changes: [insert('fromPhone', 'x2')] });
    expect(await laptop.next()).toEqual({ type: 'sync-available', appId: app, tables: ['fromPhone'] });
    expect(await anonymous.next()).toEqual({ type: 'sync-available', appId: app, tables: ['own'] });
    expect(await anonymous.next()).toEqual({ type: 'sync-available', appId: app, tables: ['fromPhone'] });
  });

  it('WS-11 an outsider hears of nothing it may not read', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice', 'bob');
    const outsider = await connect(charlie);
    await alice.mustPush(app, { changes: [insert('secret', 's1', { spaceId: org }), insert('private', 'p1')] });
    // Charlie's own later push is the first thing he hears of.
    await charlie.device('other').mustPush(app, { changes: [insert('marker', 'm1')] });
    expect(await outsider.next()).toEqual({ type: 'sync-available', appId: app, tables: ['marker'] });
  });

  it('WS-14 SPACE-8 an open socket stops hearing of a revoked space', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice', 'bob');
    const bobSocket = await connect(bob);
    await alice.mustPush(app, { changes: [insert('shared', 'before', { spaceId: org })] });
    expect(await bobSocket.next()).toEqual({ type: 'sync-available', appId: app, tables: ['shared'] });
    server.auth.revoke('bob', org);
    await invalidateMemberships(server, 'bob');
    await alice.mustPush(app, { changes: [insert('shared', 'after', { spaceId: org })] });
    await bob.device('phone').mustPush(app, { changes: [insert('marker', 'm1')] });
    expect(await bobSocket.next()).toEqual({ type: 'sync-available', appId: app, tables: ['marker'] });
  });

  it('PUSH-18 a notified device finds the change with a pull', async () => {
    const app = freshAppId();
    const phone = await connect(alice, { clientId: 'phone' });
    await alice.mustPush(app, { changes: [insert('tasks', 'visible')] });
    expect(await phone.next()).toMatchObject({ type: 'sync-available', tables: ['tasks'] });
    // No settle: the notification itself promises readability.
    const response = await fetch(`${server.url}/sync/${app}/pull?collection=tasks`, { headers: alice.device('phone').headers() });
    const page = (await response.json()) as { serverChanges: Array<{ id: string }> };
    expect(page.serverChanges.map((change) => change.id)).toEqual(['visible']);
  });
});
