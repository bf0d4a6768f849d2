import type { ServerChange } from '../../../spec/generated/types.js';
import type { ScopedTransaction, UserScope } from '../db/user-scope.js';
import { readChanges } from '../store/change-log.js';
import { encodeCursor, readOrigin, spaceFingerprint, type LogPosition, type ReadStart } from '../store/cursor.js';

/** One read of a user's visible changes of an app: for a push response, a pull page or a stream event. */
export interface DeltaRequest {
  readonly appId: string;
  /** Only these tables (a pull names one, a stream several); every table of the app when absent (a push, PULL-14). */
  readonly tables?: readonly string[];
  readonly start: ReadStart;
  /** The reading client: its own changes are left out (PULL-12); none named, nothing is (PULL-13). */
  readonly clientId: string | undefined;
  readonly limit: number;
}

export interface Delta {
  readonly serverChanges: ServerChange[];
  /** The cursor right after each change of `serverChanges` (an SSE event ending there carries it as its id, SSE-4). */
  readonly cursors: string[];
  readonly syncedUntil: string;
  readonly hasMore: boolean;
  /** The position `syncedUntil` encodes. */
  readonly next: LogPosition;
}

/**
 * The user's visible changes after `start` (SPACE-2, PULL-3 to PULL-6, PULL-12 to PULL-16), with the
 * cursor to continue from, which carries the fingerprint of the spaces they were read with (SPACE-11).
 */
export async function readDelta(tx: ScopedTransaction, scope: UserScope, request: DeltaRequest): Promise<Delta> {
  const spaces = spaceFingerprint(scope.spaceIds);
  const origin = readOrigin(request.start, spaces);
  const page = await readChanges(tx, {
    appId: request.appId,
    ...(request.tables === undefined ? {} : { tables: request.tables }),
    after: origin.after,
    ...(origin.notBeforeMs === undefined ? {} : { notBeforeMs: origin.notBeforeMs }),
    ...(request.clientId === undefined ? {} : { echo: { userId: scope.userId, clientId: request.clientId } }),
    reader: scope,
    limit: request.limit,
  });
  return {
    serverChanges: page.changes.map((stored) => stored.change),
    cursors: page.changes.map((stored) => encodeCursor(stored.position, spaces)),
    syncedUntil: encodeCursor(page.next, spaces),
    hasMore: page.hasMore,
    next: page.next,
  };
}
