/** Anything that runs SQL with `$n` parameters and returns the rows. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export type DatabaseKind = 'pglite-memory' | 'pglite-disk' | 'postgresql';

/**
 * One interface over PostgreSQL (`pg`) and embedded PGlite, so the same SQL serves both. Both return
 * int8 and xid8 as decimal strings (they exceed 2^53) and jsonb as parsed JSON.
 * `query` and `transaction` run as the connecting role; request work goes through
 * `runAsUser` (user-scope.ts), which drops to the application role so that row-level security binds.
 */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** For the start-up line: which database this is, without credentials. */
  readonly description: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the server's tables live and which role its requests run as. */
export interface DatabaseLayout {
  readonly schema: string;
  readonly appRole: string;
}
