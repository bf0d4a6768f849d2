import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_LOOKUP_TIMEOUT_MS, STORE_TIMEOUT_SECONDS } from '../../spec/generated/constants.js';
import type { Change, PushResponse, ServerChange } from '../../spec/generated/types.js';
import type { Database } from '../src/db/database.js';
import { CuttableProxy } from './support/cuttable-proxy.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, postgresTarget, serverDatabaseTargets, type ServerDatabaseTarget } from './support/database-targets.js';
import { faultyDatabase, type FaultyDatabase } from './support/faulty-database.js';
import { freshAppId } from './support/fresh-names.js';
import { invalidateMemberships, shareSpace } from './support/shared-spaces.js';
import { openStream, type SseConnection } from './support/sse-client.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { until } from './support/until.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { WsConnection } from './support/ws-client.js';

if (POSTGRES_URL === undefined) console.warn(`outages.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const TABLE = 'tasks';
// OPS-8 allows STORE_TIMEOUT_SECONDS; the slack covers delivery on a loaded machine, not server work.
const ANSWER_BOUND_MS = STORE_TIMEOUT_SECONDS * 1000 + 5_000;

/** How a test takes the database away from a running server and gives it back. */
interface DatabaseOutage {
  readonly target: ServerDatabaseTarget;
  readonly wrapDatabase?: (db: Database) => Database;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** PGlite runs in the server's process: the outage is injected at the Database interface. */
function pgliteOutage(): DatabaseOutage {
  let faulty: FaultyDatabase | undefined;
  return {
    target: serverDatabaseTargets()[0]!,
    wrapDatabase: (db) => (faulty = faultyDatabase(db)),
    cut: () => (faulty!.fault = 'down'),
    restore: () => (faulty!.fault = 'none'),
    close: () => Promise.resolve(),
  };
}

/** PostgreSQL behind a proxy that resets every connection and refuses new ones: a restart, seen from the server. */
async function postgresOutage(url: string): Promise<DatabaseOutage> {
  const parsed = new URL(url);
  const proxy = await CuttableProxy.start({ host: parsed.hostname, port: Number(parsed.port === '' ? 5432 : parsed.port) });
  return {
    target: postgresTarget(() => Promise.resolve(proxy.rewrite(url)), 'PostgreSQL through a cuttable proxy'),
    cut: () => proxy.cut(),
    restore: () => proxy.restore(),
    close: () => proxy.close(),
  };
}

const outages: Array<{ label: string; open: () => Promise<DatabaseOutage>; skip: string | undefined }> = [
  { label: 'PGlite', open: () => Promise.resolve(pgliteOutage()), skip: undefined },
  { label: 'PostgreSQL', open: () => postgresOutage(POSTGRES_URL ?? ''), skip: POSTGRES_URL === undefined ? POSTGRES_SKIP_MESSAGE : undefined },
];

/** One push as sent, and whether a 200 answered it. */
interface SentPush {
  readonly writer: SyncTestClient;
  readonly pushId: string;
  readonly changes: Change[];
  acknowledged: boolean;
}

/** Reads a stream until it has delivered `count` changes, resuming with Last-Event-ID when it ends with STORE_UNAVAILABLE. */
async function readThroughOutages(client: SyncTestClient, app: string, stream: SseConnection, count: number): Promise<{ changes: ServerChange[]; endedByOutage: number }> {
  const changes: ServerChange[] = [];
  let lastId: string | undefined;
  let current = stream;
  let endedByOutage = 0;
  while (changes.length < count) {
    const message = await current.next(ANSWER_BOUND_MS * 2);
    if (message === 'end') throw new Error(`the stream ended without an error event after ${changes.length} of ${count} changes`);
    if (message.event === 'changes') {
      changes.push(...(JSON.parse(message.data) as { changes: ServerChange[] }).changes);
      lastId = message.id;
    } else if (message.event === 'error') {
      // SSE-14, OPS-8: a read that found the database gone ends the stream; the client resumes (SSE-5).
      expect((JSON.parse(message.data) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
      expect(await current.next()).toBe('end');
      endedByOutage++;
      current = await openStream(client, app, { collections: TABLE }, lastId === undefined ? {} : { 'last-event-id': lastId });
    }
  }
  current.close();
  return { changes, endedByOutage };
}

for (const { label, open, skip } of outages) {
  describe.skipIf(skip !== undefined)(`database outage on ${label}${skip === undefined ? '' : ` (${skip})`}`, () => {
    let outage: DatabaseOutage;
    let server: TestServer;
    // Starting PGlite on a machine busy with other test files can take long: a failure bound only.
    beforeAll(async () => {
      outage = await open();
      server = await startTestServer(outage.target, outage.wrapDatabase === undefined ? {} : { wrapDatabase: outage.wrapDatabase });
    }, 120_000);
    afterAll(async () => {
      outage?.restore();
      await server?.close();
      await outage?.close();
    });

    it('OPS-8 ERR-7 OPS-1 PUSH-6 PUSH-8 PUSH-17 SSE-14 SSE-5 the database goes away under load: every request is answered 200 or 503 STORE_UNAVAILABLE with Retry-After, never a 500 or a hang; a woken stream ends with STORE_UNAVAILABLE; afterwards the server serves without a restart, nothing acknowledged is lost, resends apply once', async () => {
      const app = freshAppId('outage');
      // No settle before each request: it would reach the database through the outage too, and the
      // server acknowledges only what reads return (PUSH-17). The checks settle once, afterwards.
      const endpoint = { url: server.url, auth: server.auth, settle: () => Promise.resolve() };
      const alice = await SyncTestClient.of(endpoint, 'alice', 'laptop');
      const bob = await SyncTestClient.of(endpoint, 'bob', 'laptop');
      const writers = [alice, alice.device('phone'), bob];
      const aliceStream = await openStream(alice.device('tablet'), app, { collections: TABLE });
      const bobStream = await openStream(bob.device('tablet'), app, { collections: TABLE });
      const sent: SentPush[] = [];
      const refusedBy = new Map<SyncTestClient, number>();
      const acknowledgedAfterRestore = new Set<SyncTestClient>();
      let phase: 'before' | 'down' | 'back' | 'stop' = 'before';
      let slowest = 0;

      const write = async (writer: SyncTestClient, index: number): Promise<void> => {
        for (let n = 0; phase !== 'stop'; n++) {
          const pushId = `w${index}-${n}`;
          const push: SentPush = { writer, pushId, changes: [0, 1, 2].map((i) => ({ table: TABLE, id: `${pushId}-${i}`, op: 'insert', data: { pushId } })), acknowledged: false };
          sent.push(push);
          const phaseAtStart = phase;
          const started = Date.now();
          const response = await writer.push(app, { pushId, changes: push.changes });
          slowest = Math.max(slowest, Date.now() - started);
          expect(Date.now() - started, `OPS-8 push ${pushId} answered within the store timeout`).toBeLessThan(ANSWER_BOUND_MS);
          if (response.status === 200) {
            push.acknowledged = true;
            if (phaseAtStart === 'back') acknowledgedAfterRestore.add(writer);
            continue;
          }
          expectError(response, 503, 'STORE_UNAVAILABLE');
          expect(response.headers.get('retry-after'), 'ERR-7').toMatch(/^\d+$/);
          refusedBy.set(writer, (refusedBy.get(writer) ?? 0) + 1);
          // A client waits before retrying (ERR-10); a short pause keeps the load up without spinning.
          await delay(20);
        }
      };
      const writing = Promise.all(writers.map((writer, index) => write(writer, index)));
      // Handled now, awaited (and rethrown) once the phases are done.
      writing.catch(() => undefined);
      try {
        await until(() => sent.filter((push) => push.acknowledged).length >= 6, 'pushes were acknowledged before the outage');
        outage.cut();
        phase = 'down';
        await until(() => writers.every((writer) => (refusedBy.get(writer) ?? 0) > 0), 'every writer was refused during the outage');
        const health = await request(`${server.url}/health`);
        expect({ status: health.status, body: (health.body as { status: string }).status }, 'OPS-1').toEqual({ status: 503, body: 'unavailable' });
        const pull = await alice.pull(app, { collection: TABLE });
        expectError(pull, 503, 'STORE_UNAVAILABLE');
        expect(pull.headers.get('retry-after')).toMatch(/^\d+$/);
        // A read woken during the outage (here by a membership invalidation) cannot reach the database.
        await invalidateMemberships(server, 'alice');
        const aliceFirst: { received: ServerChange[]; lastId: string | undefined } = { received: [], lastId: undefined };
        for (;;) {
          const message = await aliceStream.next(ANSWER_BOUND_MS);
          if (message === 'end') throw new Error('the stream ended without an error event');
          if (message.event === 'changes') {
            aliceFirst.received.push(...(JSON.parse(message.data) as { changes: ServerChange[] }).changes);
            aliceFirst.lastId = message.id;
          } else if (message.event === 'error') {
            expect((JSON.parse(message.data) as { error: { code: string } }).error.code, 'SSE-14 OPS-8').toBe('STORE_UNAVAILABLE');
            expect(message.id, 'SSE-4 an error event carries no id').toBeUndefined();
            expect(await aliceStream.next()).toBe('end');
            break;
          }
        }

        outage.restore();
        phase = 'back';
        await until(() => writers.every((writer) => acknowledgedAfterRestore.has(writer)), 'every writer was served again without a restart');
        phase = 'stop';
        await writing;

        // PUSH-17, PUSH-6: acknowledged pushes whole, the others whole or absent.
        const storedPushes = async (): Promise<Map<string, number>> => {
          const counts = new Map<string, number>();
          for (const reader of [alice.device(undefined), bob.device(undefined)]) {
            for (const change of (await reader.pullAll(app, TABLE)).changes) {
              const pushId = (change.data as { pushId: string }).pushId;
              counts.set(pushId, (counts.get(pushId) ?? 0) + 1);
            }
          }
          return counts;
        };
        const acknowledgedAtFirst = sent.filter((push) => push.acknowledged).length;
        await server.settle();
        const before = await storedPushes();
        for (const push of sent) {
          const stored = before.get(push.pushId) ?? 0;
          if (push.acknowledged) expect(stored, `acknowledged ${push.pushId}`).toBe(3);
          else expect([0, 3], `unacknowledged ${push.pushId}`).toContain(stored);
        }
        // PUSH-8: a resend of each refused push is applied once: replayed exactly when it was stored.
        for (const push of sent.filter((candidate) => !candidate.acknowledged)) {
          const body = (await push.writer.mustPush(app, { pushId: push.pushId, changes: push.changes })) as PushResponse & { replayed?: boolean };
          expect({ pushId: push.pushId, replayed: body.replayed === true }).toEqual({ pushId: push.pushId, replayed: (before.get(push.pushId) ?? 0) > 0 });
        }
        const after = await storedPushes();
        expect([...after.values()].every((count) => count === 3) && after.size === sent.length, 'every push stored exactly once').toBe(true);

        // SSE-5: alice resumes after her last complete event and receives the rest exactly once.
        const aliceIds = sent.filter((push) => push.writer.userId === 'alice').flatMap((push) => push.changes.map((change) => change.id));
        const tablet = alice.device('tablet');
        const resumedStream = await openStream(tablet, app, { collections: TABLE }, aliceFirst.lastId === undefined ? {} : { 'last-event-id': aliceFirst.lastId });
        const resumed = await readThroughOutages(tablet, app, resumedStream, aliceIds.length - aliceFirst.received.length);
        expect([...aliceFirst.received, ...resumed.changes].map((change) => change.id).sort()).toEqual([...aliceIds].sort());
        // Bob's stream was not woken during the outage; it survives it (or, if a push woke it at the
        // cut, ended with STORE_UNAVAILABLE and resumed): either way it delivers everything once.
        const bobIds = sent.filter((push) => push.writer.userId === 'bob').flatMap((push) => push.changes.map((change) => change.id));
        const bobReceived = await readThroughOutages(bob.device('tablet'), app, bobStream, bobIds.length);
        expect(bobReceived.changes.map((change) => change.id).sort()).toEqual([...bobIds].sort());
        console.log(
          `outages.test.ts on ${label}: ${sent.length} pushes, ${acknowledgedAtFirst} acknowledged at first send, ${[...refusedBy.values()].reduce((a, b) => a + b, 0)} answered 503, slowest answer ${slowest} ms, bob's stream ended by the outage ${bobReceived.endedByOutage} times`,
        );
      } finally {
        phase = 'stop';
        outage.restore();
        await writing.catch(() => undefined);
        aliceStream.close();
        bobStream.close();
      }
    });
  });
}

// Outages of the auth service do not depend on the database: one target is enough.
describe('auth service outages', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A short cooldown, so that the key set is fetched again soon after the JWKS is back (AUTH-8).
    server = await startTestServer(serverDatabaseTargets()[0]!, { env: { JWKS_REFRESH_COOLDOWN_SECONDS: '1' } });
  }, 120_000);
  afterAll(async () => {
    server?.auth.setJwksAvailable(true);
    server?.auth.setMembershipsMode('up');
    await server?.close();
  });

  it('AUTH-9 AUTH-11 ERR-7 SSE-1 while the JWKS is down a warm server keeps verifying cached keys over HTTP and WS, answers a rotated key 503 AUTH_UNAVAILABLE (WS: close 1013), and accepts it once the JWKS is back', async () => {
    const { auth } = server;
    const app = freshAppId();
    const cached = await SyncTestClient.of(server, 'alice', 'laptop');
    await cached.mustPush(app, { changes: [] });
    auth.setJwksAvailable(false);
    try {
      await auth.rotateKey();
      const rotated = await SyncTestClient.of(server, 'alice', 'phone');
      await cached.mustPush(app, { changes: [] });
      (await WsConnection.authenticated(server.url, cached.token)).close();

      // AUTH-8: within the cooldown after the last good fetch the server may not fetch again, and the
      // kid is unknown as far as it can tell (401 AUTH_UNKNOWN_KEY); once it tries and the JWKS
      // cannot be reached, the answer is the temporary 503 of AUTH-9.
      let refused = await rotated.push(app, { changes: [] });
      await until(async () => {
        if (refused.status === 503) return true;
        expectError(refused, 401, 'AUTH_UNKNOWN_KEY');
        refused = await rotated.push(app, { changes: [] });
        return false;
      }, 'the server tried the JWKS for the rotated key');
      expectError(refused, 503, 'AUTH_UNAVAILABLE');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expectError(await request(`${server.url}/sync/${app}/stream?collections=${TABLE}`, { headers: rotated.headers() }), 503, 'AUTH_UNAVAILABLE');
      const socket = await WsConnection.open(server.url);
      socket.send({ type: 'auth', token: rotated.token });
      await socket.expectErrorAndClose('AUTH_UNAVAILABLE', 1013);

      auth.setJwksAvailable(true);
      // Within the cooldown after the failed fetch the answer stays a temporary 503; then the new key verifies.
      await until(async () => {
        const response = await rotated.push(app, { changes: [] });
        if (response.status === 200) return true;
        expectError(response, 503, 'AUTH_UNAVAILABLE');
        return false;
      }, 'the rotated key was accepted after the JWKS came back');
    } finally {
      auth.setJwksAvailable(true);
    }
  });

  it('SPACE-10 WS-8 while memberships cannot be had an open socket hears of personal pushes but of no shared-space push, and hears of shared ones again afterwards; nothing written meanwhile is lost', async () => {
    const { auth } = server;
    const app = freshAppId();
    const alice = await SyncTestClient.of(server, 'alice', 'laptop');
    const bob = await SyncTestClient.of(server, 'bob', 'desk');
    const org = await shareSpace(server, 'alice', 'bob');
    const socket = await WsConnection.authenticated(server.url, bob.token, { clientId: 'listener' });
    try {
      const shared = (table: string): Change => ({ table, id: `${table}-1`, op: 'insert', data: { title: table }, spaceId: org });
      await alice.mustPush(app, { changes: [shared('before')] });
      expect(await socket.next()).toEqual({ type: 'sync-available', appId: app, tables: ['before'] });

      auth.setMembershipsMode('down');
      await invalidateMemberships(server, 'bob');
      // Alice's answer is still fresh (SPACE-7), so her shared write is stored; bob's lookups fail.
      await alice.mustPush(app, { changes: [shared('during')] });
      await bob.mustPush(app, { changes: [{ table: 'mine', id: 'm-1', op: 'insert', data: { title: 'mine' } }] });
      expect(await socket.next(), 'no notification for the shared space during the outage').toEqual({ type: 'sync-available', appId: app, tables: ['mine'] });
      expectError(await bob.pull(app, { collection: 'during' }), 503, 'MEMBERSHIP_UNAVAILABLE');

      auth.setMembershipsMode('up');
      await alice.mustPush(app, { changes: [shared('after')] });
      expect(await socket.next()).toEqual({ type: 'sync-available', appId: app, tables: ['after'] });
      expect((await bob.pullAll(app, 'during')).changes.map((change) => change.id)).toEqual(['during-1']);
    } finally {
      auth.setMembershipsMode('up');
      socket.close();
    }
  });

  it('SPACE-10 OPS-8 a membership service that does not answer makes reads 503 MEMBERSHIP_UNAVAILABLE within the lookup timeout, not a hang, and reads work again once it answers', async () => {
    const { auth } = server;
    const app = freshAppId();
    const carol = await SyncTestClient.of(server, 'carol', 'laptop');
    auth.setMembershipsMode('hang');
    try {
      await invalidateMemberships(server, 'carol');
      const started = Date.now();
      const pull = await carol.pull(app, { collection: TABLE });
      expectError(pull, 503, 'MEMBERSHIP_UNAVAILABLE');
      expect(pull.headers.get('retry-after')).toMatch(/^\d+$/);
      // The lookup timeout plus delivery slack on a loaded machine.
      expect(Date.now() - started).toBeLessThan(MEMBERSHIP_LOOKUP_TIMEOUT_MS + 5_000);
    } finally {
      auth.setMembershipsMode('up');
    }
    await carol.mustPull(app, { collection: TABLE });
  });
});
