import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser, type UserScope } from '../src/db/user-scope.js';
import { appendChanges } from '../src/store/change-log.js';
import { claimPushId } from '../src/store/push-ids.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets, type TestDatabase } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';

if (POSTGRES_URL === undefined) console.warn(`push-ids.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

// The push transaction's store calls that save round trips (bench/: every round trip holds a pooled
// connection): the push id lookup forgets expired ids in the same statement, and the append returns
// the transaction id the push then waits on.

const alice: UserScope = { userId: 'alice', spaceIds: [] };

describe.each(serverDatabaseTargets())('push ids and the appended transaction on $label', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.open();
  });
  afterAll(async () => t?.dispose());

  const claim = (clientId: string, pushId: string, hash: string, accepted = 1) =>
    runAsUser(t.db, t.layout, alice, (tx) => claimPushId(tx, { userId: 'alice', clientId, pushId }, hash, accepted));
  const storedIds = async (clientId: string) =>
    (
      await t.db.query<{ push_id: string; content_hash: string }>(
        `SELECT push_id, content_hash FROM ${t.layout.schema}.push_ids WHERE user_id = 'alice' AND client_id = $1 ORDER BY push_id`,
        [clientId],
      )
    ).map((row) => [row.push_id, row.content_hash]);
  /** A push id stored long before the retention period. */
  const storeExpired = (clientId: string, pushId: string) =>
    t.db.query(
      `INSERT INTO ${t.layout.schema}.push_ids (user_id, client_id, push_id, content_hash, accepted, created_at)
       VALUES ('alice', $1, $2, 'old', 1, now() - interval '2 days')`,
      [clientId, pushId],
    );

  it('PUSH-8 a push id within the retention period replays, and with other content conflicts (PUSH-9)', async () => {
    const clientId = `c-${freshAppId()}`;
    expect(await claim(clientId, 'p', 'h', 3)).toEqual({ kind: 'new' });
    expect(await claim(clientId, 'p', 'h')).toEqual({ kind: 'replay', accepted: 3 });
    expect(await claim(clientId, 'p', 'other')).toEqual({ kind: 'conflict' });
  });

  it('PUSH-8 an expired push id is new again, and the writer\'s other expired ids are forgotten', async () => {
    const clientId = `c-${freshAppId()}`;
    await storeExpired(clientId, 'reused');
    await storeExpired(clientId, 'stale');
    await claim(clientId, 'live', 'kept');
    expect(await claim(clientId, 'reused', 'new-content')).toEqual({ kind: 'new' });
    expect(await storedIds(clientId)).toEqual([
      ['live', 'kept'],
      ['reused', 'new-content'],
    ]);
  });

  it('PUSH-17 appendChanges returns the id of the transaction it wrote in, and nothing when there is nothing to append', async () => {
    const appId = freshAppId();
    const origin = { appId, userId: 'alice', clientId: 'writer', schemaVersion: 1, pushId: undefined };
    const [appended, current] = await runAsUser(t.db, t.layout, alice, async (tx) => {
      const txid = await appendChanges(tx, origin, [
        { table: 'tasks', id: 'a', op: 'insert', spaceId: '_personal:alice', fields: {}, data: {} },
        { table: 'tasks', id: 'b', op: 'insert', spaceId: '_personal:alice', fields: {}, data: {} },
      ]);
      const [row] = await tx.query<{ txid: string }>('SELECT pg_current_xact_id()::text AS txid');
      return [txid, row!.txid];
    });
    expect(appended).toBe(current);
    expect(await runAsUser(t.db, t.layout, alice, (tx) => appendChanges(tx, origin, []))).toBeUndefined();
  });
});
