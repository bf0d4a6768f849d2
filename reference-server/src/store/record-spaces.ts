import type { Queryable } from '../db/database.js';

/** A record of an app: the unit whose space is fixed by its first stored change (SPACE-5). */
export interface RecordKey {
  readonly table: string;
  readonly id: string;
}

/** Space of each record, keyed by recordKeyString. */
export type RecordSpaces = ReadonlyMap<string, string>;

export function recordKeyString(key: RecordKey): string {
  return JSON.stringify([key.table, key.id]);
}

interface SpaceRow {
  r_table: string;
  r_id: string;
  r_space: string;
}

const toMap = (rows: readonly SpaceRow[]): RecordSpaces => new Map(rows.map((row) => [recordKeyString({ table: row.r_table, id: row.r_id }), row.r_space]));

/** The spaces of the records that are already stored, through a function that reveals nothing else of other users' changes. */
export async function lookUpRecordSpaces(tx: Queryable, appId: string, keys: readonly RecordKey[]): Promise<RecordSpaces> {
  if (keys.length === 0) return new Map();
  const rows = await tx.query<SpaceRow>(`SELECT r_table, r_id, r_space FROM record_spaces_of($1, $2::text[], $3::text[])`, [
    appId,
    keys.map((key) => key.table),
    keys.map((key) => key.id),
  ]);
  return toMap(rows);
}

/**
 * Fixes the space of records stored for the first time and returns the space every given record has
 * now, which differs from the claimed one when a concurrent push claimed the record first.
 */
export async function claimRecordSpaces(tx: Queryable, appId: string, claims: ReadonlyArray<RecordKey & { spaceId: string }>): Promise<RecordSpaces> {
  if (claims.length === 0) return new Map();
  const rows = await tx.query<SpaceRow>(`SELECT r_table, r_id, r_space FROM claim_record_spaces($1, $2::text[], $3::text[], $4::text[])`, [
    appId,
    claims.map((claim) => claim.table),
    claims.map((claim) => claim.id),
    claims.map((claim) => claim.spaceId),
  ]);
  return toMap(rows);
}
