import type { Queryable } from './databases.js';

/** A change log row, positions as decimal strings (xid8 and bigint exceed 2^53). */
export interface LoggedChange {
  txid: string;
  seq: string;
  payload: string;
}

/** A (txid, seq) position in the log: the content of a horizon cursor. */
export interface LogPosition {
  txid: string;
  seq: string;
}

/** A strategy for paging through the log: the spec's horizon reader, or the naive one it replaces. */
export interface LogReader<Cursor> {
  readonly name: string;
  readonly start: Cursor;
  read(db: Queryable, table: string, cursor: Cursor, limit: number): Promise<{ changes: LoggedChange[]; cursor: Cursor }>;
  /** The change lies at or before the cursor: a reader that reached the cursor must have delivered it. */
  covers(cursor: Cursor, change: LoggedChange): boolean;
  show(cursor: Cursor): string;
}

/**
 * The change log of the spec's cursor mechanism: `seq` orders changes inside a transaction, `txid`
 * (the writing transaction's xid8) orders transactions. Qualified by schema so concurrent tests and
 * pool connections need no search_path.
 */
export async function createChangeLog(db: Queryable, schema: string, name = 'changes'): Promise<string> {
  const table = `${schema}.${name}`;
  await db.query(`CREATE TABLE ${table} (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    payload text NOT NULL
  )`);
  await db.query(`CREATE INDEX ON ${table} (txid, seq)`);
  return table;
}

export async function appendChange(db: Queryable, table: string, payload: string): Promise<LoggedChange> {
  const [row] = await db.query<LoggedChange>(
    `INSERT INTO ${table} (payload) VALUES ($1) RETURNING txid::text AS txid, seq::text AS seq, payload`,
    [payload],
  );
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  const byTxid = BigInt(a.txid) - BigInt(b.txid);
  if (byTxid !== 0n) return byTxid < 0n ? -1 : 1;
  const bySeq = BigInt(a.seq) - BigInt(b.seq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/**
 * The spec's reader (PULL-3): only changes of transactions older than the snapshot's xmin, which
 * have all finished, so no change can later appear behind the cursor. A full page ends at its last
 * change; a short page has delivered everything below the horizon, so the cursor moves to
 * (xmin, 0). Horizon and rows come from one statement, hence one snapshot.
 */
export const horizonReader: LogReader<LogPosition> = {
  name: 'horizon reader',
  start: { txid: '0', seq: '0' },
  async read(db, table, cursor, limit) {
    const rows = await db.query<{ txid: string | null; seq: string | null; payload: string | null; horizon: string }>(
      `WITH snapshot_horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
       SELECT page.txid::text AS txid, page.seq::text AS seq, page.payload, snapshot_horizon.xmin::text AS horizon
         FROM snapshot_horizon
         LEFT JOIN LATERAL (
           SELECT log.txid, log.seq, log.payload FROM ${table} AS log
            WHERE (log.txid, log.seq) > ($1::xid8, $2::bigint) AND log.txid < snapshot_horizon.xmin
            ORDER BY log.txid, log.seq
            LIMIT $3
         ) AS page ON true
        ORDER BY page.txid, page.seq`,
      [cursor.txid, cursor.seq, limit],
    );
    const changes = rows.flatMap((row) =>
      row.txid === null || row.seq === null || row.payload === null ? [] : [{ txid: row.txid, seq: row.seq, payload: row.payload }],
    );
    const last = changes.at(-1);
    if (changes.length === limit && last !== undefined) return { changes, cursor: { txid: last.txid, seq: last.seq } };
    const horizon = { txid: rows[0]?.horizon ?? cursor.txid, seq: '0' };
    return { changes, cursor: comparePositions(horizon, cursor) > 0 ? horizon : cursor };
  },
  covers: (cursor, change) => comparePositions(change, cursor) <= 0,
  show: (cursor) => `(${cursor.txid}, ${cursor.seq})`,
};

/** The trap the spec avoids: `seq` is taken at INSERT, not at COMMIT, so a late commit lands behind the cursor. */
export const naiveSeqReader: LogReader<string> = {
  name: 'naive seq reader',
  start: '0',
  async read(db, table, cursor, limit) {
    const changes = await db.query<LoggedChange>(
      // Qualified: an unqualified ORDER BY seq would sort by the text output column.
      `SELECT log.txid::text AS txid, log.seq::text AS seq, log.payload FROM ${table} AS log
        WHERE log.seq > $1::bigint ORDER BY log.seq LIMIT $2`,
      [cursor, limit],
    );
    return { changes, cursor: changes.at(-1)?.seq ?? cursor };
  },
  covers: (cursor, change) => BigInt(change.seq) <= BigInt(cursor),
  show: (cursor) => cursor,
};
