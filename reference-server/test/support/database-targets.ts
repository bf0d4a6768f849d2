import { randomBytes } from 'node:crypto';
import { PGlite, types } from '@electric-sql/pglite';
import { POSTGRES_URL } from '../../../spec/test/support/databases.js';
import type { Database, DatabaseLayout } from '../../src/db/database.js';
import { prepareDatabase } from '../../src/db/open-database.js';
import { openPgDatabase } from '../../src/db/pg-database.js';
import { pgliteDatabase } from '../../src/db/pglite-database.js';
import { postgresContainerTargets } from './postgres-containers.js';

export { POSTGRES_SKIP_MESSAGE, POSTGRES_URL } from '../../../spec/test/support/databases.js';

/** A migrated schema of its own for one group of tests, and how to get rid of it. */
export interface TestDatabase {
  readonly db: Database;
  readonly layout: DatabaseLayout;
  dispose(): Promise<void>;
}

export interface ServerDatabaseTarget {
  readonly label: string;
  /** A layout with a schema of its own. */
  freshLayout(): DatabaseLayout;
  /** A migrated database in `layout`, whose RLS is proven to bind. */
  open(layout?: DatabaseLayout): Promise<TestDatabase>;
}

/** The role every test schema grants to; roles are cluster-wide, schemas are not. */
export const TEST_APP_ROLE = 'mana_sync_test_app';

const freshLayout = (): DatabaseLayout => ({ schema: `mana_test_${randomBytes(6).toString('hex')}`, appRole: TEST_APP_ROLE });

// Starting PGlite takes seconds: one instance per test worker, a schema per test group.
let pglite: Promise<PGlite> | undefined;
const sharedPglite = (): Promise<PGlite> => (pglite ??= PGlite.create({ parsers: { [types.INT8]: (value: string) => value } }));

async function openIn(db: Database, layout: DatabaseLayout, close: () => Promise<void>): Promise<TestDatabase> {
  await prepareDatabase(db, layout);
  return {
    db,
    layout,
    async dispose() {
      await db.query(`DROP SCHEMA IF EXISTS ${layout.schema} CASCADE`);
      await close();
    },
  };
}

const pgliteTarget: ServerDatabaseTarget = {
  label: 'PGlite',
  freshLayout,
  async open(layout = freshLayout()) {
    const db = pgliteDatabase(await sharedPglite(), 'pglite-memory', 'shared test PGlite', () => Promise.resolve());
    return openIn(db, layout, () => Promise.resolve());
  },
};

export function postgresTarget(url: () => Promise<string>, label = 'PostgreSQL'): ServerDatabaseTarget {
  return {
    label,
    freshLayout,
    async open(layout = freshLayout()) {
      const db = openPgDatabase(await url());
      return openIn(db, layout, () => db.close());
    },
  };
}

/**
 * PGlite always, PostgreSQL when DATABASE_URL is set, and a PostgreSQL container per version of
 * MANA_TEST_PG_VERSIONS where a container engine answers: the databases every storage test runs on.
 */
export function serverDatabaseTargets(): ServerDatabaseTarget[] {
  const url = POSTGRES_URL;
  return [
    pgliteTarget,
    ...(url === undefined ? [] : [postgresTarget(() => Promise.resolve(url))]),
    ...postgresContainerTargets().map((target) => postgresTarget(() => target.url(), target.label)),
  ];
}

/**
 * Waits until every transaction that started before the call has ended, so that everything committed
 * so far lies below the horizon of the next read. On PostgreSQL the horizon is cluster-wide: any
 * open writer elsewhere (another test file, the spec's interleaving tests) holds it back for a
 * moment, and a test that reads right after writing must await that, not assume it. Transactions
 * that start later get larger ids and cannot hold back what was committed before.
 */
export async function settle(db: Database): Promise<void> {
  if (db.kind !== 'postgresql') return;
  const [marker] = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await db.query<{ passed: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS passed', [marker!.xid]);
    if (row!.passed) return;
    if (Date.now() > deadline) throw new Error(`a transaction older than ${marker!.xid} stayed open for 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
