import type { DatabaseConfig } from '../config.js';
import type { Database, DatabaseLayout } from './database.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { migrate } from './migrations.js';
import { assertRowLevelSecurityBinds } from './rls-guard.js';

/** Brings the schema up to date and proves that row-level security binds (throws RlsNotBindingError otherwise). */
export async function prepareDatabase(db: Database, layout: DatabaseLayout): Promise<void> {
  await migrate(db, layout);
  await assertRowLevelSecurityBinds(db, layout);
}

/**
 * Opens the configured database, brings its schema up to date and proves that row-level security
 * binds; a database that fails the proof is closed and the error thrown (the server must not start).
 */
export async function openDatabase(config: DatabaseConfig, layout: DatabaseLayout): Promise<Database> {
  const db = config.kind === 'postgresql' ? openPgDatabase(config.url) : await openPgliteDatabase(config.dataDir);
  try {
    await prepareDatabase(db, layout);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
