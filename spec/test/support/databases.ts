import { randomBytes } from 'node:crypto';
import { PGlite, types } from '@electric-sql/pglite';
import pg from 'pg';

/** Anything that runs SQL with `$n` parameters and returns the rows. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** One connection held until released: where a transaction that spans several statements runs. */
export interface Session extends Queryable {
  release(): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgresql';

/** The same small interface over embedded PGlite and a real PostgreSQL server. */
export interface TestDatabase extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Whether sessions are separate connections whose transactions can overlap. PGlite is one
   * connection: its sessions share it, so a test runs their transactions one after another.
   */
  readonly concurrentSessions: boolean;
  connect(): Promise<Session>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  /** For test titles: "PGlite" or "PostgreSQL". */
  readonly label: string;
  open(): Promise<TestDatabase>;
}

/** The machine's PostgreSQL, when the environment names one (.ci/run always does). */
export const POSTGRES_URL: string | undefined = process.env.DATABASE_URL || undefined;

export const POSTGRES_SKIP_MESSAGE =
  'DATABASE_URL is not set: the PostgreSQL tests are SKIPPED (only embedded PGlite runs). Set DATABASE_URL, as .ci/run does, to run them.';

/** Embedded PGlite in memory. int8 comes back as a decimal string, as `pg` returns it. */
export async function openPglite(): Promise<TestDatabase> {
  const db = await PGlite.create({ parsers: { [types.INT8]: (value: string) => value } });
  const run = async <Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> =>
    (await db.query<Row>(sql, params === undefined ? undefined : [...params])).rows;
  return {
    kind: 'pglite',
    concurrentSessions: false,
    query: run,
    connect: () => Promise.resolve({ query: run, release: () => Promise.resolve() }),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async <Row>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<Row>(sql, params === undefined ? undefined : [...params])).rows,
        }),
      ),
    close: () => db.close(),
  };
}

/** A pool on a real PostgreSQL server; every session is its own connection. */
export function openPostgres(connectionString: string): TestDatabase {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client that dies (server restart) must fail the test that uses it, not crash the run.
  pool.on('error', () => undefined);
  const over = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await client.query(sql, params === undefined ? undefined : [...params])).rows as Row[],
  });
  return {
    kind: 'postgresql',
    concurrentSessions: true,
    ...over(pool),
    async connect() {
      const client = await pool.connect();
      return {
        ...over(client),
        release: () => {
          client.release();
          return Promise.resolve();
        },
      };
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The databases to run against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ kind: 'pglite', label: 'PGlite', open: openPglite }];
  const url = POSTGRES_URL;
  if (url !== undefined) {
    targets.push({ kind: 'postgresql', label: 'PostgreSQL', open: () => Promise.resolve(openPostgres(url)) });
  }
  return targets;
}

/** A schema of its own for one test, so tests never see each other's tables. */
export interface ScratchSchema {
  readonly name: string;
  drop(): Promise<void>;
}

export async function createScratchSchema(db: Queryable): Promise<ScratchSchema> {
  const name = `mana_test_${randomBytes(6).toString('hex')}`;
  await db.query(`CREATE SCHEMA ${name}`);
  return { name, drop: async () => void (await db.query(`DROP SCHEMA ${name} CASCADE`)) };
}
