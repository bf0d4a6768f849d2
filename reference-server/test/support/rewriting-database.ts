import type { Database, Queryable } from '../../src/db/database.js';

/** A database whose statements pass through `rewrite` first, and how many of them it changed. */
export interface RewritingDatabase extends Database {
  readonly rewritten: () => number;
}

/**
 * Rewrites every statement the server sends, inside transactions too: a behaviour of the server
 * changed from outside (the shipped server has no switch for it), as a test of the suite needs.
 */
export function rewritingDatabase(db: Database, rewrite: (sql: string) => string): RewritingDatabase {
  let rewritten = 0;
  const through = (sql: string): string => {
    const changed = rewrite(sql);
    if (changed !== sql) rewritten++;
    return changed;
  };
  const wrap = (target: Queryable): Queryable => ({ query: (sql, params) => target.query(through(sql), params) });
  return {
    kind: db.kind,
    description: db.description,
    rewritten: () => rewritten,
    query: (sql, params) => db.query(through(sql), params),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}
