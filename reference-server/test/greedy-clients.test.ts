import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_MAX_MESSAGE_BYTES } from '../../spec/generated/constants.js';
import { WS_MAX_BUFFERED_BYTES } from '../src/live/ws-session.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { SyncTestClient } from './support/sync-client.js';
import { until } from './support/until.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { WsConnection } from './support/ws-client.js';
import { WsFlooder } from './support/ws-flooder.js';

if (POSTGRES_URL === undefined) console.warn(`greedy-clients.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

/** A server-side socket of `ws` (which ships no types): only what the test reads and wraps. */
interface ServerSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
}

/**
 * The largest buffer of unsent data any server-side socket held right after one of its sends:
 * every socket @fastify/websocket opens from now on is watched (`ws` emits 'connection' for each).
 */
function watchServerBuffers(server: TestServer): { largest: () => number; stop: () => void } {
  let largest = 0;
  const wss = (server.server.app as unknown as { websocketServer: { on(event: 'connection', listener: (socket: ServerSocket) => void): void; off(event: 'connection', listener: (socket: ServerSocket) => void): void } }).websocketServer;
  const watch = (socket: ServerSocket) => {
    const send = socket.send.bind(socket);
    socket.send = (data: string) => {
      send(data);
      largest = Math.max(largest, socket.bufferedAmount);
    };
  };
  wss.on('connection', watch);
  return { largest: () => largest, stop: () => wss.off('connection', watch) };
}

// One answer may land on top of the bound before the check that drops the socket.
const BUFFER_BOUND = WS_MAX_BUFFERED_BYTES + WS_MAX_MESSAGE_BYTES;

describe.each(serverDatabaseTargets())('greedy WebSocket clients on $label', (target) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(target);
  }, 120_000);
  afterAll(async () => server?.close(), 120_000);

  it('OPS-11 WS-4 WS-6 a socket that floods pings and invalid messages and never reads the answers is dropped at a bounded buffer; other sockets keep hearing of pushes and answering pings', async () => {
    const app = freshAppId();
    const alice = await SyncTestClient.of(server, 'alice', 'laptop');
    const bob = await SyncTestClient.of(server, 'bob', 'laptop');
    const connections = server.server.context.connections;
    const buffers = watchServerBuffers(server);
    const listener = await WsConnection.authenticated(server.url, alice.token, { clientId: 'listener' });
    const flooder = await WsFlooder.authenticated(server.url, bob.token);
    expect(connections.count('ws')).toBe(2);
    try {
      // After authentication each invalid message is answered with a ws-error (WS-6) and each ping
      // with a pong (WS-4): unread, their answers add up to several times the bound and the
      // kernel's socket buffers together (most of the flood waits in the kernel until the server
      // reads it, or is discarded when it drops the socket).
      let sent = 0;
      for (let round = 0; round < 30 && !flooder.closed; round++) {
        sent += await flooder.flood('x', 4_000);
        sent += await flooder.flood('{"type":"ping"}', 400);
      }
      // A server without the bound fails here as soon as it buffers beyond it.
      await until(() => connections.count('ws') === 1 || buffers.largest() > BUFFER_BOUND, 'the flooder was dropped', 150_000);
      // Other sockets keep hearing of pushes and answering pings. Asked only once the flooder is
      // dropped: the spec sets no message rate limit, so how long others wait while a server works
      // through a flood is not bounded (a loaded runner once held this process's event loop, which
      // runs the server, past a database query's timeout).
      await alice.device('phone').mustPush(app, { changes: [{ table: 'tasks', id: 't-1', op: 'insert', data: { title: 'x' } }] });
      expect(await listener.next()).toEqual({ type: 'sync-available', appId: app, tables: ['tasks'] });
      listener.send({ type: 'ping' });
      expect(await listener.next()).toEqual({ type: 'pong' });
      const largestBuffer = buffers.largest();
      console.log(`greedy-clients.test.ts on ${target.label}: the flooder sent ${sent} frames; largest server-side buffer ${largestBuffer} bytes (bound ${WS_MAX_BUFFERED_BYTES})`);
      expect(largestBuffer).toBeLessThanOrEqual(BUFFER_BOUND);
      expect(largestBuffer, 'the flood did fill the server-side buffer').toBeGreaterThan(WS_MAX_BUFFERED_BYTES);
      expect(connections.count('ws')).toBe(1);

      // The listener is still served after the flooder is gone.
      await alice.device('phone').mustPush(app, { changes: [{ table: 'notes', id: 'n-1', op: 'insert', data: { title: 'y' } }] });
      expect(await listener.next()).toEqual({ type: 'sync-available', appId: app, tables: ['notes'] });
    } finally {
      buffers.stop();
      flooder.destroy();
      listener.close();
    }
    // The server works through the flood in the kernel's buffers before it reaches its own bound:
    // on a busy machine that takes a while. A failure bound only.
  }, 180_000);

  it('OPS-11 WS-4 a socket that floods pings and reads the pongs does not hold back another socket\'s notifications', async () => {
    const app = freshAppId();
    const alice = await SyncTestClient.of(server, 'alice', 'laptop');
    const bob = await SyncTestClient.of(server, 'bob', 'laptop');
    const listener = await WsConnection.authenticated(server.url, alice.token, { clientId: 'listener' });
    const flooder = await WsConnection.authenticated(server.url, bob.token);
    const pings = 5_000;
    try {
      for (let i = 0; i < pings; i++) flooder.send({ type: 'ping' });
      await alice.device('phone').mustPush(app, { changes: [{ table: 'tasks', id: 't-1', op: 'insert', data: { title: 'x' } }] });
      expect(await listener.next()).toEqual({ type: 'sync-available', appId: app, tables: ['tasks'] });
      // Every ping is answered, in order, and nothing else reaches the flooder (WS-4).
      for (let i = 0; i < pings; i++) expect(await flooder.next()).toEqual({ type: 'pong' });
    } finally {
      flooder.close();
      listener.close();
    }
  }, 180_000);
});
