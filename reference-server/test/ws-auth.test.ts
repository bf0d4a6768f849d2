import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES, WS_MAX_MESSAGE_BYTES } from '../../spec/generated/constants.js';
import { serverDatabaseTargets } from './support/database-targets.js';
import { request } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { WsConnection } from './support/ws-client.js';

// Authentication, framing and keepalive do not involve the store: one database suffices.
const [target] = serverDatabaseTargets();

/** The `ws` client, for what the WHATWG API hides (protocol pings); the package ships no types. */
interface RawWsClient {
  send(data: string): void;
  on(event: 'ping', listener: () => void): void;
  on(event: 'close', listener: (code: number) => void): void;
  on(event: 'open', listener: () => void): void;
}
const { WebSocket: RawWebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options: { autoPong: boolean }) => RawWsClient;
};

/** The status of an upgrade request that the server refuses before upgrading. */
function upgradeStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
    });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('the server upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket authentication and framing', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(target!, { env: { WS_AUTH_TIMEOUT_SECONDS: '1', WS_PING_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => server?.close());

  const token = (sub = 'alice', expiresIn?: number) => server.auth.mint(sub, expiresIn === undefined ? {} : { expiresIn });

  it('WS-1 upgrades /ws and /ws/{appId} without HTTP authentication and refuses a bad app id with 400 before the upgrade', async () => {
    for (const path of ['/ws', '/ws/todo']) {
      const socket = await WsConnection.authenticated(server.url, await token(), { path });
      socket.close();
    }
    const refused = await upgradeStatus(`${server.url}/ws/Not_Valid`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'REQUEST_INVALID_PARAMETER' } });
    expect((await request(`${server.url}/ws`)).status).toBe(400);
  });

  it('WS-2 answers a valid token with auth-ok naming the user', async () => {
    const socket = await WsConnection.open(server.url);
    socket.send({ type: 'auth', token: await token(), clientId: 'laptop' });
    expect(await socket.next()).toEqual({ type: 'auth-ok', userId: 'alice' });
    socket.close();
  });

  it('WS-2 AUTH-11 answers an invalid, expired or empty token with ws-error, then closes 1008 with the code', async () => {
    const cases: Array<[string, string]> = [
      ['not-a-jwt', 'AUTH_INVALID_TOKEN'],
      [await token('alice', -3600), 'AUTH_TOKEN_EXPIRED'],
      ['', 'AUTH_MISSING_TOKEN'],
      // Longer than the auth message's schema allows, yet refused as on HTTP (AUTH-10), not as an invalid message.
      [`${await token()}${'a'.repeat(MAX_TOKEN_BYTES)}`, 'AUTH_INVALID_TOKEN'],
    ];
    for (const [value, code] of cases) {
      const socket = await WsConnection.open(server.url);
      socket.send({ type: 'auth', token: value });
      await socket.expectErrorAndClose(code);
    }
  });

  it('WS-3 WS-4 closes a socket that never authenticates with 1008 AUTH_TIMEOUT; pings are answered but do not extend the deadline', async () => {
    const silent = await WsConnection.open(server.url);
    const pinging = await WsConnection.open(server.url);
    // Pings every 200 ms until the close: a deadline that each ping extended would never pass, and
    // the wait for the close would time out.
    const pinger = setInterval(() => pinging.send({ type: 'ping' }), 200);
    try {
      expect(await pinging.closed).toEqual({ code: 1008, reason: 'AUTH_TIMEOUT' });
    } finally {
      clearInterval(pinger);
    }
    expect(await pinging.next()).toEqual({ type: 'pong' });
    await silent.expectErrorAndClose('AUTH_TIMEOUT');
  });

  it('WS-4 answers pings after authentication', async () => {
    const socket = await WsConnection.authenticated(server.url, await token());
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    socket.close();
  });

  it('WS-5 answers anything but auth and ping before authentication with WS_INVALID_MESSAGE and 1008', async () => {
    for (const message of ['{"type":"subscribe"}', 'not json', '{"type":"auth"}']) {
      const socket = await WsConnection.open(server.url);
      socket.send(message);
      await socket.expectErrorAndClose('WS_INVALID_MESSAGE');
    }
  });

  it('WS-6 answers an invalid message after authentication with WS_INVALID_MESSAGE and keeps the socket open; a binary frame closes 1003', async () => {
    const socket = await WsConnection.authenticated(server.url, await token());
    socket.send('not json');
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'WS_INVALID_MESSAGE' });
    socket.send({ type: 'unknown' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'WS_INVALID_MESSAGE' });
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    socket.sendBinary(new Uint8Array([1, 2, 3]));
    expect(await socket.closed).toEqual({ code: 1003, reason: 'WS_INVALID_MESSAGE' });
  });

  it('WS-7 closes with 1009 on a message larger than WS_MAX_MESSAGE_BYTES', async () => {
    const socket = await WsConnection.authenticated(server.url, await token());
    socket.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(WS_MAX_MESSAGE_BYTES) }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('WS-12 accepts a renewal with a token of the same user and refuses one of another user with 1008 AUTH_INVALID_TOKEN', async () => {
    const socket = await WsConnection.authenticated(server.url, await token());
    socket.send({ type: 'auth', token: await token() });
    expect(await socket.next()).toEqual({ type: 'auth-ok', userId: 'alice' });
    socket.send({ type: 'auth', token: await token('mallory') });
    await socket.expectErrorAndClose('AUTH_INVALID_TOKEN');
  });

  it('WS-12 closes an authenticated socket with 1008 AUTH_TOKEN_EXPIRED when its token expires', async () => {
    // Expired a second ago, still accepted within the clock tolerance (AUTH-4).
    const socket = await WsConnection.authenticated(server.url, await token('alice', -1));
    await socket.expectErrorAndClose('AUTH_TOKEN_EXPIRED');
  });

  it('WS-13 pings every interval and drops an authenticated peer that leaves two pings in a row unanswered', async () => {
    const client = new RawWebSocket(`${server.url.replace(/^http/, 'ws')}/ws`, { autoPong: false });
    let pings = 0;
    client.on('ping', () => pings++);
    const closed = new Promise<number>((resolve) => client.on('close', resolve));
    await new Promise<void>((resolve) => client.on('open', resolve));
    client.send(JSON.stringify({ type: 'auth', token: await token() }));
    // Terminated (no close frame) on the third interval, after two unanswered pings.
    expect(await closed).toBe(1006);
    expect(pings).toBe(2);
  });

  it('OPS-3 counts open WebSockets in the metrics', async () => {
    const gauge = async (): Promise<number> => Number(/^mana_sync_ws_connections (\d+)$/m.exec((await request(`${server.url}/metrics`)).text)?.[1]);
    const before = await gauge();
    const socket = await WsConnection.authenticated(server.url, await token());
    expect(await gauge()).toBe(before + 1);
    socket.close();
    await socket.closed;
  });
});

describe('WebSocket shutdown', () => {
  it('OPS-7 closes every socket with 1001 SHUTTING_DOWN', async () => {
    const server = await startTestServer(target!);
    const socket = await WsConnection.authenticated(server.url, await server.auth.mint('alice'));
    await server.close();
    expect(await socket.closed).toEqual({ code: 1001, reason: 'SHUTTING_DOWN' });
  });
});
