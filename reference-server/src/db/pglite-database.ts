import { PGlite, types } from '@electric-sql/pglite';
import type { Database, DatabaseKind, Queryable } from './database.js';

/**
 * Embedded PGlite, in memory or in a data directory. PGlite is one connection: its transactions run
 * one after another (its own mutex queues them), which keeps every request correct, only serial.
 */
export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  // int8 as a decimal string, as pg returns it: sequence numbers outgrow 2^53.
  const options = { parsers: { [types.INT8]: (value: string) => value } };
  const pglite = dataDir === undefined ? await PGlite.create(options) : await PGlite.create(dataDir, options);
  return dataDir === undefined
    ? pgliteDatabase(pglite, 'pglite-memory', 'embedded PGlite in memory (data is lost at exit)', () => pglite.close())
    : pgliteDatabase(pglite, 'pglite-disk', `embedded PGlite on disk in ${dataDir}`, () => pglite.close());
}

/** A Database over an open PGlite instance; `close` decides what closing means (tests share one instance). */
export function pgliteDatabase(pglite: PGlite, kind: DatabaseKind, description: string, close: () => Promise<void>): Database {
  const over = (target: Pick<PGlite, 'query'>): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await target.query<Row>(sql, params === undefined ? undefined : [...params])).rows,
  });
  return {
    kind,
    description,
    ...over(pglite),
    transaction: (work) => pglite.transaction((tx) => work(over(tx))),
    close,
  };
}
