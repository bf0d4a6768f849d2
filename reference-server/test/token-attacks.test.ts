import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES } from '../../spec/generated/constants.js';
import { startAuthService, type AuthService } from '../../conformance/src/auth-service/auth-service.js';
import { hostileTokens, type HostileToken } from '../../conformance/src/auth-service/hostile-tokens.js';
import { generateSigningKey } from '../../conformance/src/auth-service/signing-keys.js';
import { mintToken } from '../../conformance/src/auth-service/token-minter.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { WsConnection } from './support/ws-client.js';

if (POSTGRES_URL === undefined) console.warn(`token-attacks.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

/** The status, code and WWW-Authenticate of a stream request (SSE-1: refused before the stream starts, as JSON). */
async function streamRefusal(server: TestServer, token: string): Promise<{ status: number; code: string | undefined; challenge: string | null }> {
  const response = await request(`${server.url}/sync/${freshAppId()}/stream?collections=tasks`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  return { status: response.status, code: (response.body as { error?: { code?: string } } | undefined)?.error?.code, challenge: response.headers.get('www-authenticate') };
}

/** A ws-error with the code, then close 1008 with the code as reason (WS-2), as a value to compare. */
async function wsRefusal(server: TestServer, token: string): Promise<{ message: unknown; close: unknown }> {
  const socket = await WsConnection.open(server.url);
  socket.send({ type: 'auth', token });
  const message = await socket.next();
  const close = await socket.next();
  return { message: (message as { type?: string; code?: string }).type === 'error' ? { type: 'error', code: (message as { code: string }).code } : message, close };
}

/** A request whose headers node:http sends as given, for an Authorization header beyond fetch's comfort. */
function rawPull(url: string, authorization: string): Promise<{ status: number; body: string; challenge: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/sync/${freshAppId()}/pull?collection=tasks`, { headers: { authorization }, agent: false });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, challenge: response.headers['www-authenticate'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(serverDatabaseTargets())('token attacks on $label', (target) => {
  let server: TestServer;
  let hostile: HostileToken[];

  beforeAll(async () => {
    server = await startTestServer(target, { env: { JWKS_REFRESH_COOLDOWN_SECONDS: '1' } });
    hostile = await hostileTokens(server.auth.signingKey, 'alice');
    // The key set is cached before the attacks, so that an unknown kid is what causes a fetch.
    await (await SyncTestClient.of(server, 'alice', 'laptop')).mustPush(freshAppId(), { changes: [] });
  });
  afterAll(async () => server?.close());

  it('AUTH-11 AUTH-2 AUTH-3 AUTH-4 AUTH-5 AUTH-6 AUTH-8 AUTH-10 every hostile token opens no stream: the JSON 401 with its code and WWW-Authenticate', async () => {
    for (const token of hostile) {
      expect({ name: token.name, ...(await streamRefusal(server, token.token)) }).toEqual({ name: token.name, status: 401, code: token.expectedCode, challenge: 'Bearer' });
    }
  });

  it('AUTH-11 WS-2 every hostile token in a WebSocket auth message is answered with a ws-error of its code, then close 1008 with the code as reason', async () => {
    for (const token of hostile) {
      expect({ name: token.name, ...(await wsRefusal(server, token.token)) }).toEqual({ name: token.name, message: { type: 'error', code: token.expectedCode }, close: { code: 1008, reason: token.expectedCode } });
    }
  });

  it('AUTH-2 AUTH-3 no hostile token writes: after every refused push, alice reads nothing', async () => {
    const app = freshAppId();
    for (const token of hostile) {
      const attacker = new SyncTestClient(server, 'alice', 'mallory', token.token);
      expect((await attacker.push(app, { changes: [{ table: 'tasks', id: token.name, op: 'insert', data: { by: 'mallory' } }] })).status).toBe(401);
    }
    const alice = await SyncTestClient.of(server, 'alice', 'laptop');
    expect((await alice.pullAll(app, 'tasks')).changes).toEqual([]);
  });

  it('AUTH-10 a token far beyond MAX_TOKEN_BYTES, past the HTTP header limit, is still 401 AUTH_INVALID_TOKEN with no JWKS fetch, on HTTP and in a WebSocket', async () => {
    const giant = await mintToken(server.auth.signingKey, 'alice', { claims: { padding: 'x'.repeat(64 * 1024) } });
    const before = server.auth.jwksFetches;
    const answer = await rawPull(server.url, `Bearer ${giant}`);
    expect({ status: answer.status, code: (JSON.parse(answer.body) as { error: { code: string } }).error.code, challenge: answer.challenge }).toEqual({ status: 401, code: 'AUTH_INVALID_TOKEN', challenge: 'Bearer' });
    // Within WS_MAX_MESSAGE_BYTES, so that the token, not the frame size, is what is refused.
    const large = await mintToken(server.auth.signingKey, 'alice', { claims: { padding: 'x'.repeat(4 * MAX_TOKEN_BYTES) } });
    expect(await wsRefusal(server, large)).toEqual({ message: { type: 'error', code: 'AUTH_INVALID_TOKEN' }, close: { code: 1008, reason: 'AUTH_INVALID_TOKEN' } });
    expect(server.auth.jwksFetches).toBe(before);
  });

  it('AUTH-8 AUTH-11 unknown kids in WebSocket auth messages make the server refresh its key set once the cooldown allows, with one JWKS fetch', async () => {
    const started = Date.now();
    const before = server.auth.jwksFetches;
    // Unknown kids until the server refreshes; the refresh is awaited, bounded by ten cooldowns.
    while (server.auth.jwksFetches === before) {
      expect(Date.now() - started, 'no JWKS refresh within 10 s of unknown kids').toBeLessThan(10_000);
      const unknown = await mintToken(await generateSigningKey('unknown'), 'alice');
      expect(await wsRefusal(server, unknown)).toEqual({ message: { type: 'error', code: 'AUTH_UNKNOWN_KEY' }, close: { code: 1008, reason: 'AUTH_UNKNOWN_KEY' } });
    }
    expect(server.auth.jwksFetches - before).toBe(1);
  });
});

describe.each(serverDatabaseTargets())('unknown kids and configured issuers on $label', (target) => {
  let auth: AuthService;
  beforeAll(async () => {
    auth = await startAuthService();
  });
  afterAll(async () => auth?.close());

  it('AUTH-8 AUTH-11 a burst of unknown kids over HTTP, streams and WebSockets at once makes exactly one JWKS fetch within the cooldown', async () => {
    const server = await startTestServer(target, { auth, env: { JWKS_REFRESH_COOLDOWN_SECONDS: '30' } });
    try {
      const before = auth.jwksFetches;
      const tokens = await Promise.all(Array.from({ length: 12 }, async () => mintToken(await generateSigningKey('burst'), 'alice')));
      const answers = await Promise.all(
        tokens.map(async (token, i) => {
          if (i % 3 === 0) return (await wsRefusal(server, token)).close;
          if (i % 3 === 1) return { code: (await streamRefusal(server, token)).code };
          const response = await new SyncTestClient(server, 'alice', 'laptop', token).pull(freshAppId(), { collection: 'tasks' });
          return { code: (response.body as { error: { code: string } }).error.code };
        }),
      );
      for (const [i, answer] of answers.entries()) expect(answer).toEqual(i % 3 === 0 ? { code: 1008, reason: 'AUTH_UNKNOWN_KEY' } : { code: 'AUTH_UNKNOWN_KEY' });
      expect(auth.jwksFetches - before).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('AUTH-7 AUTH-11 with JWT_ISSUER and JWT_AUDIENCE set, a wrong or missing issuer or audience is refused on streams and WebSockets as on HTTP', async () => {
    const server = await startTestServer(target, { auth, env: { JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'mana-sync' } });
    try {
      const good = await auth.mint('alice', { issuer: 'https://auth.example', audience: 'mana-sync' });
      const socket = await WsConnection.authenticated(server.url, good);
      socket.close();
      for (const options of [{ issuer: 'https://evil.example', audience: 'mana-sync' }, { issuer: 'https://auth.example', audience: 'other' }, { audience: 'mana-sync' }, { issuer: 'https://auth.example' }]) {
        const token = await auth.mint('alice', options);
        const label = JSON.stringify(options);
        expectError(await new SyncTestClient(server, 'alice', 'laptop', token).pull(freshAppId(), { collection: 'tasks' }), 401, 'AUTH_INVALID_TOKEN');
        expect({ label, ...(await streamRefusal(server, token)) }).toEqual({ label, status: 401, code: 'AUTH_INVALID_TOKEN', challenge: 'Bearer' });
        expect({ label, ...(await wsRefusal(server, token)) }).toEqual({ label, message: { type: 'error', code: 'AUTH_INVALID_TOKEN' }, close: { code: 1008, reason: 'AUTH_INVALID_TOKEN' } });
      }
    } finally {
      await server.close();
    }
  });
});
