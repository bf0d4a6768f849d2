import { createHash } from 'node:crypto';
import { PUSH_ID_RETENTION_SECONDS } from '../../../spec/generated/constants.js';
import { canonicalJson } from '../../../spec/src/stamp-order.js';
import type { Queryable } from '../db/database.js';

/** What a push id stands for: its app, changes and schema version, compared as JSON values (PUSH-9). */
export function pushContentHash(content: { appId: string; changes: readonly unknown[]; schemaVersion: number }): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export type PushIdState = { kind: 'new' } | { kind: 'replay'; accepted: number } | { kind: 'conflict' };

/**
 * Looks the push id up for the (user, client) writer within the retention period (PUSH-8) and, when
 * it is new, records it in the push's own transaction, so the record commits exactly with the
 * changes. A concurrent push with the same id blocks on the primary key until this one ends, then
 * fails with a unique violation that the caller answers by running again (and finding the replay).
 */
export async function claimPushId(
  tx: Queryable,
  key: { userId: string; clientId: string; pushId: string },
  contentHash: string,
  accepted: number,
): Promise<PushIdState> {
  const params = [key.userId, key.clientId, key.pushId];
  // The same statement forgets this writer's push ids that outlived the retention period, so the
  // table stays bounded without a round trip of its own. The SELECT reads the snapshot from before
  // the DELETE, so an expired row of this very push id is still seen (as expired) and is gone by
  // the time the INSERT below runs.
  const [stored] = await tx.query<{ content_hash: string; accepted: number; expired: boolean }>(
    `WITH forgotten AS (
       DELETE FROM push_ids WHERE user_id = $1 AND client_id = $2 AND created_at < now() - make_interval(secs => $4)
     )
     SELECT content_hash, accepted, created_at < now() - make_interval(secs => $4) AS expired
       FROM push_ids WHERE user_id = $1 AND client_id = $2 AND push_id = $3`,
    [...params, PUSH_ID_RETENTION_SECONDS],
  );
  if (stored !== undefined && !stored.expired) {
    return stored.content_hash === contentHash ? { kind: 'replay', accepted: stored.accepted } : { kind: 'conflict' };
  }
  await tx.query(`INSERT INTO push_ids (user_id, client_id, push_id, content_hash, accepted) VALUES ($1, $2, $3, $4, $5)`, [
    ...params,
    contentHash,
    accepted,
  ]);
  return { kind: 'new' };
}

/** PostgreSQL's unique_violation: a concurrent push took the same push id first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
