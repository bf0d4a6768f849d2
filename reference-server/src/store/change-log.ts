import type { FieldStamp, ServerChange } from '../../../spec/generated/types.js';
import type { Queryable } from '../db/database.js';
import { comparePositions, type LogPosition } from './cursor.js';

export type ChangeOp = ServerChange['op'];

/** A change as the server stores it: stamps complete and canonical (LWW-8 to LWW-11), space resolved (SPACE-1). */
export interface NewChange {
  readonly table: string;
  readonly id: string;
  readonly op: ChangeOp;
  readonly spaceId: string;
  readonly fields: Readonly<Record<string, FieldStamp>>;
  /** insert: the record's values. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** delete: the canonical deletion instant. */
  readonly deletedAt?: string;
  /** Opaque, stored and relayed unchanged; absent is not the same as null. */
  readonly actor?: unknown;
  readonly origin?: string;
}

/** What a push stores alongside its changes. */
export interface PushOrigin {
  readonly appId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly schemaVersion: number;
  readonly pushId: string | undefined;
}

/**
 * Appends the changes of one push with one statement, in array order: identity values are taken in
 * the order of the ordered SELECT, so `seq` follows the push (PUSH-7), and all rows share the
 * transaction's txid, so no other push lands between them in any reader's view. Returns that txid
 * (undefined when there was nothing to append), which the push waits on (read-horizon.ts): read
 * back by the same statement, since every round trip of a push transaction holds a pooled connection.
 */
export async function appendChanges(tx: Queryable, origin: PushOrigin, changes: readonly NewChange[]): Promise<string | undefined> {
  if (changes.length === 0) return undefined;
  const [row] = await tx.query<{ txid: string }>(
    `WITH appended AS (
       INSERT INTO sync_changes (app_id, table_name, record_id, user_id, client_id, space_id, op, fields, data, deleted_at,
                                 actor, origin, schema_version, server_at, push_id)
       SELECT $1, x.e->>'table', x.e->>'id', $2, $3, x.e->>'spaceId', x.e->>'op', x.e->'fields', x.e->'data', x.e->>'deletedAt',
              CASE WHEN x.e ? 'actor' THEN x.e->'actor' END, x.e->>'origin', $4, date_trunc('milliseconds', now()), $5
         FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS x(e, ord)
        ORDER BY x.ord
       RETURNING txid
     )
     SELECT txid::text AS txid FROM appended LIMIT 1`,
    [origin.appId, origin.userId, origin.clientId, origin.schemaVersion, origin.pushId ?? null, JSON.stringify(changes)],
  );
  return row!.txid;
}

/** A read of the log: one app, optionally some of its tables, strictly after a position. */
export interface LogQuery {
  readonly appId: string;
  /** Only these tables (a pull names one, a stream several); every table when absent. */
  readonly tables?: readonly string[];
  readonly after: LogPosition;
  /** PULL-8: only changes stored at or after this instant (a timestamp `since`). */
  readonly notBeforeMs?: number;
  /** PULL-12: leave out the changes of this writer. */
  readonly echo?: { readonly userId: string; readonly clientId: string };
  readonly reader: { readonly userId: string; readonly spaceIds: readonly string[] };
  readonly limit: number;
}

export interface StoredChange {
  readonly position: LogPosition;
  readonly change: ServerChange;
}

export interface LogPage {
  readonly changes: readonly StoredChange[];
  /** The position after the page: the last change of a full page, else the horizon (PULL-5, PULL-6). */
  readonly next: LogPosition;
  readonly hasMore: boolean;
}

interface ChangeRow {
  seq: string;
  txid: string;
  table_name: string;
  record_id: string;
  op: ChangeOp;
  fields: Record<string, FieldStamp>;
  data: Record<string, unknown> | null;
  deleted_at: string | null;
  actor: unknown;
  has_actor: boolean;
  origin: string | null;
  user_id: string;
  client_id: string;
  space_id: string;
  schema_version: number;
  server_at: string;
  horizon: string;
}

/**
 * The horizon reader of Appendix C (PULL-3): only changes of transactions older than the snapshot's
 * xmin, which have all ended, so no change can later commit behind a returned position. Horizon and
 * page come from one statement, hence one snapshot. One row more than the page is read to tell
 * whether more visible changes exist (PULL-5); every filter, visibility included (PULL-16), applies
 * before the limit. The visibility condition repeats the row-level security policy on purpose: the
 * query is correct on its own, and the policy still binds a query that forgets it (SPACE-14).
 */
export async function readChanges(tx: Queryable, query: LogQuery): Promise<LogPage> {
  const rows = await tx.query<ChangeRow>(
    `WITH snapshot_horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT page.seq::text AS seq, page.txid::text AS txid, page.table_name, page.record_id, page.op, page.fields, page.data,
            page.deleted_at, page.actor, page.actor IS NOT NULL AS has_actor, page.origin, page.user_id, page.client_id,
            page.space_id, page.schema_version,
            to_char(page.server_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS server_at,
            snapshot_horizon.xmin::text AS horizon
       FROM snapshot_horizon
       LEFT JOIN LATERAL (
         SELECT c.* FROM sync_changes c
          WHERE c.app_id = $1
            AND ($2::text[] IS NULL OR c.table_name = ANY ($2::text[]))
            AND (c.txid, c.seq) > ($3::xid8, $4::bigint)
            AND c.txid < snapshot_horizon.xmin
            AND ($5::float8 IS NULL OR c.server_at >= to_timestamp($5::float8 / 1000))
            AND ($6::text IS NULL OR NOT (c.user_id = $7 AND c.client_id = $6))
            AND (c.user_id = $8 OR c.space_id = '_personal:' || $8 OR c.space_id = ANY ($9::text[]))
          ORDER BY c.txid, c.seq
          LIMIT $10
       ) AS page ON true
      -- By the columns, not the text output of the same names, which would sort "10" before "9".
      ORDER BY page.txid, page.seq`,
    [
      query.appId,
      query.tables === undefined ? null : [...query.tables],
      query.after.txid,
      query.after.seq,
      query.notBeforeMs ?? null,
      query.echo?.clientId ?? null,
      query.echo?.userId ?? null,
      query.reader.userId,
      [...query.reader.spaceIds],
      query.limit + 1,
    ],
  );
  const found = rows.filter((row) => row.seq !== null).map(toStoredChange);
  const hasMore = found.length > query.limit;
  const changes = hasMore ? found.slice(0, query.limit) : found;
  if (hasMore) return { changes, next: changes.at(-1)!.position, hasMore };
  // Everything visible below the horizon was returned: the next read may start at the horizon.
  const horizon: LogPosition = { txid: rows[0]!.horizon, seq: '0' };
  return { changes, next: comparePositions(horizon, query.after) > 0 ? horizon : query.after, hasMore };
}

function toStoredChange(row: ChangeRow): StoredChange {
  const change: ServerChange = {
    eventId: row.seq,
    table: row.table_name,
    id: row.record_id,
    op: row.op,
    fields: row.fields,
    ...(row.op === 'insert' ? { data: row.data ?? {} } : {}),
    ...(row.op === 'delete' ? { deletedAt: row.deleted_at } : {}),
    spaceId: row.space_id,
    userId: row.user_id,
    clientId: row.client_id,
    ...(row.has_actor ? { actor: row.actor } : {}),
    ...(row.origin === null ? {} : { origin: row.origin }),
    schemaVersion: row.schema_version,
    serverAt: row.server_at,
  };
  return { position: { txid: row.txid, seq: row.seq }, change };
}
