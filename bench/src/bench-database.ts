import pg from 'pg';

/** The database the bench creates on the machine's PostgreSQL when no URL is given. */
export const BENCH_DATABASE = 'mana_sync_bench';
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * The PostgreSQL URL the bench uses: the given one as it is, else `mana_sync_bench` on the local
 * server, created when missing (a fresh clone needs nothing but a running PostgreSQL).
 */
export async function benchDatabaseUrl(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const admin = new pg.Client({ connectionString: `${DEFAULT_SERVER}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]);
    if (rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
      } catch (error) {
        // A concurrent bench created it first.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await admin.end();
  }
  return `${DEFAULT_SERVER}/${BENCH_DATABASE}`;
}

/** Drops the schemas of an earlier run, so that every run starts from empty tables. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
