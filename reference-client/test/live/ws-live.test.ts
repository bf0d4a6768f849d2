import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Recorder } from '../support/recorder.js';
import { pullResponse, pushResponse } from '../support/sync-responses.js';
import { useMockedServer } from '../support/mocked-server.js';
import { recordingSleep } from '../support/test-clients.js';
import { WsTestServer } from '../support/ws-test-server.js';

// The WebSocket is real (undici's client against a `ws` server); the pulls it triggers go through
// the global fetch, which msw answers.
const { server: httpServer, client, closeClients } = useMockedServer();

let ws: WsTestServer;
let pulls: Recorder<string>;

beforeEach(async () => {
  ws = await WsTestServer.start();
  pulls = new Recorder<string>();
  httpServer.use(
    http.post(`${ws.url}/sync/todo`, () => HttpResponse.json(pushResponse({ syncedUntil: 'c-0' }))),
    http.get(`${ws.url}/sync/todo/pull`, ({ request }) => {
      pulls.push(new URL(request.url).searchParams.get('collection')!);
      return HttpResponse.json(pullResponse({ syncedUntil: 'c-1' }));
    }),
  );
});

afterEach(async () => {
  await closeClients();
  await ws.close();
});

function liveClient(keepaliveMs?: number) {
  return client({ serverUrl: ws.url, live: 'ws', sleep: recordingSleep().sleep, ...(keepaliveMs === undefined ? {} : { ws: { keepaliveMs } }) });
}

/** Accepts the n-th connection's auth as the server of WS-2 does, and returns the connection. */
async function authenticate(n: number) {
  const connection = (await ws.connections.whenCount(n))[n - 1]!;
  const [auth] = await connection.messages.whenCount(1);
  connection.socket.send(JSON.stringify({ type: 'auth-ok', userId: 'alice' }));
  return { connection, auth: auth! };
}

describe('live mode over the unified WebSocket', () => {
  it('WS-15 on connecting the client authenticates in-band (WS-2: token, client id) and pulls every table', async () => {
    const alice = await liveClient();
    alice.start();
    const { auth } = await authenticate(1);
    expect(auth).toEqual({ type: 'auth', token: 'token-of-alice', clientId: 'alice-laptop' });
    expect((await pulls.whenCount(2)).slice().sort()).toEqual(['lists', 'tasks']);
  });

  it('WS-15 sync-available of its app makes the client pull the named tables; other apps are ignored', async () => {
    const alice = await liveClient();
    alice.start();
    const { connection } = await authenticate(1);
    await pulls.whenCount(2);
    connection.socket.send(JSON.stringify({ type: 'sync-available', appId: 'calendar', tables: ['tasks'] }));
    connection.socket.send(JSON.stringify({ type: 'sync-available', appId: 'todo', tables: ['tasks', 'notSynced'] }));
    const seen = await pulls.whenCount(3);
    expect(seen.slice(2)).toEqual(['tasks']);
    expect(await alice.store.tableCursor('tasks')).toBe('c-1');
  });

  it('WS-15 after a reconnect the client authenticates again and pulls every table', async () => {
    const alice = await liveClient();
    alice.start();
    const { connection } = await authenticate(1);
    await pulls.whenCount(2);
    connection.socket.close(1001, 'SHUTTING_DOWN');
    const { auth } = await authenticate(2);
    expect(auth.type).toBe('auth');
    expect((await pulls.whenCount(4)).slice(2).sort()).toEqual(['lists', 'tasks']);
  });

  it('WS-15 a connection silent for two ping periods is replaced, and the new one pulls every table', async () => {
    const alice = await liveClient(40);
    alice.start();
    const { connection } = await authenticate(1);
    // The test server answers no ping: the client's pings go unanswered.
    const [, ping] = await connection.messages.whenCount(2);
    expect(ping).toEqual({ type: 'ping' });
    await authenticate(2);
    expect((await pulls.whenCount(4)).slice(2).sort()).toEqual(['lists', 'tasks']);
  });
});
