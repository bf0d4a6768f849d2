import type { Change } from '../../../spec/generated/types.js';
import { recordKeyString, type RecordKey, type RecordSpaces } from '../store/record-spaces.js';

export const PERSONAL_PREFIX = '_personal:';

export const personalSpaceOf = (userId: string): string => `${PERSONAL_PREFIX}${userId}`;

export const isPersonalSpace = (spaceId: string): boolean => spaceId.startsWith(PERSONAL_PREFIX);

/**
 * The space a change names itself (SPACE-1, first three sources): its `spaceId`, an insert's
 * `data.spaceId`, an update's `fields.spaceId.value`. Record values that are not strings name no
 * space (the first clients send null for "none").
 */
export function namedSpaceOf(change: Change): { spaceId: string; path: Array<string | number> } | undefined {
  if (change.spaceId !== undefined) return { spaceId: change.spaceId, path: ['spaceId'] };
  if (change.op === 'insert' && typeof change.data?.spaceId === 'string') return { spaceId: change.data.spaceId, path: ['data', 'spaceId'] };
  const field = change.fields?.spaceId;
  if (change.op === 'update' && typeof field?.value === 'string') return { spaceId: field.value, path: ['fields', 'spaceId', 'value'] };
  return undefined;
}

/** The outcome of resolving and checking the spaces of a push, the first failure in the order of ERR-11. */
export type SpacePlan =
  | { kind: 'ok'; spaces: string[]; claims: Array<RecordKey & { spaceId: string; index: number }> }
  | { kind: 'personal-forbidden'; index: number }
  | { kind: 'not-member'; index: number }
  | { kind: 'membership-unknown'; index: number }
  | { kind: 'mismatch'; index: number };

/**
 * Resolves the space of every change (SPACE-1) and checks, in this order over the whole push: a
 * personal space of another user (SPACE-3), a shared space the author is not a member of (SPACE-4;
 * `memberSpaces` null when memberships are unavailable, SPACE-10), then a change that names another
 * space than its record's (SPACE-5). A record's space is that of its stored first change, or of its
 * first change in this push; records stored for the first time are returned as claims.
 */
export function planSpaces(
  changes: readonly Change[],
  stored: RecordSpaces,
  userId: string,
  memberSpaces: ReadonlySet<string> | null,
): SpacePlan {
  const personal = personalSpaceOf(userId);
  const claimed = new Map<string, RecordKey & { spaceId: string; index: number }>();
  const spaces: string[] = [];
  let firstMismatch: number | undefined;
  changes.forEach((change, index) => {
    const key = recordKeyString(change);
    const named = namedSpaceOf(change)?.spaceId;
    const existing = stored.get(key) ?? claimed.get(key)?.spaceId;
    const spaceId = named ?? existing ?? personal;
    spaces.push(spaceId);
    if (existing === undefined) claimed.set(key, { table: change.table, id: change.id, spaceId, index });
    else if (spaceId !== existing) firstMismatch ??= index;
  });
  for (const [index, spaceId] of spaces.entries()) {
    if (isPersonalSpace(spaceId)) {
      if (spaceId !== personal) return { kind: 'personal-forbidden', index };
    } else if (memberSpaces === null) {
      return { kind: 'membership-unknown', index };
    } else if (!memberSpaces.has(spaceId)) {
      return { kind: 'not-member', index };
    }
  }
  if (firstMismatch !== undefined) return { kind: 'mismatch', index: firstMismatch };
  return { kind: 'ok', spaces, claims: [...claimed.values()] };
}
