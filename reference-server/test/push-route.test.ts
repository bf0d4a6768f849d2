import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH, MAX_JSON_DEPTH, PUSH_DELTA_LIMIT } from '../../spec/generated/constants.js';
import type { Change, ServerChange } from '../../spec/generated/types.js';
import type { CommittedPush } from '../src/live/change-feed.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId, freshSpaceId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`push-route.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const insert = (id: string, data: Record<string, unknown> = { title: id }, extra: Partial<Change> = {}): Change => ({ table: 'tasks', id, op: 'insert', data, ...extra });
const update = (id: string, fields: Change['fields'], extra: Partial<Change> = {}): Change => ({ table: 'tasks', id, op: 'update', fields, ...extra });

describe.each(serverDatabaseTargets())('POST /sync/{appId} on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;
  let alicePhone: SyncTestClient;
  let bob: SyncTestClient;
  const committed: CommittedPush[] = [];

  beforeAll(async () => {
    server = await startTestServer(target);
    server.server.context.feed.onCommitted((push) => committed.push(push));
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
    alicePhone = alice.device('phone');
    bob = await SyncTestClient.of(server, 'bob', 'desk');
  });
  afterAll(async () => server?.close());

  /** Everything of an app that alice's phone (another device, so nothing is suppressed) can read. */
  const storedFor = async (reader: SyncTestClient, app: string, table = 'tasks'): Promise<ServerChange[]> =>
    (await reader.pullAll(app, table)).changes;

  it('PUSH-1 PUSH-12 stores a push and answers it 200 with the push-response shape; an empty push is a valid sync request', async () => {
    const app = freshAppId();
    const response = await alice.mustPush(app, { changes: [insert('t1')] });
    expect(response).toMatchObject({ accepted: 1, conflicts: [], serverChanges: [], hasMore: false });
    expect(await alice.mustPush(app, { changes: [] })).toMatchObject({ accepted: 0, serverChanges: [] });
    expect((await storedFor(alicePhone, app)).map((change) => change.id)).toEqual(['t1']);
  });

  it('PUSH-1 refuses an app id that does not match app-id.schema.json with 400 REQUEST_INVALID_PARAMETER', async () => {
    expectError(await alice.push('Not_Valid', { changes: [] }), 400, 'REQUEST_INVALID_PARAMETER');
  });

  it('PUSH-1 ignores the body\'s appId: the path names the app', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { appId: 'other', changes: [insert('t1')] });
    expect(await storedFor(alicePhone, app)).toHaveLength(1);
  });

  it('PUSH-2 refuses a body that is not application/json with 415, and accepts a charset parameter', async () => {
    const app = freshAppId();
    const text = await request(`${server.url}/sync/${app}`, { method: 'POST', headers: alice.headers({ 'content-type': 'text/plain' }), body: '{"changes":[]}' });
    expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const none = await request(`${server.url}/sync/${app}`, { method: 'POST', headers: alice.headers() });
    expectError(none, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const charset = await alice.push(app, { changes: [] }, { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);
  });

  it('PUSH-3 answers malformed JSON and invalid UTF-8 with 400 REQUEST_INVALID_JSON', async () => {
    const app = freshAppId();
    const post = (body: Uint8Array | string) =>
      request(`${server.url}/sync/${app}`, { method: 'POST', headers: alice.headers({ 'content-type': 'application/json' }), body });
    expectError(await post('{"changes": ['), 400, 'REQUEST_INVALID_JSON');
    expectError(await post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), 400, 'REQUEST_INVALID_JSON');
    expectError(await post(''), 400, 'REQUEST_INVALID_JSON');
  });

  it('PUSH-3 answers a schema failure with 400 REQUEST_INVALID_BODY naming the path and the index of the first failing change', async () => {
    const app = freshAppId();
    const response = await alice.push(app, { changes: [insert('ok'), { id: 'x', op: 'insert', data: {} }, { table: '1bad', id: 'y', op: 'insert', data: {} }] });
    const error = expectError(response, 400, 'REQUEST_INVALID_BODY');
    expect(error.details).toEqual({ index: 1, path: '/changes/1/table' });
    expect(expectError(await alice.push(app, { changes: 'none' }), 400, 'REQUEST_INVALID_BODY').details).toEqual({ path: '/changes' });
    expect(await storedFor(alicePhone, app)).toEqual([]);
  });

  it('PUSH-4 names the index of a change with an unknown op in 400 PUSH_INVALID_OP, and stores nothing', async () => {
    const app = freshAppId();
    const response = await alice.push(app, { changes: [insert('a'), insert('b'), { table: 'tasks', id: 'c', op: 'upsert' }] });
    expect(expectError(response, 400, 'PUSH_INVALID_OP').details).toMatchObject({ index: 2 });
    expect(await storedFor(alicePhone, app)).toEqual([]);
  });

  it('PUSH-5 takes the client id from X-Client-Id before the body, and refuses a push with neither', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { clientId: 'from-body', changes: [insert('t1')] });
    const anonymous = alice.device(undefined);
    await anonymous.mustPush(app, { clientId: 'from-body', changes: [insert('t2')] });
    expect((await storedFor(alicePhone, app)).map((change) => change.clientId)).toEqual(['laptop', 'from-body']);
    expectError(await anonymous.push(app, { changes: [] }), 400, 'PUSH_MISSING_CLIENT_ID');
  });

  it('PUSH-6 a push whose last change is refused stores nothing and notifies no one', async () => {
    const app = freshAppId();
    const before = committed.length;
    const changes = [insert('a'), insert('b'), insert('c', { title: 'c' }, { spaceId: '_personal:bob' })];
    expectError(await alice.push(app, { changes }), 403, 'SPACE_PERSONAL_FORBIDDEN');
    const invalidLast = [insert('a'), insert('b'), { table: 'tasks', id: 'c', op: 'update', fields: {} }];
    expectError(await alice.push(app, { changes: invalidLast }), 400, 'REQUEST_INVALID_BODY');
    expect(await storedFor(alicePhone, app)).toEqual([]);
    expect(committed.length).toBe(before);
  });

  it('PUSH-7 keeps the order of a push\'s changes', async () => {
    const app = freshAppId();
    const ids = ['z', 'a', 'm', 'b', 'y'];
    await alice.mustPush(app, { changes: ids.map((id) => insert(id)) });
    expect((await storedFor(alicePhone, app)).map((change) => change.id)).toEqual(ids);
  });

  it('PUSH-8 a resent push is answered as a replay with the original count and stores nothing again', async () => {
    const app = freshAppId();
    const body = { pushId: 'p-1', changes: [insert('t1'), insert('t2')] };
    await alice.mustPush(app, body);
    const before = committed.length;
    const replay = await alice.mustPush(app, body);
    expect(replay).toMatchObject({ replayed: true, accepted: 2 });
    expect(await storedFor(alicePhone, app)).toHaveLength(2);
    expect(committed.length).toBe(before);
    // The same push id of another client or another user is another push.
    await alicePhone.mustPush(app, body);
    expect(await storedFor(bob, app)).toEqual([]);
    expect(await storedFor(alice.device('tablet'), app)).toHaveLength(4);
  });

  it('PUSH-8 two concurrent copies of one push store it once', async () => {
    const app = freshAppId();
    const body = { pushId: 'p-race', changes: [insert('t1')] };
    const [first, second] = await Promise.all([alice.mustPush(app, body), alice.mustPush(app, body)]);
    expect([first.replayed ?? false, second.replayed ?? false].sort()).toEqual([false, true]);
    expect(await storedFor(alicePhone, app)).toHaveLength(1);
  });

  it('PUSH-9 a reused push id with other changes is 409 PUSH_ID_CONFLICT and stores nothing', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { pushId: 'p-2', changes: [insert('t1')] });
    expectError(await alice.push(app, { pushId: 'p-2', changes: [insert('t2')] }), 409, 'PUSH_ID_CONFLICT');
    expectError(await alice.push(app, { pushId: 'p-2', schemaVersion: 2, changes: [insert('t1')] }), 422, 'SCHEMA_VERSION_UNSUPPORTED');
    expect((await storedFor(alicePhone, app)).map((change) => change.id)).toEqual(['t1']);
  });

  it('PUSH-11 the response carries other writers\' changes of every table since the cursor, at most PUSH_DELTA_LIMIT, with hasMore', async () => {
    const app = freshAppId();
    const many = Array.from({ length: PUSH_DELTA_LIMIT + 1 }, (_, i) => insert(`t${i}`));
    await alice.mustPush(app, { changes: [...many, { table: 'lists', id: 'l1', op: 'insert', data: { name: 'x' } }] });
    const first = await alicePhone.mustPush(app, { since: '', changes: [insert('mine')] });
    expect(first.serverChanges).toHaveLength(PUSH_DELTA_LIMIT);
    expect(first.hasMore).toBe(true);
    const second = await alicePhone.mustPush(app, { since: first.syncedUntil, changes: [] });
    expect(second.hasMore).toBe(false);
    const ids = [...first.serverChanges, ...second.serverChanges].map((change) => `${change.table}/${change.id}`);
    expect(ids).toEqual([...many.map((change) => `tasks/${change.id}`), 'lists/l1']);
  });

  it('PUSH-13 takes a missing or 0 schemaVersion as 1, relays it, and refuses a newer one with 422', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { schemaVersion: 0, changes: [insert('t1')] });
    await alice.mustPush(app, { schemaVersion: 1, changes: [insert('t2')] });
    expect((await storedFor(alicePhone, app)).map((change) => change.schemaVersion)).toEqual([1, 1]);
    expectError(await alice.push(app, { schemaVersion: 2, changes: [insert('t3')] }), 422, 'SCHEMA_VERSION_UNSUPPORTED');
  });

  it('PUSH-14 refuses a body larger than MAX_BODY_BYTES from its Content-Length with 413, without reading it', async () => {
    const app = freshAppId();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = httpRequest(`${server.url}/sync/${app}`, {
        method: 'POST',
        headers: { ...alice.headers(), 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) },
      });
      outgoing.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      outgoing.on('error', reject);
      // Only the headers are sent: an answer proves the body was never waited for.
      outgoing.flushHeaders();
    });
    expect({ status, code: (JSON.parse(body) as { error: { code: string } }).error.code }).toEqual({ status: 413, code: 'REQUEST_TOO_LARGE' });
  });

  it('PUSH-14 ERR-11 keeps one connection through many refusals sent before their bodies were read, piling nothing up on it', async () => {
    // The server runs in this process: a listener left on the kept-alive socket per refusal would
    // show up as a MaxListenersExceededWarning once more than ten refusals shared it.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 15; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          // 404 is answered in onRequest, before the body is read (ERR-11).
          const outgoing = httpRequest(`${server.url}/no-such-endpoint`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } });
          outgoing.on('socket', (socket) => sockets.add(socket));
          outgoing.on('response', (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          });
          outgoing.on('error', reject);
          outgoing.end(JSON.stringify({ changes: [], padding: 'x'.repeat(4096) }));
        });
        expect(status).toBe(404);
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(sockets.size).toBe(1);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
  });

  it('PUSH-14 OPS-6 accepts MAX_CHANGES_PER_PUSH changes and refuses one more with 413 PUSH_TOO_MANY_CHANGES', async () => {
    const app = freshAppId();
    const changes = Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, (_, i) => update(`t${i}`, { done: { value: true } }));
    expectError(await alice.push(app, { changes }), 413, 'PUSH_TOO_MANY_CHANGES');
    expect((await alice.mustPush(app, { changes: changes.slice(1) })).accepted).toBe(MAX_CHANGES_PER_PUSH);
  });

  it('PUSH-15 refuses U+0000 in a value or a member name, and an unpaired surrogate, with 422 PUSH_UNSTORABLE_VALUE', async () => {
    const app = freshAppId();
    for (const data of [{ title: 'a\u0000b' }, { 'ti\u0000tle': 'a' }, { nested: [{ deep: '\ud800' }] }]) {
      expect(expectError(await alice.push(app, { changes: [insert('ok'), insert('bad', data)] }), 422, 'PUSH_UNSTORABLE_VALUE').details).toMatchObject({ index: 1 });
    }
    expectError(await alice.push(app, { changes: [insert('a', { t: 1 }, { origin: 'x\u0000' })] }), 422, 'PUSH_UNSTORABLE_VALUE');
    expect(await storedFor(alicePhone, app)).toEqual([]);
  });

  it('PUSH-16 refuses nesting deeper than MAX_JSON_DEPTH with 400 REQUEST_INVALID_BODY and accepts it at the limit', async () => {
    const app = freshAppId();
    // The body, changes, the change and data are four levels: the value nests the rest.
    const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);
    expect((await alice.mustPush(app, { changes: [insert('ok', { v: nested(MAX_JSON_DEPTH - 4) })] })).accepted).toBe(1);
    const error = expectError(await alice.push(app, { changes: [insert('deep', { v: nested(MAX_JSON_DEPTH - 3) })] }), 400, 'REQUEST_INVALID_BODY');
    expect(error.details?.path).toMatch(/^\/changes\/0\/data\/v(\/0)+$/);
    const hostile = '{"changes":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}';
    const response = await request(`${server.url}/sync/${app}`, { method: 'POST', headers: alice.headers({ 'content-type': 'application/json' }), body: hostile });
    expectError(response, 400, 'REQUEST_INVALID_BODY');
  });

  it('PUSH-20 AUTH-13 the author is the token\'s subject, whatever the body says', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('t1', { title: 'x' }, { userId: 'bob', authorId: 'bob' })] });
    expect((await storedFor(alicePhone, app)).map((change) => change.userId)).toEqual(['alice']);
    expect(await storedFor(bob, app)).toEqual([]);
  });

  it('ERR-11 answers the first failure in the order of checks', async () => {
    const app = freshAppId();
    const post = (headers: Record<string, string>, body: string) => request(`${server.url}/sync/${app}`, { method: 'POST', headers, body });
    const bad = '{"changes": [{"op": "upsert"}], "schemaVersion": 9';
    expectError(await post({ 'content-type': 'text/plain' }, bad), 401, 'AUTH_MISSING_TOKEN');
    expectError(await post(alice.headers({ 'content-type': 'text/plain' }), bad), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await post(alice.headers({ 'content-type': 'application/json' }), bad), 400, 'REQUEST_INVALID_JSON');
    const tooMany = { schemaVersion: 9, changes: Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, () => ({ op: 'upsert' })) };
    expectError(await alice.push(app, tooMany), 413, 'PUSH_TOO_MANY_CHANGES');
    expectError(await alice.push('BAD', { schemaVersion: 9, changes: [] }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await alice.push(app, { schemaVersion: 9, changes: [{ table: 'tasks', id: 'a', op: 'upsert' }] }), 400, 'PUSH_INVALID_OP');
    const clockAhead = update('a', { title: { value: 1, at: '2999-01-01T00:00:00Z' } }, { spaceId: '_personal:bob' });
    expectError(await alice.push(app, { schemaVersion: 9, changes: [clockAhead] }), 422, 'SCHEMA_VERSION_UNSUPPORTED');
    expectError(await alice.push(app, { changes: [clockAhead] }), 422, 'LWW_CLOCK_AHEAD');
    await alice.mustPush(app, { pushId: 'p-order', changes: [insert('a')] });
    expectError(await alice.push(app, { pushId: 'p-order', changes: [insert('b', {}, { spaceId: '_personal:bob' })] }), 409, 'PUSH_ID_CONFLICT');
    expectError(await alice.push(app, { changes: [update('a', { x: { value: 1 } }, { spaceId: '_personal:bob' })] }), 403, 'SPACE_PERSONAL_FORBIDDEN');
  });

  it('PULL-15 a push response carries Cache-Control: no-store', async () => {
    const response = await alice.push(freshAppId(), { changes: [] });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  describe('stamps', () => {
    it('LWW-2 LWW-3 LWW-8 relays `at` floored to the millisecond in canonical UTC and `c` unchanged', async () => {
      const app = freshAppId();
      await alice.mustPush(app, { changes: [update('t1', { title: { value: 'x', at: '2025-11-23T11:05:00.123987+01:00', c: 7 } })] });
      const [change] = await storedFor(alicePhone, app);
      expect(change?.fields.title).toEqual({ value: 'x', at: '2025-11-23T10:05:00.123Z', c: 7 });
    });

    it('LWW-1 refuses an instant without an offset with 400 REQUEST_INVALID_BODY', async () => {
      const response = await alice.push(freshAppId(), { changes: [update('t1', { title: { value: 'x', at: '2025-11-23T11:05:00' } })] });
      expect(expectError(response, 400, 'REQUEST_INVALID_BODY').details).toMatchObject({ index: 0, path: '/changes/0/fields/title/at' });
    });

    it('LWW-9 LWW-10 assigns missing stamps in the spec\'s order: at, updatedAt, the change\'s at, data.updatedAt, data.createdAt, the server clock', async () => {
      const app = freshAppId();
      const before = Date.now();
      await alice.mustPush(app, {
        changes: [
          update('u', {
            a: { value: 1, at: '2026-01-01T00:00:00Z', updatedAt: '2026-02-01T00:00:00Z' },
            b: { value: 2, updatedAt: '2026-02-01T00:00:00Z' },
            c: { value: 3 },
          }, { at: '2026-03-01T00:00:00Z', c: 4 }),
          insert('i1', { title: 't', updatedAt: '2026-04-01T00:00:00Z', createdAt: '2026-05-01T00:00:00Z' }),
          insert('i2', { title: 't', createdAt: '2026-05-01T00:00:00Z' }),
          update('s', { title: { value: 'now', c: 2 } }),
        ],
      });
      const after = Date.now();
      const [u, i1, i2, s] = await storedFor(alicePhone, app);
      expect(u?.fields).toEqual({
        a: { value: 1, at: '2026-01-01T00:00:00.000Z', c: 4 },
        b: { value: 2, at: '2026-02-01T00:00:00.000Z', c: 4 },
        c: { value: 3, at: '2026-03-01T00:00:00.000Z', c: 4 },
      });
      expect(i1?.fields.title?.at).toBe('2026-04-01T00:00:00.000Z');
      expect(i2?.fields.title?.at).toBe('2026-05-01T00:00:00.000Z');
      const serverStamp = Date.parse(s!.fields.title!.at);
      expect(serverStamp).toBeGreaterThanOrEqual(before - 1000);
      expect(serverStamp).toBeLessThanOrEqual(after + 1000);
      expect(s?.fields.title?.c).toBe(2);
    });

    it('LWW-11 LWW-13 server changes carry whole stamps, an insert\'s data, and a delete\'s deletedAt as field and member', async () => {
      const app = freshAppId();
      await alice.mustPush(app, {
        changes: [
          insert('t1', { title: 'x', done: false }, { at: '2025-11-23T10:00:00Z', actor: { kind: 'user' }, origin: 'import' }),
          { table: 'tasks', id: 't1', op: 'delete', deletedAt: '2025-11-23T10:05:00+00:00' },
          { table: 'tasks', id: 't2', op: 'delete', at: '2025-11-23T10:06:00Z', c: 3 },
        ],
      });
      const [inserted, deleted, deletedAtStamp] = await storedFor(alicePhone, app);
      expect(inserted).toMatchObject({
        op: 'insert',
        data: { title: 'x', done: false },
        fields: { title: { value: 'x', at: '2025-11-23T10:00:00.000Z', c: 0 }, done: { value: false, at: '2025-11-23T10:00:00.000Z', c: 0 } },
        userId: 'alice',
        clientId: 'laptop',
        actor: { kind: 'user' },
        origin: 'import',
      });
      expect(deleted).toMatchObject({
        op: 'delete',
        deletedAt: '2025-11-23T10:05:00.000Z',
        fields: { deletedAt: { value: '2025-11-23T10:05:00.000Z', at: '2025-11-23T10:05:00.000Z', c: 0 } },
      });
      expect(deletedAtStamp).toMatchObject({ deletedAt: '2025-11-23T10:06:00.000Z', fields: { deletedAt: { at: '2025-11-23T10:06:00.000Z', c: 3 } } });
    });

    it('LWW-12 refuses a stamp more than MAX_FUTURE_SKEW_SECONDS ahead with 422 LWW_CLOCK_AHEAD and stores nothing', async () => {
      const app = freshAppId();
      const ahead = new Date(Date.now() + 2 * 3600_000).toISOString();
      const error = expectError(await alice.push(app, { changes: [insert('ok'), update('t1', { title: { value: 'x', at: ahead } })] }), 422, 'LWW_CLOCK_AHEAD');
      expect(error.details).toMatchObject({ index: 1 });
      expect(await storedFor(alicePhone, app)).toEqual([]);
      const slightlyAhead = new Date(Date.now() + 60_000).toISOString();
      await alice.mustPush(app, { changes: [update('t1', { title: { value: 'x', at: slightlyAhead } })] });
    });
  });

  describe('spaces', () => {
    it('SPACE-1 resolves the space from spaceId, data.spaceId, fields.spaceId.value, the record, else the personal space, and relays it', async () => {
      const app = freshAppId();
      const org = freshSpaceId();
      server.auth.grant('alice', org);
      server.server.context.memberships.invalidate('alice');
      await alice.mustPush(app, {
        changes: [
          insert('a', { title: 'a' }, { spaceId: org }),
          insert('b', { title: 'b', spaceId: org }),
          update('c', { spaceId: { value: org }, title: { value: 'c' } }),
          update('a', { title: { value: 'a2' } }),
          insert('p', { title: 'p' }),
        ],
      });
      expect((await storedFor(alicePhone, app)).map((change) => [change.id, change.spaceId])).toEqual([
        ['a', org],
        ['b', org],
        ['c', org],
        ['a', org],
        ['p', '_personal:alice'],
      ]);
    });

    it('SPACE-3 refuses a write into another user\'s personal space with 403 SPACE_PERSONAL_FORBIDDEN', async () => {
      const error = expectError(await alice.push(freshAppId(), { changes: [insert('a', {}, { spaceId: '_personal:bob' })] }), 403, 'SPACE_PERSONAL_FORBIDDEN');
      expect(error.details).toEqual({ index: 0 });
    });

    it('SPACE-4 refuses a write into a space of which the author is not a member, after asking the auth service again; a new member writes at once', async () => {
      const app = freshAppId();
      const org = freshSpaceId();
      await alice.mustPush(app, { changes: [] });
      const lookups = server.auth.membershipLookups.length;
      expect(expectError(await alice.push(app, { changes: [insert('a', {}, { spaceId: org })] }), 403, 'SPACE_NOT_MEMBER').details).toEqual({ index: 0 });
      expect(server.auth.membershipLookups.length).toBeGreaterThan(lookups);
      server.auth.grant('alice', org);
      await alice.mustPush(app, { changes: [insert('a', {}, { spaceId: org })] });
    });

    it('SPACE-5 a record stays in its space: another space is 409 SPACE_MISMATCH, whose message discloses neither space', async () => {
      const app = freshAppId();
      const [orgA, orgB] = [freshSpaceId('home'), freshSpaceId('work')];
      server.auth.grant('alice', orgA);
      server.auth.grant('alice', orgB);
      server.auth.grant('bob', orgB);
      server.server.context.memberships.invalidate('alice');
      server.server.context.memberships.invalidate('bob');
      await alice.mustPush(app, { changes: [insert('r1', { title: 'secret' }, { spaceId: orgA })] });
      const error = expectError(await alice.push(app, { changes: [update('r1', { title: { value: 'x' } }, { spaceId: orgB })] }), 409, 'SPACE_MISMATCH');
      expect(error.message).not.toContain(orgA);
      // Bob cannot smuggle a change into alice's record through a space he shares with her.
      const smuggled = expectError(await bob.push(app, { changes: [update('r1', { title: { value: 'mine' } }, { spaceId: orgB })] }), 409, 'SPACE_MISMATCH');
      expect(JSON.stringify(smuggled)).not.toMatch(/secret|home-/);
      // Within one push, the first change of a record fixes its space too.
      expectError(await alice.push(app, { changes: [insert('r2', {}, { spaceId: orgA }), update('r2', { t: { value: 1 } }, { spaceId: orgB })] }), 409, 'SPACE_MISMATCH');
      // A personal record of bob's cannot be rewritten by alice into a shared space.
      await bob.mustPush(app, { changes: [insert('bobs', { title: 'b' })] });
      expectError(await alice.push(app, { changes: [update('bobs', { title: { value: 'x' } }, { spaceId: orgB })] }), 409, 'SPACE_MISMATCH');
      expectError(await alice.push(app, { changes: [update('bobs', { title: { value: 'x' } })] }), 403, 'SPACE_PERSONAL_FORBIDDEN');
    });
  });

  it('PUSH-18 the change feed hears of a push only after it committed, with its tables and spaces', async () => {
    const app = freshAppId();
    const heard = new Promise<CommittedPush>((resolve) => {
      const stop = server.server.context.feed.onCommitted((push) => {
        if (push.appId !== app) return;
        stop();
        resolve(push);
      });
    });
    await alice.mustPush(app, { changes: [insert('t1'), { table: 'lists', id: 'l1', op: 'insert', data: {} }] });
    const push = await heard;
    expect(push).toEqual({ appId: app, userId: 'alice', clientId: 'laptop', writes: [{ table: 'tasks', spaceId: '_personal:alice' }, { table: 'lists', spaceId: '_personal:alice' }] });
    // When it is heard, a pull already returns the changes.
    expect(await storedFor(alicePhone, app)).toHaveLength(1);
  });
});
