import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostileTokens, type HostileToken } from '../../conformance/src/auth-service/hostile-tokens.js';
import { mintToken } from '../../conformance/src/auth-service/token-minter.js';
import { generateSigningKey } from '../../conformance/src/auth-service/signing-keys.js';
import { startAuthService, type AuthService } from '../../conformance/src/auth-service/auth-service.js';
import { createJwksKeys } from '../src/auth/jwks-keys.js';
import { createTokenVerifier } from '../src/auth/jwt-verifier.js';
import { SyncError } from '../src/errors.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`auth.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const withToken = (server: TestServer, token: string, clientId = 'device') => new SyncTestClient(server, 'alice', clientId, token);

describe.each(serverDatabaseTargets())('authentication on $label', (target) => {
  let server: TestServer;
  let hostile: HostileToken[];
  const logLines: string[] = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    server = await startTestServer(target, { env: { JWKS_REFRESH_COOLDOWN_SECONDS: '1' }, deps: { logger: pino({ level: 'trace' }, logStream) } });
    hostile = await hostileTokens(server.auth.signingKey, 'alice');
  });
  afterAll(async () => server?.close());

  it('AUTH-1 a data request without a bearer token is 401 AUTH_MISSING_TOKEN with WWW-Authenticate: Bearer', async () => {
    const app = freshAppId();
    for (const authorization of [undefined, 'Basic YWxpY2U6c2VjcmV0', 'Token abc']) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) };
      const push = await request(`${server.url}/sync/${app}`, { method: 'POST', headers, body: '{"changes":[]}' });
      expectError(push, 401, 'AUTH_MISSING_TOKEN');
      expect(push.headers.get('www-authenticate')).toBe('Bearer');
      expectError(await request(`${server.url}/sync/${app}/pull?collection=tasks`, { headers }), 401, 'AUTH_MISSING_TOKEN');
    }
  });

  it('AUTH-12 an empty bearer token is AUTH_MISSING_TOKEN, two tokens are AUTH_INVALID_TOKEN', async () => {
    const pull = (authorization: string) => request(`${server.url}/sync/${freshAppId()}/pull?collection=tasks`, { headers: { authorization } });
    expectError(await pull('Bearer'), 401, 'AUTH_MISSING_TOKEN');
    expectError(await pull('Bearer    '), 401, 'AUTH_MISSING_TOKEN');
    expectError(await pull('Bearer a b'), 401, 'AUTH_INVALID_TOKEN');
  });

  it('AUTH-2 AUTH-3 AUTH-4 AUTH-5 AUTH-6 AUTH-8 AUTH-10 every hostile token is refused with its code and WWW-Authenticate', async () => {
    const app = freshAppId();
    for (const token of hostile) {
      const client = withToken(server, token.token);
      for (const response of [await client.push(app, { changes: [] }), await client.pull(app, { collection: 'tasks' })]) {
        expect({ name: token.name, code: (response.body as { error?: { code?: string } }).error?.code, status: response.status }).toEqual({
          name: token.name,
          code: token.expectedCode,
          status: 401,
        });
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
  });

  it('AUTH-3 a signature in non-canonical base64url (same bytes, other token) is refused', async () => {
    const token = await server.auth.mint('alice');
    const last = token.at(-1)!;
    // An Ed25519 signature's last base64url character carries 2 bits; the next character differs only in unused bits.
    const variant = `${token.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
    expect(Buffer.from(variant.split('.')[2]!, 'base64url')).toEqual(Buffer.from(token.split('.')[2]!, 'base64url'));
    expectError(await withToken(server, variant).push(freshAppId(), { changes: [] }), 401, 'AUTH_INVALID_TOKEN');
  });

  it('AUTH-4 AUTH-5 tokens within JWT_CLOCK_TOLERANCE_SECONDS of exp and nbf are accepted', async () => {
    const key = server.auth.signingKey;
    for (const token of [await mintToken(key, 'alice', { expiresIn: -10 }), await mintToken(key, 'alice', { notBefore: 10 })]) {
      expect((await withToken(server, token).push(freshAppId(), { changes: [] })).status).toBe(200);
    }
  });

  it('AUTH-11 the exported verifier, which the live transports use, refuses the same tokens with the same codes', async () => {
    for (const token of hostile) {
      const refusal = await server.server.context.verifier.verify(token.token).catch((error: unknown) => error);
      expect({ name: token.name, code: (refusal as SyncError).code }).toEqual({ name: token.name, code: token.expectedCode });
    }
    expect(await server.server.context.verifier.verify(await server.auth.mint('alice'))).toMatchObject({ userId: 'alice' });
  });

  it('AUTH-8 an unknown kid triggers at most one JWKS fetch per cooldown, and a rotated key is taken up after it', async () => {
    await withToken(server, await server.auth.mint('alice')).mustPush(freshAppId(), { changes: [] });
    const unknown = hostile.find((token) => token.name === 'unknown-kid')!;
    const fetchesBefore = server.auth.jwksFetches;
    const started = Date.now();
    for (let i = 0; i < 5; i++) expectError(await withToken(server, unknown.token).push(freshAppId(), { changes: [] }), 401, 'AUTH_UNKNOWN_KEY');
    await server.auth.rotateKey();
    const rotated = withToken(server, await server.auth.mint('alice'));
    await vi.waitFor(async () => expect((await rotated.push(freshAppId(), { changes: [] })).status).toBe(200), { timeout: 10_000, interval: 100 });
    const cooldowns = Math.ceil((Date.now() - started) / 1000);
    expect(server.auth.jwksFetches - fetchesBefore).toBeLessThanOrEqual(cooldowns + 1);
  });

  it('AUTH-14 tokens and the service key never reach the logs', async () => {
    const token = await server.auth.mint('alice');
    await withToken(server, token).push(freshAppId(), { changes: [{ table: 'tasks', id: 'x', op: 'insert', data: { secret: 'do-not-log-me' } }] });
    for (const hostileToken of hostile.slice(0, 5)) await withToken(server, hostileToken.token).push(freshAppId(), { changes: [] });
    await request(`${server.url}/internal/memberships/alice/invalidate`, { method: 'POST', headers: { 'x-service-key': server.auth.serviceKey } });
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [token, ...hostile.slice(0, 5).map((t) => t.token), server.auth.serviceKey, 'do-not-log-me']) expect(log).not.toContain(secret);
  });
});

describe.each(serverDatabaseTargets())('issuer, audience and JWKS outages on $label', (target) => {
  let auth: AuthService;
  beforeAll(async () => {
    auth = await startAuthService();
  });
  afterAll(async () => auth?.close());

  it('AUTH-7 a configured issuer and audience are required; without configuration neither is checked', async () => {
    const server = await startTestServer(target, { auth, env: { JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'mana-sync' } });
    try {
      const push = async (options: Parameters<AuthService['mint']>[1]) => withToken(server, await auth.mint('alice', options)).push(freshAppId(), { changes: [] });
      expect((await push({ issuer: 'https://auth.example', audience: ['other', 'mana-sync'] })).status).toBe(200);
      expectError(await push({ issuer: 'https://evil.example', audience: 'mana-sync' }), 401, 'AUTH_INVALID_TOKEN');
      expectError(await push({ issuer: 'https://auth.example', audience: 'other' }), 401, 'AUTH_INVALID_TOKEN');
      expectError(await push({}), 401, 'AUTH_INVALID_TOKEN');
    } finally {
      await server.close();
    }
    const open = await startTestServer(target, { auth });
    try {
      expect((await withToken(open, await auth.mint('alice', { issuer: 'anyone', audience: 'anything' })).push(freshAppId(), { changes: [] })).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('AUTH-9 cached keys keep verifying while the JWKS is down; with nothing cached the answer is a temporary 503 AUTH_UNAVAILABLE', async () => {
    const server = await startTestServer(target, { auth });
    try {
      const client = withToken(server, await auth.mint('alice'));
      await client.mustPush(freshAppId(), { changes: [] });
      auth.setJwksAvailable(false);
      await client.mustPush(freshAppId(), { changes: [] });
      const cold = await startTestServer(target, { auth });
      try {
        const refused = await withToken(cold, await auth.mint('alice')).push(freshAppId(), { changes: [] });
        expectError(refused, 503, 'AUTH_UNAVAILABLE');
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await cold.close();
      }
    } finally {
      auth.setJwksAvailable(true);
      await server.close();
    }
  });

  it('AUTH-10 an oversized token is refused without a JWKS fetch', async () => {
    const server = await startTestServer(target, { auth });
    try {
      const before = auth.jwksFetches;
      const oversized = (await hostileTokens(auth.signingKey, 'alice')).find((token) => token.name === 'oversized')!;
      expectError(await withToken(server, oversized.token).push(freshAppId(), { changes: [] }), 401, 'AUTH_INVALID_TOKEN');
      expect(auth.jwksFetches).toBe(before);
    } finally {
      await server.close();
    }
  });
});

describe('the JWKS key set', () => {
  it('AUTH-9 keys older than the maximum age keep verifying during an outage, and failed refreshes are rate-limited', async () => {
    const auth = await startAuthService();
    try {
      const verifier = createTokenVerifier({ keys: createJwksKeys({ url: auth.jwksUrl, cooldownMs: 60_000, maxAgeMs: 0 }), issuer: undefined, audience: undefined });
      const token = await auth.mint('alice');
      await verifier.verify(token);
      auth.setJwksAvailable(false);
      const before = auth.jwksFetches;
      for (let i = 0; i < 5; i++) expect(await verifier.verify(token)).toMatchObject({ userId: 'alice' });
      expect(auth.jwksFetches - before).toBe(1);
      const foreign = await mintToken(await generateSigningKey('rotated'), 'alice');
      const refusal = (await verifier.verify(foreign).catch((error: unknown) => error)) as SyncError;
      expect(refusal.status).toBe(503);
      expect(refusal.code).toBe('AUTH_UNAVAILABLE');
    } finally {
      await auth.close();
    }
  });
});
