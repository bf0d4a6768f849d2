import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH, MAX_FUTURE_SKEW_SECONDS, PROTOCOL_NAME, PULL_PAGE_SIZE } from '../../spec/generated/constants.js';
import type { Health } from '../../spec/generated/types.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { faultyDatabase, Gate, type FaultyDatabase } from './support/faulty-database.js';
import { freshAppId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`operations.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const validHealth = validatorFor('health');
const ORIGIN = 'https://app.example';

describe.each(serverDatabaseTargets())('operations on $label', (target) => {
  let server: TestServer;
  let database: FaultyDatabase;
  let alice: SyncTestClient;

  beforeAll(async () => {
    server = await startTestServer(target, {
      env: { CORS_ORIGINS: `${ORIGIN},https://other.example`, MEMBERSHIP_CACHE_TTL_SECONDS: '20', SSE_HEARTBEAT_SECONDS: '15' },
      wrapDatabase: (db) => (database = faultyDatabase(db)),
    });
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
  });
  afterAll(async () => server?.close());

  it('OPS-1 OPS-2 OPS-10 /health needs no token and reports status, protocol and the limits enforced', async () => {
    const response = await request(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(validHealth(response.body)).toBe(true);
    expect(response.body).toMatchObject({
      status: 'ok',
      service: 'mana-sync',
      protocol: PROTOCOL_NAME,
      database: 'ok',
      connections: 0,
      limits: {
        maxBodyBytes: MAX_BODY_BYTES,
        maxChangesPerPush: MAX_CHANGES_PER_PUSH,
        pullPageSize: PULL_PAGE_SIZE,
        maxFutureSkewSeconds: MAX_FUTURE_SKEW_SECONDS,
        membershipCacheTtlSeconds: 20,
        sseHeartbeatSeconds: 15,
        wsAuthTimeoutSeconds: 10,
        jwksRefreshCooldownSeconds: 30,
      },
    } satisfies Partial<Health> & { limits: object });
  });

  it('OPS-1 OPS-8 while the database cannot be reached: /health is 503 "unavailable", requests 503 STORE_UNAVAILABLE with Retry-After; then it serves again', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [] });
    database.fault = 'down';
    try {
      const health = await request(`${server.url}/health`);
      expect(health.status).toBe(503);
      expect(validHealth(health.body)).toBe(true);
      expect(health.body).toMatchObject({ status: 'unavailable', database: 'unavailable' });
      const push = await alice.push(app, { changes: [{ table: 'tasks', id: 't', op: 'insert', data: {} }] });
      expectError(push, 503, 'STORE_UNAVAILABLE');
      expect(push.headers.get('retry-after')).toMatch(/^\d+$/);
      expectError(await alice.pull(app, { collection: 'tasks' }), 503, 'STORE_UNAVAILABLE');
    } finally {
      database.fault = 'none';
    }
    await alice.mustPush(app, { changes: [] });
    expect((await request(`${server.url}/health`)).status).toBe(200);
  });

  it('ERR-8 an unexpected failure is 500 INTERNAL_ERROR with a generic message that reveals nothing', async () => {
    database.fault = 'broken';
    try {
      const response = await alice.push(freshAppId(), { changes: [] });
      expectError(response, 500, 'INTERNAL_ERROR');
      expect(response.text).not.toMatch(/boom|SELECT|internals|at .*\.ts/);
    } finally {
      database.fault = 'none';
    }
  });

  it('OPS-3 /metrics answers the Prometheus text format with the connection gauges, push counters and request histogram', async () => {
    const scrape = async () => {
      const response = await request(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      return response.text;
    };
    const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
    const before = await scrape();
    await alice.mustPush(freshAppId(), { changes: [1, 2, 3].map((i) => ({ table: 'tasks', id: `t${i}`, op: 'insert' as const, data: {} })) });
    const after = await scrape();
    expect(value(after, 'mana_sync_pushes_total') - value(before, 'mana_sync_pushes_total')).toBe(1);
    expect(value(after, 'mana_sync_changes_written_total') - value(before, 'mana_sync_changes_written_total')).toBe(3);
    for (const gauge of ['mana_sync_connections_total', 'mana_sync_users_connected', 'mana_sync_sse_streams', 'mana_sync_ws_connections']) {
      expect(value(after, gauge), gauge).toBe(0);
    }
    expect(after).toMatch(/^mana_sync_http_request_duration_seconds_count\{method="POST",route="\/sync\/:appId",status="200"\} \d+$/m);
  });

  it('OPS-5 CORS: an allowed origin gets its preflight and Access-Control-Allow-Origin, another origin gets neither', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/sync/todo`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-client-id,last-event-id' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')?.split(/,\s*/).sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'last-event-id', 'x-client-id']);
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const health = await fetch(`${server.url}/health`, { headers: { origin: ORIGIN } });
    expect(health.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await fetch(`${server.url}/health`, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ERR-5 ERR-6 an unknown path is 404 ROUTE_NOT_FOUND; a wrong method is 405 METHOD_NOT_ALLOWED with Allow', async () => {
    for (const path of ['/nope', '/sync', '/sync/todo/pull/more', '/ws-nope']) expectError(await request(`${server.url}${path}`), 404, 'ROUTE_NOT_FOUND');
    const cases: Array<[string, string, string]> = [
      ['GET', '/sync/todo', 'POST, OPTIONS'],
      ['PUT', '/sync/todo', 'POST, OPTIONS'],
      ['DELETE', '/sync/todo', 'POST, OPTIONS'],
      ['POST', '/sync/todo/pull', 'GET, HEAD, OPTIONS'],
      ['PATCH', '/health', 'GET, HEAD, OPTIONS'],
      ['POST', '/metrics', 'GET, HEAD, OPTIONS'],
      ['GET', '/internal/memberships/alice/invalidate', 'POST, OPTIONS'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await request(`${server.url}${path}`, { method });
      expectError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow')).toBe(allow);
    }
  });

  it('ERR-4 bad input never causes a server error', async () => {
    const app = freshAppId();
    const push = (body: string, contentType = 'application/json') =>
      request(`${server.url}/sync/${app}`, { method: 'POST', headers: alice.headers({ 'content-type': contentType }), body });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), fc.string(), fc.jsonValue().map((value) => JSON.stringify({ changes: [value] }))), async (body) => {
        const response = await push(body);
        expect(response.status, `${body} → ${response.text}`).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.string()), async (query) => {
        const response = await alice.pull(app, query);
        expect(response.status, `${JSON.stringify(query)} → ${response.text}`).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it('OPS-7 on shutdown: requests in progress finish, new requests are 503 SHUTTING_DOWN, /health says "unavailable"', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [] });
    const gate = new Gate();
    database.gate = gate;
    const inFlight = alice.push(app, { changes: [{ table: 'tasks', id: 'during-shutdown', op: 'insert', data: {} }] });
    await gate.entered;
    database.gate = undefined;
    const liveTransportsEnded = new Gate();
    server.server.context.lifecycle.onShutdown(() => liveTransportsEnded.pass());
    const closing = server.server.close();
    await liveTransportsEnded.entered;
    const late = await alice.pull(app, { collection: 'tasks' });
    expectError(late, 503, 'SHUTTING_DOWN');
    expect(late.headers.get('retry-after')).toMatch(/^\d+$/);
    const health = await request(`${server.url}/health`);
    expect({ status: health.status, body: (health.body as Health).status }).toEqual({ status: 503, body: 'unavailable' });
    gate.open();
    expect((await inFlight).status).toBe(200);
    liveTransportsEnded.open();
    await closing;
    const rows = await server.database.db.query(`SELECT record_id FROM ${server.database.layout.schema}.sync_changes WHERE app_id = $1`, [app]);
    expect(rows).toEqual([{ record_id: 'during-shutdown' }]);
  });
});
