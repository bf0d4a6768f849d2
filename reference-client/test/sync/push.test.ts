import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Changeset } from '../../../spec/generated/types.js';
import { isClientError } from '../../src/errors.js';
import { serverChange } from '../support/server-changes.js';
import { errorResponse, pushResponse } from '../support/sync-responses.js';
import { useMockedServer } from '../support/mocked-server.js';
import { recordingSleep, SERVER_URL } from '../support/test-clients.js';

const { server, client } = useMockedServer();

interface SeenPush {
  body: Changeset;
  headers: Headers;
}

/** Answers pushes with the given responses in turn, remembering what was sent. */
function pushes(...answers: ((body: Changeset) => Response)[]): SeenPush[] {
  const seen: SeenPush[] = [];
  server.use(
    http.post(`${SERVER_URL}/sync/todo`, async ({ request }) => {
      const body = (await request.json()) as Changeset;
      seen.push({ body, headers: request.headers });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      return answer(body);
    }),
  );
  return seen;
}

describe('pushing the outbox', () => {
  it('PUSH-10 a push whose response is lost is resent with the same push id and the same changes', async () => {
    const seen = pushes(
      () => HttpResponse.error(),
      (body) => HttpResponse.json(pushResponse({ accepted: body.changes.length, replayed: true })),
    );
    const { sleep, delays } = recordingSleep();
    const alice = await client({ sleep });
    await alice.insert('tasks', { title: 'buy milk' });
    await alice.sync();
    expect(seen).toHaveLength(2);
    expect(seen[0]!.body.pushId).toBeDefined();
    expect(seen[1]!.body.pushId).toBe(seen[0]!.body.pushId);
    expect(seen[1]!.body.changes).toEqual(seen[0]!.body.changes);
    expect(seen[0]!.headers.get('x-client-id')).toBe('alice-laptop');
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer token-of-alice');
    expect(delays).toEqual([50 + 50]);
    expect(await alice.store.outboxSize()).toBe(0);
  });

  it('PUSH-10 every new push gets a fresh push id', async () => {
    const seen = pushes((body) => HttpResponse.json(pushResponse({ accepted: body.changes.length })));
    const alice = await client();
    await alice.insert('tasks', { title: 'a' });
    await alice.sync();
    await alice.insert('tasks', { title: 'b' });
    await alice.sync();
    expect(seen.map((push) => push.body.changes.length)).toEqual([1, 1]);
    expect(seen[1]!.body.pushId).not.toBe(seen[0]!.body.pushId);
  });

  it('ERR-10 a 503 with Retry-After is retried after the time the server asked for', async () => {
    const seen = pushes(
      () => errorResponse(503, 'STORE_UNAVAILABLE', 7),
      () => errorResponse(429, 'RATE_LIMITED', 2),
      (body) => HttpResponse.json(pushResponse({ accepted: body.changes.length })),
    );
    const { sleep, delays } = recordingSleep();
    const alice = await client({ sleep });
    await alice.insert('tasks', { title: 'a' });
    await alice.sync();
    expect(delays).toEqual([7000, 2000]);
    expect(new Set(seen.map((push) => push.body.pushId)).size).toBe(1);
    expect(alice.state).toBe('online');
  });

  it('ERR-10 network failures and 500 are retried with exponential backoff, then reported as offline', async () => {
    const seen = pushes(
      () => HttpResponse.error(),
      () => errorResponse(500, 'INTERNAL_ERROR'),
    );
    const { sleep, delays } = recordingSleep();
    const alice = await client({ sleep });
    const states: string[] = [];
    alice.on('state', (state) => states.push(state));
    await alice.insert('tasks', { title: 'a' });
    await expect(alice.sync()).rejects.toSatisfy((error) => isClientError(error, 'SYNC_SERVER_UNAVAILABLE'));
    // base 100 ms doubling, of which a random half (here all of it: random() = 1) is waited.
    expect(delays).toEqual([100, 200, 400]);
    expect(seen).toHaveLength(4);
    expect(states).toEqual(['syncing', 'offline']);
    // Offline queueing: the change is still queued, under the same push id.
    expect(await alice.store.outboxSize()).toBe(1);
    expect((await alice.store.takePushBatch())!.pushId).toBe(seen[0]!.body.pushId);
  });

  it('ERR-10 a push refused with 400 is not resent: it is set aside and surfaced', async () => {
    const seen = pushes(
      () => errorResponse(400, 'REQUEST_INVALID_BODY'),
      (body) => HttpResponse.json(pushResponse({ accepted: body.changes.length })),
    );
    const alice = await client();
    const rejected: string[] = [];
    alice.on('push-rejected', (push, error) => rejected.push(`${push.code} ${error.status}`));
    await alice.insert('tasks', { title: 'refused' });
    const error: unknown = await alice.sync().catch((e: unknown) => e);
    expect(isClientError(error, 'SYNC_REFUSED') && error.serverError?.code).toBe('REQUEST_INVALID_BODY');
    expect(seen).toHaveLength(1);
    expect(rejected).toEqual(['REQUEST_INVALID_BODY 400']);
    expect(alice.state).toBe('error');
    expect((await alice.store.rejectedPushes())[0]!.changes[0]!.data).toEqual({ title: 'refused' });
    // The queue goes on without it.
    await alice.insert('tasks', { title: 'next' });
    await alice.sync();
    expect(seen[1]!.body.changes.map((change) => change.data!.title)).toEqual(['next']);
  });

  it('ERR-10 a 401 is not resent with a fixed token; a token getter is asked again once', async () => {
    const fixed = pushes(() => errorResponse(401, 'AUTH_TOKEN_EXPIRED'));
    const alice = await client();
    await expect(alice.sync()).rejects.toSatisfy((error) => isClientError(error, 'SYNC_REFUSED') && error.status === 401);
    expect(fixed).toHaveLength(1);

    const tokens = ['old', 'new'];
    const renewed = pushes(
      () => errorResponse(401, 'AUTH_TOKEN_EXPIRED'),
      () => HttpResponse.json(pushResponse()),
    );
    const bob = await client({ userId: 'bob', token: () => tokens.shift() ?? 'none' });
    await bob.sync();
    expect(renewed.map((push) => push.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
  });

  it('PUSH-11 the delta is applied, and while hasMore is true the client pushes again from syncedUntil', async () => {
    const fromBob = (id: string) => serverChange({ userId: 'bob', clientId: 'phone', id, op: 'insert', fields: { title: { value: id } } });
    const seen = pushes(
      (body) => HttpResponse.json(pushResponse({ serverChanges: [fromBob('b1')], syncedUntil: 'c-page-1', hasMore: true, accepted: body.changes.length })),
      () => HttpResponse.json(pushResponse({ serverChanges: [fromBob('b2')], syncedUntil: 'c-page-2', hasMore: false })),
    );
    const alice = await client();
    await alice.insert('tasks', { title: 'a' });
    await alice.sync();
    expect(seen.map((push) => [push.body.since, push.body.changes.length, push.body.pushId === undefined])).toEqual([
      ['', 1, false],
      ['c-page-1', 0, true],
    ]);
    expect((await alice.list('tasks')).map((task) => task.title).sort()).toEqual(['a', 'b1', 'b2']);
    expect([await alice.store.appCursor(), await alice.store.tableCursor('tasks'), await alice.store.tableCursor('lists')]).toEqual(['c-page-2', 'c-page-2', 'c-page-2']);
  });

  it('PULL-11 a push answered 409 CURSOR_RESET is sent again from the beginning, with the same push id', async () => {
    const seen = pushes(
      () => HttpResponse.json(pushResponse({ syncedUntil: 'c-old' })),
      () => errorResponse(409, 'CURSOR_RESET'),
      (body) => HttpResponse.json(pushResponse({ syncedUntil: 'c-new', accepted: body.changes.length })),
    );
    const alice = await client();
    await alice.sync();
    await alice.insert('tasks', { title: 'a' });
    await alice.sync();
    expect(seen.map((push) => push.body.since)).toEqual(['', 'c-old', '']);
    expect(seen[2]!.body.pushId).toBe(seen[1]!.body.pushId);
    expect(await alice.store.appCursor()).toBe('c-new');
  });

  it('PUSH-1 an answer that does not match push-response.schema.json is an error, not data', async () => {
    pushes(() => HttpResponse.json({ serverChanges: [{ id: 'x' }], conflicts: [], syncedUntil: 'c', hasMore: false, accepted: 0 }));
    const alice = await client();
    await expect(alice.sync()).rejects.toSatisfy((error) => isClientError(error, 'SYNC_INVALID_RESPONSE'));
    expect(await alice.store.appCursor()).toBeUndefined();
  });

  it('LWW-16 a conflict event reports a queued local edit that loses to the delta of its own push', async () => {
    const alice = await client();
    const task = await alice.insert('tasks', { title: 'mine' });
    const stored = await alice.store.getStored('tasks', task.id);
    const later = new Date(Date.parse(stored!.meta.title!.at) + 1000).toISOString();
    pushes((body) =>
      HttpResponse.json(
        pushResponse({
          accepted: body.changes.length,
          serverChanges: [{ ...serverChange({ userId: 'bob', clientId: 'phone', id: task.id, fields: { title: { value: 'theirs' } } }), fields: { title: { value: 'theirs', at: later, c: 0 } } }],
        }),
      ),
    );
    const conflicts: unknown[] = [];
    alice.on('conflict', (conflict) => conflicts.push([conflict.field, conflict.localValue, conflict.incomingValue]));
    await alice.sync();
    expect(conflicts).toEqual([['title', 'mine', 'theirs']]);
    expect((await alice.get('tasks', task.id))!.title).toBe('theirs');
  });
});
