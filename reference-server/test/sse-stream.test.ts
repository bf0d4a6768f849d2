import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COLLECTIONS_PER_STREAM, SSE_RETRY_MS } from '../../spec/generated/constants.js';
import type { Change } from '../../spec/generated/types.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { invalidateMemberships, shareSpace } from './support/shared-spaces.js';
import { openStream, SseConnection, streamUrl } from './support/sse-client.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`sse-stream.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const insert = (table: string, id: string, extra: Partial<Change> = {}): Change => ({ table, id, op: 'insert', data: { title: id }, ...extra });
const ids = (changes: ReadonlyArray<{ id: string }>): string[] => changes.map((change) => change.id);

describe.each(serverDatabaseTargets())('GET /sync/{appId}/stream on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;
  let alicePhone: SyncTestClient;
  let bob: SyncTestClient;
  let charlie: SyncTestClient;

  beforeAll(async () => {
    server = await startTestServer(target);
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
    alicePhone = alice.device('phone');
    bob = await SyncTestClient.of(server, 'bob', 'desk');
    charlie = await SyncTestClient.of(server, 'charlie', 'outside');
  });
  afterAll(async () => server?.close());

  it('SSE-1 SSE-11 answers 200 text/event-stream, no-cache, and starts with retry', async () => {
    const app = freshAppId();
    await alicePhone.mustPush(app, { changes: [insert('tasks', 'first')] });
    const stream = await openStream(alice, app, { collections: 'tasks' });
    try {
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get('cache-control')).toBe('no-cache');
      expect(await stream.next()).toMatchObject({ event: 'changes' });
      expect(stream.retries).toEqual([SSE_RETRY_MS]);
    } finally {
      stream.close();
    }
  });

  it('SSE-1 SSE-13 answers failures before the stream as JSON errors', async () => {
    const app = freshAppId();
    const get = (query: Record<string, string>, headers: Record<string, string> = alice.headers()) =>
      request(streamUrl(alice, app, query), { headers });
    expectError(await get({ collections: 'tasks' }, {}), 401, 'AUTH_MISSING_TOKEN');
    expectError(await get({}), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await get({ collections: '' }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await get({ collections: 'tasks,1bad' }), 400, 'REQUEST_INVALID_PARAMETER');
    const tooMany = Array.from({ length: MAX_COLLECTIONS_PER_STREAM + 1 }, (_, index) => `t${index}`).join(',');
    expectError(await get({ collections: tooMany }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await get({ collections: 'tasks', heartbeat: '0' }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await get({ collections: 'tasks', since: 'nonsense' }), 400, 'CURSOR_INVALID');
    expectError(await get({ collections: 'tasks' }, alice.headers({ 'last-event-id': 'c1.nonsense' })), 400, 'CURSOR_INVALID');
    expectError(await request(streamUrl(alice, 'Bad_App', { collections: 'tasks' }), { headers: alice.headers() }), 400, 'REQUEST_INVALID_PARAMETER');
    const allowed = Array.from({ length: MAX_COLLECTIONS_PER_STREAM }, (_, index) => `t${index}`).join(',');
    const stream = await openStream(alice, app, { collections: allowed });
    stream.close();
  });

  it('SSE-2 SSE-3 SSE-4 delivers the backlog, then live changes, one table per event in log order, ids = syncedUntil', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('tasks', 'a1'), insert('tasks', 'a2'), insert('lists', 'l1'), insert('tasks', 'a3'), insert('notes', 'n1')] });
    const stream = await openStream(alicePhone, app, { collections: 'tasks,lists' });
    try {
      const first = await stream.nextChanges();
      const second = await stream.nextChanges();
      const third = await stream.nextChanges();
      expect([first, second, third].map((event) => [event.table, ids(event.changes), event.hasMore])).toEqual([
        ['tasks', ['a1', 'a2'], true],
        ['lists', ['l1'], false],
        ['tasks', ['a3'], false],
      ]);
      // An event's id is the position right after its own last change (SSE-4), not after the read.
      const fromFirst = await openStream(alicePhone, app, { collections: 'tasks,lists' }, { 'last-event-id': first.id });
      try {
        expect([ids((await fromFirst.nextChanges()).changes), ids((await fromFirst.nextChanges()).changes)]).toEqual([['l1'], ['a3']]);
      } finally {
        fromFirst.close();
      }
      await alice.mustPush(app, { changes: [insert('lists', 'l2'), insert('notes', 'n2')] });
      const live = await stream.nextChanges();
      expect([live.table, ids(live.changes), live.hasMore]).toEqual(['lists', ['l2'], false]);
      // The last id resumes exactly after everything delivered: a pull from it is empty.
      expect((await alicePhone.mustPull(app, { collection: 'tasks', since: live.id })).serverChanges).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('SSE-2 loses and repeats nothing while pushes race with the backlog read', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: Array.from({ length: 20 }, (_, index) => insert('tasks', `b${index}`)) });
    const stream = await openStream(alicePhone, app, { collections: 'tasks' });
    try {
      const pushes = Array.from({ length: 10 }, (_, index) => alice.mustPush(app, { changes: [insert('tasks', `l${index}`)] }));
      await Promise.all(pushes);
      const { changes } = await stream.changes(30);
      expect(new Set(ids(changes)).size).toBe(30);
      expect(changes).toHaveLength(30);
    } finally {
      stream.close();
    }
  });

  it('SSE-5 resumes exactly once across a cut, Last-Event-ID taking precedence over since', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('tasks', 'r1'), insert('tasks', 'r2')] });
    const first = await openStream(alicePhone, app, { collections: 'tasks' });
    const { lastId } = await first.changes(2);
    first.close();
    await alice.mustPush(app, { changes: [insert('tasks', 'r3')] });
    // since '' would start from the beginning: the header must win.
    const resumed = await openStream(alicePhone, app, { collections: 'tasks', since: '' }, { 'last-event-id': lastId });
    try {
      const event = await resumed.nextChanges();
      expect(ids(event.changes)).toEqual(['r3']);
      await alice.mustPush(app, { changes: [insert('tasks', 'r4')] });
      expect(ids((await resumed.nextChanges()).changes)).toEqual(['r4']);
    } finally {
      resumed.close();
    }
  });

  it('SSE-6 SSE-7 sends heartbeat events with data {} and no id at the requested period', async () => {
    const stream = await openStream(alice, freshAppId(), { collections: 'tasks', heartbeat: '1' });
    try {
      for (let beat = 0; beat < 2; beat++) {
        const message = await stream.next(2500);
        expect(message).toEqual({ event: 'heartbeat', id: undefined, data: '{}' });
      }
    } finally {
      stream.close();
    }
  });

  it('SSE-8 leaves out the stream\'s own writer, not the same user\'s other devices', async () => {
    const app = freshAppId();
    const byHeader = await openStream(alice, app, { collections: 'tasks' });
    const byQuery = await SseConnection.open(streamUrl(alice, app, { collections: 'tasks', clientId: 'laptop' }), { authorization: `Bearer ${alice.token}` });
    try {
      await alice.mustPush(app, { changes: [insert('tasks', 'own')] });
      await alicePhone.mustPush(app, { changes: [insert('tasks', 'other')] });
      expect(ids((await byHeader.nextChanges()).changes)).toEqual(['other']);
      expect(ids((await byQuery.nextChanges()).changes)).toEqual(['other']);
    } finally {
      byHeader.close();
      byQuery.close();
    }
  });

  it('SSE-9 SPACE-12 delivers a change to co-members and nothing to outsiders', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice', 'bob');
    const bobStream = await openStream(bob, app, { collections: 'tasks' });
    const charlieStream = await openStream(charlie, app, { collections: 'tasks' });
    try {
      await alice.mustPush(app, { changes: [insert('tasks', 'shared', { spaceId: org }), insert('tasks', 'private')] });
      const event = await bobStream.nextChanges();
      expect(ids(event.changes)).toEqual(['shared']);
      expect(event.changes[0]).toMatchObject({ userId: 'alice', spaceId: org });
      // Charlie's own later change is the first thing he receives.
      await charlie.device('other').mustPush(app, { changes: [insert('tasks', 'charlies')] });
      expect(ids((await charlieStream.nextChanges()).changes)).toEqual(['charlies']);
    } finally {
      bobStream.close();
      charlieStream.close();
    }
  });

  it('SSE-9 SPACE-8 an open stream stops delivering a revoked space', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice', 'bob');
    const stream = await openStream(bob, app, { collections: 'tasks' });
    try {
      await alice.mustPush(app, { changes: [insert('tasks', 'before', { spaceId: org })] });
      expect(ids((await stream.nextChanges()).changes)).toEqual(['before']);
      server.auth.revoke('bob', org);
      await invalidateMemberships(server, 'bob');
      await alice.mustPush(app, { changes: [insert('tasks', 'after', { spaceId: org })] });
      await bob.device('phone').mustPush(app, { changes: [insert('tasks', 'bobs')] });
      expect(ids((await stream.nextChanges()).changes)).toEqual(['bobs']);
    } finally {
      stream.close();
    }
  });

  it('SSE-9 SPACE-11 an open stream receives the history of a space its user joins', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice');
    await alice.mustPush(app, { changes: [insert('tasks', 'history', { spaceId: org })] });
    const stream = await openStream(bob, app, { collections: 'tasks' });
    try {
      await bob.device('phone').mustPush(app, { changes: [insert('tasks', 'bobs')] });
      expect(ids((await stream.nextChanges()).changes)).toEqual(['bobs']);
      server.auth.grant('bob', org);
      await invalidateMemberships(server, 'bob');
      // The read restarts from the beginning with the new space: its history, then (again) bob's own.
      const { changes } = await stream.changes(2);
      expect(ids(changes).sort()).toEqual(['bobs', 'history']);
    } finally {
      stream.close();
    }
  });

  it('SPACE-11 SSE-2 a stream opened from a cursor issued before its user joined a space delivers the space\'s history', async () => {
    const app = freshAppId();
    const org = await shareSpace(server, 'alice');
    await alice.mustPush(app, { changes: [insert('tasks', 'history', { spaceId: org })] });
    // A pull before the join: its cursor lies past the history, which bob could not read then.
    const before = await bob.mustPull(app, { collection: 'tasks' });
    expect(before.serverChanges).toEqual([]);
    server.auth.grant('bob', org);
    await invalidateMemberships(server, 'bob');
    for (const opened of [{ since: before.syncedUntil }, { lastEventId: before.syncedUntil }]) {
      const stream = await openStream(bob, app, { collections: 'tasks', ...(opened.since === undefined ? {} : { since: opened.since }) }, opened.lastEventId === undefined ? {} : { 'last-event-id': opened.lastEventId });
      try {
        expect(ids((await stream.nextChanges()).changes)).toEqual(['history']);
      } finally {
        stream.close();
      }
    }
  });

  it('SSE-12 ends the stream with an AUTH_TOKEN_EXPIRED error event when the token expires', async () => {
    // Expired a second ago, still accepted within the clock tolerance (AUTH-4): the stream starts, then ends.
    const token = await server.auth.mint('alice', { expiresIn: -1 });
    const stream = await SseConnection.open(streamUrl(alice, freshAppId(), { collections: 'tasks' }), { authorization: `Bearer ${token}` });
    expect(await stream.errorThenEnd()).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('SSE-14 SPACE-10 ends an open stream with a MEMBERSHIP_UNAVAILABLE error event when memberships cannot be had', async () => {
    const stream = await openStream(bob, freshAppId(), { collections: 'tasks' });
    try {
      server.auth.setMembershipsMode('down');
      await invalidateMemberships(server, 'bob');
      expect(await stream.errorThenEnd()).toBe('MEMBERSHIP_UNAVAILABLE');
      expectError(await request(streamUrl(bob, freshAppId(), { collections: 'tasks' }), { headers: bob.headers() }), 503, 'MEMBERSHIP_UNAVAILABLE');
    } finally {
      server.auth.setMembershipsMode('up');
      stream.close();
    }
  });

  it('OPS-3 counts open streams and their users in the metrics', async () => {
    const gauge = async (name: string): Promise<number> => {
      const text = (await request(`${server.url}/metrics`)).text;
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    const before = await gauge('mana_sync_sse_streams');
    const app = freshAppId();
    await alicePhone.mustPush(app, { changes: [insert('tasks', 'first')] });
    const stream = await openStream(alice, app, { collections: 'tasks' });
    await stream.next();
    expect(await gauge('mana_sync_sse_streams')).toBe(before + 1);
    expect(await gauge('mana_sync_users_connected')).toBeGreaterThanOrEqual(1);
    stream.close();
  });
});

describe.each(serverDatabaseTargets())('SSE shutdown on $label', (target) => {
  it('OPS-7 SSE-14 ends every stream with a SHUTTING_DOWN error event on shutdown', async () => {
    const server = await startTestServer(target);
    let closed = false;
    try {
      const alice = await SyncTestClient.of(server, 'alice', 'laptop');
      const app = freshAppId();
      await alice.device('phone').mustPush(app, { changes: [insert('tasks', 's1')] });
      const stream = await openStream(alice, app, { collections: 'tasks' });
      expect(ids((await stream.nextChanges()).changes)).toEqual(['s1']);
      const closing = server.close();
      closed = true;
      expect(await stream.errorThenEnd()).toBe('SHUTTING_DOWN');
      await closing;
    } finally {
      if (!closed) await server.close();
    }
  });
});
