import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService } from '../../conformance/src/auth-service/auth-service.js';
import type { Change } from '../../spec/generated/types.js';
import { SyncError } from '../src/errors.js';
import { createMembershipClient, MembershipLookupError, type MembershipSource } from '../src/spaces/membership-client.js';
import { MembershipCache } from '../src/spaces/membership-cache.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId, freshSpaceId } from './support/fresh-names.js';
import { expectError, request, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`memberships.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const insert = (id: string, extra: Partial<Change> = {}): Change => ({ table: 'tasks', id, op: 'insert', data: { title: id }, ...extra });

describe.each(serverDatabaseTargets())('memberships on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;
  let bob: SyncTestClient;
  const invalidate = (userId: string, key?: string) =>
    request(`${server.url}/internal/memberships/${encodeURIComponent(userId)}/invalidate`, {
      method: 'POST',
      headers: key === undefined ? {} : { 'x-service-key': key },
    });

  beforeAll(async () => {
    server = await startTestServer(target);
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
    bob = await SyncTestClient.of(server, 'bob', 'desk');
  });
  afterAll(async () => {
    server?.auth.setMembershipsMode('up');
    await server?.close();
  });

  it('SPACE-6 SPACE-7 memberships are asked with the service key and cached: two reads, one lookup', async () => {
    const app = freshAppId();
    await invalidate('alice', server.auth.serviceKey);
    const before = server.auth.membershipLookups.length;
    await alice.mustPull(app, { collection: 'tasks' });
    await alice.mustPull(app, { collection: 'tasks' });
    const lookups = server.auth.membershipLookups.slice(before);
    expect(lookups).toEqual([{ userId: 'alice', serviceKeyValid: true }]);
  });

  it('SPACE-9 POST /internal/memberships/{userId}/invalidate answers 204 with the service key and 401 without', async () => {
    expect((await invalidate('alice', server.auth.serviceKey)).status).toBe(204);
    expectError(await invalidate('alice'), 401, 'AUTH_INVALID_TOKEN');
    expectError(await invalidate('alice', 'wrong'), 401, 'AUTH_INVALID_TOKEN');
  });

  it('SPACE-8 SPACE-9 a revoked member stops reading others\' changes of the space at once after an invalidation, but keeps its own', async () => {
    const app = freshAppId();
    const org = freshSpaceId();
    server.auth.grant('alice', org);
    server.auth.grant('bob', org);
    await invalidate('alice', server.auth.serviceKey);
    await invalidate('bob', server.auth.serviceKey);
    await alice.mustPush(app, { changes: [insert('from-alice', { spaceId: org })] });
    await bob.mustPush(app, { changes: [insert('from-bob', { spaceId: org })] });
    const ids = async () => (await bob.device('tablet').pullAll(app, 'tasks')).changes.map((change) => change.id);
    expect(await ids()).toEqual(['from-alice', 'from-bob']);
    server.auth.revoke('bob', org);
    await invalidate('bob', server.auth.serviceKey);
    expect(await ids()).toEqual(['from-bob']);
    expectError(await bob.push(app, { changes: [insert('again', { spaceId: org })] }), 403, 'SPACE_NOT_MEMBER');
  });

  it('SPACE-11 a cursor issued before a join is read again from the beginning, so the space\'s history arrives', async () => {
    const app = freshAppId();
    const org = freshSpaceId();
    server.auth.grant('alice', org);
    await invalidate('alice', server.auth.serviceKey);
    await alice.mustPush(app, { changes: [insert('before-join', { spaceId: org })] });
    const reader = bob.device('reader');
    await bob.mustPush(app, { changes: [insert('bobs-own')] });
    const beforeJoin = await reader.mustPull(app, { collection: 'tasks' });
    expect(beforeJoin.serverChanges.map((change) => change.id)).toEqual(['bobs-own']);
    server.auth.grant('bob', org);
    await invalidate('bob', server.auth.serviceKey);
    const afterJoin = await reader.pullAll(app, 'tasks', beforeJoin.syncedUntil);
    expect(afterJoin.changes.map((change) => change.id)).toContain('before-join');
    // The push delta from the old cursor includes it too.
    const delta = await bob.device('other').mustPush(app, { since: beforeJoin.syncedUntil, changes: [] });
    expect(delta.serverChanges.map((change) => change.id)).toContain('before-join');
  });

  it('SPACE-10 during an outage reads are 503 with Retry-After, shared writes are 503, personal writes are stored and answered from their own since', async () => {
    const app = freshAppId();
    const org = freshSpaceId();
    server.auth.grant('alice', org);
    await invalidate('alice', server.auth.serviceKey);
    const { syncedUntil } = await alice.mustPush(app, { changes: [] });
    for (const mode of ['down', 'invalid'] as const) {
      server.auth.setMembershipsMode(mode);
      await invalidate('alice', server.auth.serviceKey);
      const pull = await alice.pull(app, { collection: 'tasks' });
      expectError(pull, 503, 'MEMBERSHIP_UNAVAILABLE');
      expect(pull.headers.get('retry-after')).toMatch(/^\d+$/);
      expectError(await alice.push(app, { changes: [insert(`shared-${mode}`, { spaceId: org })] }), 503, 'MEMBERSHIP_UNAVAILABLE');
      const personal = await alice.mustPush(app, { since: syncedUntil, changes: [insert(`personal-${mode}`)] });
      expect(personal).toMatchObject({ accepted: 1, serverChanges: [], syncedUntil });
      expect((await alice.mustPush(app, { changes: [] })).syncedUntil).toMatch(/^c1\./);
    }
    server.auth.setMembershipsMode('up');
    // A failure was not cached as "no spaces": the next read asks again and succeeds.
    const ids = (await alice.device('phone').pullAll(app, 'tasks')).changes.map((change) => change.id);
    expect(ids).toEqual(['personal-down', 'personal-invalid']);
  });
});

describe('the membership cache', () => {
  const source = (answers: Array<string[] | Error>): MembershipSource & { calls: number } => {
    const state = {
      calls: 0,
      spacesOf() {
        const answer = answers[Math.min(state.calls++, answers.length - 1)]!;
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    };
    return state;
  };

  it('SPACE-7 uses an answer only within the TTL and never caches a failure', async () => {
    let now = 0;
    const lookups = source([['a'], new MembershipLookupError('down'), ['b']]);
    const cache = new MembershipCache(lookups, { ttlMs: 1000, now: () => now });
    expect(await cache.spacesOf('u')).toEqual(['a']);
    now = 999;
    expect(await cache.spacesOf('u')).toEqual(['a']);
    now = 1000;
    const failure = (await cache.spacesOf('u').catch((error: unknown) => error)) as SyncError;
    expect(failure.code).toBe('MEMBERSHIP_UNAVAILABLE');
    expect(await cache.spacesOf('u')).toEqual(['b']);
    expect(lookups.calls).toBe(3);
  });

  it('SPACE-4 SPACE-9 a fresh lookup bypasses the cache, and an invalidation drops the answer and tells listeners', async () => {
    const lookups = source([['a'], ['b'], ['c']]);
    const cache = new MembershipCache(lookups, { ttlMs: 60_000 });
    const heard: string[] = [];
    cache.onInvalidated((userId) => heard.push(userId));
    expect(await cache.spacesOf('u')).toEqual(['a']);
    expect(await cache.spacesOf('u', { fresh: true })).toEqual(['b']);
    cache.invalidate('u');
    expect(await cache.spacesOf('u')).toEqual(['c']);
    expect(heard).toEqual(['u']);
  });

  it('SPACE-10 a lookup that does not answer within its timeout fails', async () => {
    const auth = await startAuthService();
    try {
      auth.setMembershipsMode('hang');
      const client = createMembershipClient({ authUrl: auth.url, serviceKey: auth.serviceKey, timeoutMs: 100 });
      await expect(client.spacesOf('alice')).rejects.toBeInstanceOf(MembershipLookupError);
      auth.setMembershipsMode('up');
      auth.grant('alice', 'org-1');
      expect(await client.spacesOf('alice')).toEqual(['org-1']);
      await expect(createMembershipClient({ authUrl: auth.url, serviceKey: 'wrong' }).spacesOf('alice')).rejects.toBeInstanceOf(MembershipLookupError);
    } finally {
      await auth.close();
    }
  });
});
