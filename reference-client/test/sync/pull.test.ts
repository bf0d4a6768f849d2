import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isClientError } from '../../src/errors.js';
import { Recorder } from '../support/recorder.js';
import { serverChange } from '../support/server-changes.js';
import { errorResponse, pullResponse, pushResponse } from '../support/sync-responses.js';
import { useMockedServer } from '../support/mocked-server.js';
import { recordingSleep, SERVER_URL } from '../support/test-clients.js';

const { server, client } = useMockedServer();

interface SeenPull {
  collection: string | null;
  since: string | null;
  clientId: string | null;
}

/** Answers pulls by (collection, since); an unknown position is a test failure. */
function pulls(answer: (pull: SeenPull) => Response): Recorder<SeenPull> {
  const seen = new Recorder<SeenPull>();
  server.use(
    http.get(`${SERVER_URL}/sync/todo/pull`, ({ request }) => {
      const url = new URL(request.url);
      const pull = { collection: url.searchParams.get('collection'), since: url.searchParams.get('since'), clientId: request.headers.get('x-client-id') };
      seen.push(pull);
      return answer(pull);
    }),
  );
  return seen;
}

const fromBob = (id: string) => serverChange({ userId: 'bob', clientId: 'phone', id, op: 'insert', fields: { title: { value: id } } });

describe('pulling a table', () => {
  it('PULL-5 pages are pulled while hasMore is true, each from the cursor the last one ended at', async () => {
    const seen = pulls(({ since }) => {
      if (since === '') return HttpResponse.json(pullResponse({ serverChanges: [fromBob('b1')], syncedUntil: 'c-1', hasMore: true }));
      if (since === 'c-1') return HttpResponse.json(pullResponse({ serverChanges: [fromBob('b2')], syncedUntil: 'c-2', hasMore: false }));
      return errorResponse(400, 'CURSOR_INVALID');
    });
    const alice = await client();
    await alice.pull(['tasks']);
    expect(seen.items).toEqual([
      { collection: 'tasks', since: '', clientId: 'alice-laptop' },
      { collection: 'tasks', since: 'c-1', clientId: 'alice-laptop' },
    ]);
    expect((await alice.list('tasks')).map((task) => task.id).sort()).toEqual(['b1', 'b2']);
    expect(await alice.store.tableCursor('tasks')).toBe('c-2');
    // A pull covers one table: it moves neither the app cursor nor another table's.
    expect([await alice.store.appCursor(), await alice.store.tableCursor('lists')]).toEqual([undefined, undefined]);
  });

  it('PULL-14 after a complete push delta every table is pulled from the push cursor', async () => {
    server.use(http.post(`${SERVER_URL}/sync/todo`, () => HttpResponse.json(pushResponse({ syncedUntil: 'c-push' }))));
    const seen = pulls(() => HttpResponse.json(pullResponse({ syncedUntil: 'c-after' })));
    const alice = await client();
    await alice.sync();
    await alice.pull();
    expect(seen.items.map((pull) => [pull.collection, pull.since])).toEqual([
      ['tasks', 'c-push'],
      ['lists', 'c-push'],
    ]);
  });

  it('PULL-11 a pull answered 409 CURSOR_RESET drops the app cursors and reads again from the beginning', async () => {
    server.use(http.post(`${SERVER_URL}/sync/todo`, () => HttpResponse.json(pushResponse({ syncedUntil: 'c-old' }))));
    const seen = pulls(({ since }) => (since === 'c-old' ? errorResponse(409, 'CURSOR_RESET') : HttpResponse.json(pullResponse({ serverChanges: [fromBob('b1')], syncedUntil: 'c-fresh' }))));
    const alice = await client();
    await alice.sync();
    await alice.pull(['tasks']);
    expect(seen.items.map((pull) => pull.since)).toEqual(['c-old', '']);
    expect(await alice.store.tableCursor('tasks')).toBe('c-fresh');
    // The reset covered the app: the other table and the push cursor start again too.
    expect([await alice.store.appCursor(), await alice.store.tableCursor('lists')]).toEqual([undefined, undefined]);
    expect((await alice.get('tasks', 'b1'))!.title).toBe('b1');
  });

  it('ERR-10 a pull answered 503 is retried after Retry-After; a 403 is not retried', async () => {
    let calls = 0;
    pulls(() => (++calls === 1 ? errorResponse(503, 'MEMBERSHIP_UNAVAILABLE', 3) : HttpResponse.json(pullResponse())));
    const { sleep, delays } = recordingSleep();
    const alice = await client({ sleep });
    await alice.pull(['tasks']);
    expect(delays).toEqual([3000]);

    const refused = pulls(() => errorResponse(403, 'SPACE_NOT_MEMBER'));
    await expect(alice.pull(['lists'])).rejects.toSatisfy((error) => isClientError(error, 'SYNC_REFUSED') && error.status === 403);
    expect(refused.items).toHaveLength(1);
  });

  it('WS-15 pulls requested while one is waiting join it, so a burst of notifications costs one pull per table', async () => {
    const seen = pulls(() => HttpResponse.json(pullResponse()));
    const alice = await client();
    await Promise.all([alice.pull(['tasks']), alice.pull(['tasks']), alice.pull(['lists'])]);
    expect(seen.items.map((pull) => pull.collection).sort()).toEqual(['lists', 'tasks']);
  });
});
