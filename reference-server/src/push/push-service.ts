import { PUSH_DELTA_LIMIT } from '../../../spec/generated/constants.js';
import type { PushResponse } from '../../../spec/generated/types.js';
import type { Database, DatabaseLayout } from '../db/database.js';
import { runAsUser, type ScopedTransaction, type UserScope } from '../db/user-scope.js';
import { SyncError } from '../errors.js';
import type { ChangeFeed, CommittedPush } from '../live/change-feed.js';
import type { MembershipCache } from '../spaces/membership-cache.js';
import { planSpaces } from '../spaces/space-resolution.js';
import { appendChanges } from '../store/change-log.js';
import { encodeCursor, LOG_START, spaceFingerprint } from '../store/cursor.js';
import { claimPushId, isUniqueViolation, pushContentHash } from '../store/push-ids.js';
import { waitUntilReadable } from '../store/read-horizon.js';
import { claimRecordSpaces, lookUpRecordSpaces, recordKeyString } from '../store/record-spaces.js';
import { readDelta } from '../sync/delta.js';
import type { ValidatedPush } from './changeset-validation.js';
import { newChangeOf } from './new-change.js';

export interface PushServiceDeps {
  readonly db: Database;
  readonly layout: DatabaseLayout;
  readonly memberships: MembershipCache;
  readonly feed: ChangeFeed;
  /** Told of every stored (not replayed) push, for metrics. */
  readonly onStored?: (changeCount: number) => void;
}

export interface PushCommand {
  /** The verified subject (PUSH-20, AUTH-13). */
  readonly userId: string;
  readonly push: ValidatedPush;
}

/** The author's memberships looked stale: the push runs again with a fresh answer (SPACE-4). */
class FreshMembershipsNeeded extends Error {}

interface TransactionOutcome {
  readonly response: PushResponse;
  /** Whether the push stored its changes (false for a replay). */
  readonly stored: boolean;
  /** What the live transports hear of; undefined when nothing was written. */
  readonly committed: CommittedPush | undefined;
  /** The transaction that stored the changes, when it stored any. */
  readonly txid: string | undefined;
}

/**
 * Stores a validated push in one transaction (PUSH-6) with the checks of ERR-11 that need the
 * database: the push id (PUSH-8, PUSH-9), then the spaces (SPACE-1 to SPACE-5); returns the response
 * with the delta since the push's `since` (PUSH-11). The push is answered, and the change feed hears
 * of it, only once its changes are below the read horizon (PUSH-17, PUSH-18). A push runs again, at most once each, when the author's memberships must be asked afresh
 * before refusing a write (SPACE-4), and when a concurrent push with the same push id committed first.
 */
export async function executePush(deps: PushServiceDeps, command: PushCommand): Promise<PushResponse> {
  let fresh = false;
  let pushIdRaced = false;
  for (;;) {
    const spaceIds = await membershipsOrOutage(deps.memberships, command.userId, fresh);
    try {
      const outcome = await runAsUser(deps.db, deps.layout, { userId: command.userId, spaceIds: spaceIds ?? [] }, (tx) =>
        pushInTransaction(tx, command, spaceIds, fresh),
      );
      if (outcome.txid !== undefined) await waitUntilReadable(deps.db, outcome.txid);
      if (outcome.stored) deps.onStored?.(command.push.changes.length);
      if (outcome.committed !== undefined) deps.feed.publish(outcome.committed);
      return outcome.response;
    } catch (error) {
      if (error instanceof FreshMembershipsNeeded && !fresh) {
        fresh = true;
      } else if (isUniqueViolation(error) && command.push.pushId !== undefined && !pushIdRaced) {
        pushIdRaced = true;
      } else {
        throw error;
      }
    }
  }
}

/** The user's shared spaces, or null while the membership service is out and nothing fresh is cached (SPACE-10). */
async function membershipsOrOutage(memberships: MembershipCache, userId: string, fresh: boolean): Promise<readonly string[] | null> {
  try {
    return await memberships.spacesOf(userId, { fresh });
  } catch (error) {
    if (error instanceof SyncError && error.code === 'MEMBERSHIP_UNAVAILABLE') return null;
    throw error;
  }
}

async function pushInTransaction(
  tx: ScopedTransaction,
  { userId, push }: PushCommand,
  spaceIds: readonly string[] | null,
  membershipsFresh: boolean,
): Promise<TransactionOutcome> {
  const { appId } = push;
  const scope: UserScope = { userId, spaceIds: spaceIds ?? [] };
  const respond = async (accepted: number, replayed: boolean): Promise<PushResponse> => {
    const base = { conflicts: [] as [], accepted, ...(replayed ? { replayed: true } : {}) };
    if (spaceIds === null) {
      // SPACE-10: nothing was evaluated, so the client reads again from where it stood.
      return { ...base, serverChanges: [], hasMore: false, syncedUntil: push.sinceText || encodeCursor(LOG_START, spaceFingerprint([])) };
    }
    const delta = await readDelta(tx, scope, { appId, start: push.since, clientId: push.clientId, limit: PUSH_DELTA_LIMIT });
    return { ...base, serverChanges: delta.serverChanges, syncedUntil: delta.syncedUntil, hasMore: delta.hasMore };
  };

  if (push.pushId !== undefined) {
    const hash = pushContentHash({ appId, changes: push.changes, schemaVersion: push.schemaVersion });
    const state = await claimPushId(tx, { userId, clientId: push.clientId, pushId: push.pushId }, hash, push.changes.length);
    if (state.kind === 'conflict') {
      throw new SyncError('PUSH_ID_CONFLICT', 'this pushId was already used by this client with other changes');
    }
    if (state.kind === 'replay') return { response: await respond(state.accepted, true), stored: false, committed: undefined, txid: undefined };
  }

  const keys = [...new Map(push.changes.map((change) => [recordKeyString(change), { table: change.table, id: change.id }])).values()];
  const stored = await lookUpRecordSpaces(tx, appId, keys);
  const plan = planSpaces(push.changes, stored, userId, spaceIds === null ? null : new Set(spaceIds));
  switch (plan.kind) {
    case 'personal-forbidden':
      throw new SyncError('SPACE_PERSONAL_FORBIDDEN', `change ${plan.index} writes into another user's personal space`, { details: { index: plan.index } });
    case 'not-member':
      if (!membershipsFresh) throw new FreshMembershipsNeeded();
      throw new SyncError('SPACE_NOT_MEMBER', `change ${plan.index} writes into a space you are not a member of`, { details: { index: plan.index } });
    case 'membership-unknown':
      throw new SyncError('MEMBERSHIP_UNAVAILABLE', `change ${plan.index} writes into a shared space and the membership service cannot be reached; retry later`, {
        details: { index: plan.index },
      });
    case 'mismatch':
      throw spaceMismatch(plan.index);
    case 'ok':
      break;
  }
  const claimed = await claimRecordSpaces(tx, appId, plan.claims);
  // A concurrent push that stored the same new record first fixed its space (SPACE-5).
  const lost = plan.claims.find((claim) => claimed.get(recordKeyString(claim)) !== claim.spaceId);
  if (lost !== undefined) throw spaceMismatch(lost.index);

  const changes = push.changes.map((change, index) => newChangeOf(change, push.writes[index]!, plan.spaces[index]!, tx.nowMs));
  const txid = await appendChanges(tx, { appId, userId, clientId: push.clientId, schemaVersion: push.schemaVersion, pushId: push.pushId }, changes);
  const writes = [...new Map(changes.map((change) => [JSON.stringify([change.table, change.spaceId]), { table: change.table, spaceId: change.spaceId }])).values()];
  return {
    response: await respond(changes.length, false),
    stored: true,
    committed: changes.length === 0 ? undefined : { appId, userId, clientId: push.clientId, writes },
    txid,
  };
}

/** SPACE-5: the message names neither the record's space nor anything of its data. */
function spaceMismatch(index: number): SyncError {
  return new SyncError('SPACE_MISMATCH', `change ${index} names another space than the record already belongs to`, { details: { index } });
}
