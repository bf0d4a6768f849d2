import pg from 'pg';
import { STORE_TIMEOUT_SECONDS } from '../../../spec/generated/constants.js';
import type { Database, Queryable } from './database.js';

/** A pool on a PostgreSQL server; every transaction holds one connection until it ends. */
export function openPgDatabase(connectionString: string): Database {
  const timeoutMs = STORE_TIMEOUT_SECONDS * 1000;
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // OPS-8: a request waits at most STORE_TIMEOUT_SECONDS for a connection or a statement, never hangs.
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    options: `-c statement_timeout=${timeoutMs} -c idle_in_transaction_session_timeout=${timeoutMs}`,
  });
  // A pooled connection that dies while idle (a server restart) is replaced; the requests using the
  // pool see their own errors, so this one needs no handling beyond not crashing the process.
  pool.on('error', () => undefined);
  const over = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params === undefined ? undefined : [...params])).rows as Row[],
  });
  return {
    kind: 'postgresql',
    description: `PostgreSQL at ${describeConnection(connectionString)}`,
    ...over(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      // The pool listens for errors of idle connections only: one that dies while this transaction
      // holds it (a PostgreSQL restart between two statements) would otherwise be an uncaught
      // 'error' that ends the process (OPS-8). The next statement fails instead, and the connection
      // is destroyed rather than pooled.
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back is no longer usable: destroy it instead of pooling it.
          broken = rollbackError;
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}

/** host:port/database of a connection string, without user or password (AUTH-14 spirit: no secrets in logs). */
function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
