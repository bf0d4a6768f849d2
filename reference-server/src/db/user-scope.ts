import type { Database, DatabaseLayout, Queryable } from './database.js';
import { SPACE_IDS_SETTING, USER_ID_SETTING } from './migrations.js';

/** Who a request acts for: the verified user (AUTH-13) and the shared spaces it may read and write. */
export interface UserScope {
  readonly userId: string;
  /** Organization space ids of the user's memberships (never the personal space, which policies derive). */
  readonly spaceIds: readonly string[];
}

/** The open transaction of a request, with the database clock at its start. */
export interface ScopedTransaction extends Queryable {
  /** The transaction's start on the database clock, whole milliseconds (LWW-3): the time of everything it stores. */
  readonly nowMs: number;
}

/**
 * Runs `work` in one transaction as the application role with the user's settings, so that every
 * query of a request is bound by row-level security (SPACE-14). Role and settings are LOCAL: they end
 * with the transaction, and a pooled connection never carries them into another request.
 */
export async function runAsUser<T>(db: Database, layout: DatabaseLayout, scope: UserScope, work: (tx: ScopedTransaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: set_config('role') is SET LOCAL ROLE in function form. The search path is set
    // here rather than per connection, so one database can hold several layouts (tests do).
    const [row] = await tx.query<{ now_ms: string }>(
      `SELECT set_config('search_path', $1, true), set_config('role', $2, true),
              set_config('${USER_ID_SETTING}', $3, true), set_config('${SPACE_IDS_SETTING}', $4, true),
              (extract(epoch FROM date_trunc('milliseconds', now())) * 1000)::int8 AS now_ms`,
      [layout.schema, layout.appRole, scope.userId, JSON.stringify(scope.spaceIds)],
    );
    return work({ query: (sql, params) => tx.query(sql, params), nowMs: Number(row!.now_ms) });
  });
}
