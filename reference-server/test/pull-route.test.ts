import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULL_PAGE_SIZE } from '../../spec/generated/constants.js';
import type { Change } from '../../spec/generated/types.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId, freshSpaceId } from './support/fresh-names.js';
import { expectError, SyncTestClient } from './support/sync-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`pull-route.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const insert = (id: string, extra: Partial<Change> = {}, table = 'tasks'): Change => ({ table, id, op: 'insert', data: { title: id }, ...extra });

describe.each(serverDatabaseTargets())('GET /sync/{appId}/pull on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;
  let alicePhone: SyncTestClient;
  let bob: SyncTestClient;
  let charlie: SyncTestClient;
  let shared: string;

  beforeAll(async () => {
    server = await startTestServer(target);
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
    alicePhone = alice.device('phone');
    bob = await SyncTestClient.of(server, 'bob', 'desk');
    charlie = await SyncTestClient.of(server, 'charlie', 'outsider');
    shared = freshSpaceId('family');
    server.auth.grant('alice', shared);
    server.auth.grant('bob', shared);
  });
  afterAll(async () => server?.close());

  it('PULL-1 answers 200 with the pull-response shape and refuses a missing collection, a bad limit or a bad app id with 400', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('t1')] });
    expect((await alicePhone.mustPull(app, { collection: 'tasks' })).serverChanges).toHaveLength(1);
    expect(expectError(await alice.pull(app, {}), 400, 'REQUEST_INVALID_PARAMETER').details).toEqual({ parameter: 'collection' });
    for (const limit of ['0', '1001', 'ten', '-1', '01']) {
      expect(expectError(await alice.pull(app, { collection: 'tasks', limit }), 400, 'REQUEST_INVALID_PARAMETER').details).toEqual({ parameter: 'limit' });
    }
    expectError(await alice.pull(app, { collection: 'no-dashes' }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await alice.pull('UPPER', { collection: 'tasks' }), 400, 'REQUEST_INVALID_PARAMETER');
    expectError(await alice.pull(app, { collection: 'tasks' }, { 'x-client-id': 'has space' }), 400, 'REQUEST_INVALID_PARAMETER');
  });

  it('PULL-3 PULL-4 PULL-5 pages of `limit` changes lose and repeat nothing, in log order, with hasMore on every page but the last', async () => {
    const app = freshAppId();
    const ids = Array.from({ length: 11 }, (_, i) => `t${i}`);
    for (const chunk of [ids.slice(0, 4), ids.slice(4, 5), ids.slice(5)]) await alice.mustPush(app, { changes: chunk.map((id) => insert(id)) });
    const seen: string[] = [];
    let since = '';
    const hasMore: boolean[] = [];
    for (;;) {
      const page = await alicePhone.mustPull(app, { collection: 'tasks', since, limit: '3' });
      expect(page.serverChanges.length).toBeLessThanOrEqual(3);
      seen.push(...page.serverChanges.map((change) => change.id));
      hasMore.push(page.hasMore);
      since = page.syncedUntil;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(ids);
    expect(hasMore).toEqual([true, true, true, false]);
  });

  it('PULL-5 holds at most PULL_PAGE_SIZE changes without a limit', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: Array.from({ length: PULL_PAGE_SIZE + 1 }, (_, i) => insert(`t${i}`)) });
    const page = await alicePhone.mustPull(app, { collection: 'tasks' });
    expect(page.serverChanges).toHaveLength(PULL_PAGE_SIZE);
    expect(page.hasMore).toBe(true);
    const rest = await alicePhone.mustPull(app, { collection: 'tasks', since: page.syncedUntil });
    expect(rest.serverChanges.map((change) => change.id)).toEqual([`t${PULL_PAGE_SIZE}`]);
  });

  it('PULL-6 a complete response\'s cursor returns only changes that become readable later', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('old')] });
    const first = await alicePhone.mustPull(app, { collection: 'tasks' });
    expect((await alicePhone.mustPull(app, { collection: 'tasks', since: first.syncedUntil })).serverChanges).toEqual([]);
    await alice.mustPush(app, { changes: [insert('new')] });
    const next = await alicePhone.mustPull(app, { collection: 'tasks', since: first.syncedUntil });
    expect(next.serverChanges.map((change) => change.id)).toEqual(['new']);
  });

  it('PULL-7 a missing or empty since starts at the beginning', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('t1')] });
    expect((await alicePhone.mustPull(app, { collection: 'tasks' })).serverChanges).toHaveLength(1);
    expect((await alicePhone.mustPull(app, { collection: 'tasks', since: '' })).serverChanges).toHaveLength(1);
  });

  it('PULL-8 a timestamp since is served from TIMESTAMP_SINCE_GRACE_SECONDS before it, and answered with a cursor', async () => {
    const app = freshAppId();
    // Back-date one change by two hours, as if stored long before the old client's syncedUntil.
    await server.database.db.query(
      `INSERT INTO ${server.database.layout.schema}.sync_changes (app_id, table_name, record_id, user_id, client_id, space_id, op, fields, data, schema_version, server_at)
       VALUES ($1, 'tasks', 'ancient', 'alice', 'laptop', '_personal:alice', 'insert', '{}', '{}', 1, now() - interval '2 hours')`,
      [app],
    );
    const pushed = await alice.mustPush(app, { changes: [insert('recent')] });
    expect(pushed.syncedUntil).toMatch(/^c1\./);
    const [recent] = (await alicePhone.mustPull(app, { collection: 'tasks' })).serverChanges.filter((change) => change.id === 'recent');
    const oldClientSince = new Date(Date.parse(recent!.serverAt) + 30_000).toISOString();
    const page = await alicePhone.mustPull(app, { collection: 'tasks', since: oldClientSince });
    expect(page.serverChanges.map((change) => change.id)).toEqual(['recent']);
    expect(page.syncedUntil).toMatch(/^c1\./);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString().replace('Z', '+00:00');
    expect((await alicePhone.mustPull(app, { collection: 'tasks', since: hourAgo })).serverChanges.map((change) => change.id)).toEqual(['recent']);
  });

  it('PULL-9 a since that is neither empty, nor a cursor, nor an instant is 400 CURSOR_INVALID', async () => {
    const app = freshAppId();
    for (const since of ['yesterday', 'c1.zz', 'c1.0000000000000001.0000000000000001', '2026-11-23T10:00:00', 'c1.0000000000000001.ffffffffffffffff.0000000000000000']) {
      expectError(await alice.pull(app, { collection: 'tasks', since }), 400, 'CURSOR_INVALID');
      expectError(await alice.push(app, { since, changes: [] }), 400, 'CURSOR_INVALID');
    }
  });

  it('PULL-12 PULL-13 echo suppression is per (user, client id); without a client id nothing is suppressed', async () => {
    const app = freshAppId();
    const aliceWeb = alice.device('web');
    const bobWeb = bob.device('web');
    await aliceWeb.mustPush(app, { changes: [insert('from-alice', { spaceId: shared })] });
    await bobWeb.mustPush(app, { changes: [insert('from-bob', { spaceId: shared })] });
    await alicePhone.mustPush(app, { changes: [insert('from-alice-phone', { spaceId: shared })] });
    const idsFor = async (client: SyncTestClient) => (await client.pullAll(app, 'tasks')).changes.map((change) => change.id);
    expect(await idsFor(aliceWeb)).toEqual(['from-bob', 'from-alice-phone']);
    expect(await idsFor(bobWeb)).toEqual(['from-alice', 'from-alice-phone']);
    expect(await idsFor(alice.device(undefined))).toEqual(['from-alice', 'from-bob', 'from-alice-phone']);
    // The clientId query parameter names the client when the header is absent.
    const viaQuery = await alice.device(undefined).mustPull(app, { collection: 'tasks', clientId: 'web' });
    expect(viaQuery.serverChanges.map((change) => change.id)).toEqual(['from-bob', 'from-alice-phone']);
  });

  it('PULL-14 a push\'s cursor serves the pulls of every table of the app without loss', async () => {
    const app = freshAppId();
    await alice.mustPush(app, { changes: [insert('t1'), insert('l1', {}, 'lists')] });
    const { syncedUntil } = await alicePhone.mustPush(app, { changes: [] });
    await alice.mustPush(app, { changes: [insert('l2', {}, 'lists'), insert('t2')] });
    expect((await alicePhone.mustPull(app, { collection: 'lists', since: syncedUntil })).serverChanges.map((change) => change.id)).toEqual(['l2']);
    expect((await alicePhone.mustPull(app, { collection: 'tasks', since: syncedUntil })).serverChanges.map((change) => change.id)).toEqual(['t2']);
  });

  it('PULL-16 SPACE-2 SPACE-12 a reader gets its personal space, its spaces and its own changes, nothing else, and hasMore counts only those', async () => {
    const app = freshAppId();
    const other = freshSpaceId('other');
    server.auth.grant('charlie', other);
    await alice.mustPush(app, { changes: [insert('a-personal'), insert('a-shared', { spaceId: shared })] });
    await charlie.mustPush(app, { changes: [insert('c-personal'), insert('c-other', { spaceId: other })] });
    await bob.mustPush(app, { changes: [insert('b-shared', { spaceId: shared })] });
    const bobReads = await bob.device('tablet').mustPull(app, { collection: 'tasks', limit: '2' });
    expect(bobReads.serverChanges.map((change) => change.id)).toEqual(['a-shared', 'b-shared']);
    expect(bobReads.hasMore).toBe(false);
    const charlieReads = await charlie.device('tablet').pullAll(app, 'tasks');
    expect(charlieReads.changes.map((change) => change.id)).toEqual(['c-personal', 'c-other']);
    expect(JSON.stringify(charlieReads)).not.toContain(shared);
  });

  it('PULL-15 a pull carries Cache-Control: no-store', async () => {
    expect((await alice.pull(freshAppId(), { collection: 'tasks' })).headers.get('cache-control')).toBe('no-store');
  });

  it('PULL-3 concurrent pushes of two users, then paginated pulls, lose and duplicate nothing', async () => {
    const app = freshAppId();
    const pushes = (client: SyncTestClient, label: string) =>
      Array.from({ length: 12 }, (_, i) =>
        client.mustPush(app, { changes: [insert(`${label}-${i}-a`, { spaceId: shared }), insert(`${label}-${i}-b`, { spaceId: shared })] }),
      );
    // A reader pulls while the pushes run, each read continuing from the last cursor.
    const reader = alice.device('reader');
    const seen: string[] = [];
    let since = '';
    const readOnce = async () => {
      const page = await reader.mustPull(app, { collection: 'tasks', since, limit: '5' });
      seen.push(...page.serverChanges.map((change) => change.id));
      since = page.syncedUntil;
      return page.hasMore;
    };
    const writes = Promise.all([...pushes(alice, 'alice'), ...pushes(bob, 'bob')]);
    const reads = (async () => {
      for (let i = 0; i < 10; i++) await readOnce();
    })();
    await Promise.all([writes, reads]);
    while (await readOnce());
    const expected = ['alice', 'bob'].flatMap((label) => Array.from({ length: 12 }, (_, i) => [`${label}-${i}-a`, `${label}-${i}-b`]).flat());
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);
    // Each push's two changes are adjacent, in order (PUSH-7).
    for (const id of seen.filter((id) => id.endsWith('-a'))) expect(seen[seen.indexOf(id) + 1]).toBe(id.replace(/-a$/, '-b'));
  });
});
