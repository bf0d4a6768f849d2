import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrations.js';
import { RlsNotBindingError, assertRowLevelSecurityBinds } from '../src/db/rls-guard.js';
import { runAsUser } from '../src/db/user-scope.js';
import { appendChanges, type NewChange } from '../src/store/change-log.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets, type TestDatabase } from './support/database-targets.js';

if (POSTGRES_URL === undefined) console.warn(`rls.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

const AT = '2026-11-23T10:05:00.000Z';
const change = (id: string, spaceId: string): NewChange => ({
  table: 'tasks',
  id,
  op: 'update',
  spaceId,
  fields: { title: { value: id, at: AT, c: 0 } },
});

describe.each(serverDatabaseTargets())('row-level security on $label', (target) => {
  let t: TestDatabase;
  const write = (userId: string, spaceIds: string[], changes: NewChange[]) =>
    runAsUser(t.db, t.layout, { userId, spaceIds }, (tx) =>
      appendChanges(tx, { appId: 'rls', userId, clientId: 'c', schemaVersion: 1, pushId: undefined }, changes),
    );

  beforeAll(async () => {
    t = await target.open();
    await write('u1', [], [change('u1-personal', '_personal:u1')]);
    await write('u2', ['org-shared'], [change('u2-shared', 'org-shared'), change('u2-personal', '_personal:u2')]);
    await write('u3', ['org-other'], [change('u3-other', 'org-other')]);
  });
  afterAll(async () => t?.dispose());

  it('SPACE-14 as the app role with u1\'s settings, SELECT * without WHERE returns only u1\'s rows and those of u1\'s spaces', async () => {
    const rows = await runAsUser(t.db, t.layout, { userId: 'u1', spaceIds: ['org-shared'] }, (tx) =>
      tx.query<{ record_id: string }>('SELECT * FROM sync_changes ORDER BY seq'),
    );
    expect(rows.map((row) => row.record_id)).toEqual(['u1-personal', 'u2-shared']);
  });

  it('SPACE-14 the app role cannot store a change in another user\'s name, nor into a space it is not a member of', async () => {
    const foreign = runAsUser(t.db, t.layout, { userId: 'u1', spaceIds: [] }, (tx) =>
      tx.query(
        `INSERT INTO sync_changes (app_id, table_name, record_id, user_id, client_id, space_id, op, fields, schema_version, server_at)
         VALUES ('rls', 'tasks', 'x', 'u2', 'c', '_personal:u2', 'update', '{}', 1, now())`,
      ),
    );
    await expect(foreign).rejects.toThrow(/row-level security/);
    await expect(write('u1', [], [change('sneak', 'org-other')])).rejects.toThrow(/row-level security/);
  });

  it('SPACE-14 settings end with their transaction: the app role without settings sees nothing', async () => {
    const rows = await t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [t.layout.appRole]);
      return tx.query<{ setting: string | null; n: string }>(
        `SELECT current_setting('app.user_id', true) AS setting, (SELECT count(*) FROM ${t.layout.schema}.sync_changes)::text AS n`,
      );
    });
    expect(rows[0]?.n).toBe('0');
    expect(['', null]).toContain(rows[0]?.setting);
  });

  it('SPACE-14 the app role cannot read record spaces or push ids of others directly', async () => {
    await expect(runAsUser(t.db, t.layout, { userId: 'u1', spaceIds: [] }, (tx) => tx.query('SELECT * FROM record_spaces'))).rejects.toThrow(
      /permission denied/,
    );
  });

  it('SPACE-14 migrations are idempotent: a second run applies nothing and RLS still binds', async () => {
    expect((await migrate(t.db, t.layout)).applied).toEqual([]);
    await expect(assertRowLevelSecurityBinds(t.db, t.layout)).resolves.toBeUndefined();
  });
});

describe.each(serverDatabaseTargets())('the start-up guard on $label', (target) => {
  // A role of its own, so that making it unsafe cannot affect other tests sharing the cluster.
  const openWithOwnRole = async (): Promise<TestDatabase & { role: string }> => {
    const role = `mana_sync_test_guard_${randomBytes(4).toString('hex')}`;
    const layout = { ...target.freshLayout(), appRole: role };
    const t = await target.open(layout);
    return {
      ...t,
      role,
      async dispose() {
        await t.db.query(`DROP SCHEMA ${t.layout.schema} CASCADE`);
        await t.db.query(`DROP OWNED BY ${role}`);
        await t.db.query(`DROP ROLE ${role}`);
        await t.dispose();
      },
    };
  };

  it('SPACE-14 refuses an app role with BYPASSRLS', async () => {
    const t = await openWithOwnRole();
    try {
      await t.db.query(`ALTER ROLE ${t.role} BYPASSRLS`);
      await expect(assertRowLevelSecurityBinds(t.db, t.layout)).rejects.toThrow(RlsNotBindingError);
      await expect(assertRowLevelSecurityBinds(t.db, t.layout)).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await t.dispose();
    }
  });

  it('SPACE-14 refuses an app role that is a superuser', async () => {
    const t = await openWithOwnRole();
    try {
      await t.db.query(`ALTER ROLE ${t.role} SUPERUSER`);
      await expect(assertRowLevelSecurityBinds(t.db, t.layout)).rejects.toThrow(/superuser/);
    } finally {
      await t.db.query(`ALTER ROLE ${t.role} NOSUPERUSER`);
      await t.dispose();
    }
  });

  it('SPACE-14 refuses a change log whose row-level security is not forced', async () => {
    const t = await openWithOwnRole();
    try {
      await t.db.query(`ALTER TABLE ${t.layout.schema}.sync_changes NO FORCE ROW LEVEL SECURITY`);
      await expect(assertRowLevelSecurityBinds(t.db, t.layout)).rejects.toThrow(/enabled and forced/);
    } finally {
      await t.dispose();
    }
  });

  it('SPACE-14 refuses when a policy lets one user see another user\'s rows', async () => {
    const t = await openWithOwnRole();
    try {
      await t.db.query(`CREATE POLICY leak ON ${t.layout.schema}.sync_changes FOR SELECT TO ${t.role} USING (true)`);
      await expect(assertRowLevelSecurityBinds(t.db, t.layout)).rejects.toThrow(/visible to another/);
    } finally {
      await t.dispose();
    }
  });
});
