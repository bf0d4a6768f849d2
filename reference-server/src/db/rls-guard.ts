import type { Database, DatabaseLayout } from './database.js';
import { USER_ID_SETTING } from './migrations.js';
import { runAsUser } from './user-scope.js';

/** The database would not enforce visibility: the server must not start (SPACE-14). */
export class RlsNotBindingError extends Error {
  constructor(reason: string) {
    super(`row-level security would not bind, refusing to start: ${reason}`);
    this.name = 'RlsNotBindingError';
  }
}

const PROBE_OWNER = '__mana_sync_rls_probe_owner__';
const PROBE_READER = '__mana_sync_rls_probe_reader__';

class ProbeDone extends Error {}

/**
 * Proves at start-up that row-level security binds the role requests run as: the role is neither
 * superuser nor BYPASSRLS, both user tables have RLS enabled and forced, and a probe row of one user
 * is invisible to, and cannot be written by, another. The probe runs in transactions that are rolled
 * back, so it leaves nothing behind.
 */
export async function assertRowLevelSecurityBinds(db: Database, layout: DatabaseLayout): Promise<void> {
  const [role] = await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`,
    [layout.appRole],
  );
  if (role === undefined) throw new RlsNotBindingError(`role ${layout.appRole} does not exist`);
  if (role.rolsuper) throw new RlsNotBindingError(`role ${layout.appRole} is a superuser`);
  if (role.rolbypassrls) throw new RlsNotBindingError(`role ${layout.appRole} has BYPASSRLS`);
  const tables = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname IN ('sync_changes', 'push_ids')`,
    [layout.schema],
  );
  for (const name of ['sync_changes', 'push_ids']) {
    const table = tables.find((row) => row.relname === name);
    if (table === undefined) throw new RlsNotBindingError(`table ${layout.schema}.${name} does not exist`);
    if (!table.relrowsecurity || !table.relforcerowsecurity) {
      throw new RlsNotBindingError(`table ${layout.schema}.${name} does not have row-level security enabled and forced`);
    }
  }
  await rolledBack(() =>
    runAsUser(db, layout, { userId: PROBE_OWNER, spaceIds: [] }, async (tx) => {
      await tx.query(
        `INSERT INTO sync_changes (app_id, table_name, record_id, user_id, client_id, space_id, op, fields, schema_version, server_at)
         VALUES ('rls-probe', 'probe', 'probe', $1, 'probe', $2, 'insert', '{}', 1, now())`,
        [PROBE_OWNER, `_personal:${PROBE_OWNER}`],
      );
      await tx.query(`SELECT set_config('${USER_ID_SETTING}', $1, true)`, [PROBE_READER]);
      const visible = await tx.query(`SELECT 1 FROM sync_changes WHERE app_id = 'rls-probe'`);
      if (visible.length > 0) throw new RlsNotBindingError(`a change of one user is visible to another as role ${layout.appRole}`);
      try {
        await tx.query(
          `INSERT INTO sync_changes (app_id, table_name, record_id, user_id, client_id, space_id, op, fields, schema_version, server_at)
           VALUES ('rls-probe', 'probe', 'probe2', $1, 'probe', $2, 'insert', '{}', 1, now())`,
          [PROBE_OWNER, `_personal:${PROBE_OWNER}`],
        );
      } catch (error) {
        // 42501: "new row violates row-level security policy", the refusal this probe expects.
        if ((error as { code?: unknown }).code === '42501') throw new ProbeDone();
        throw error;
      }
      throw new RlsNotBindingError(`role ${layout.appRole} can store a change in another user's name`);
    }),
  );
}

async function rolledBack(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ProbeDone) return;
    if (error instanceof RlsNotBindingError) throw error;
    throw new RlsNotBindingError(`the probe as the application role failed: ${(error as Error).message}`);
  }
}
