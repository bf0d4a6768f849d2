import { personalSpaceOf } from '../spaces/space-resolution.js';
import type { CommittedPush } from './change-feed.js';

/**
 * The tables of a committed push in which `userId` may read a new change (SPACE-2: its author, its
 * personal space, or a space it is a member of), in first-written order; empty when none (WS-8, WS-11).
 */
export function readableTables(push: CommittedPush, userId: string, spaceIds: readonly string[]): string[] {
  const personal = personalSpaceOf(userId);
  const readable = push.writes.filter((write) => push.userId === userId || write.spaceId === personal || spaceIds.includes(write.spaceId));
  return [...new Set(readable.map((write) => write.table))];
}

/** Whether telling the user about the push needs its memberships: some write lies in a space it does not own. */
export function needsMemberships(push: CommittedPush, userId: string): boolean {
  return push.userId !== userId && push.writes.some((write) => write.spaceId !== personalSpaceOf(userId));
}
