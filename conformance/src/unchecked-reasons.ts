import type { RequirementId } from '../../spec/src/requirement-index.js';

/**
 * Server requirements a black box cannot drive through HTTP alone, and why: reports give this
 * reason instead of "no check yet", so nobody reads a missing check as a forgotten one.
 */
export const UNCHECKED_REASONS: Partial<Record<RequirementId, string>> = {
  'PUSH-17': 'durability across a crash needs the target restarted mid-run',
  'PULL-10': 'a conforming server resets cursors only in states a client cannot bring about (log compaction); SPACE-11 accepts a reset where one may happen',
  'SPACE-14': 'row-level security is inside the database, not visible on the wire',
  'AUTH-7': 'needs the target started with JWT_ISSUER and JWT_AUDIENCE, which the suite does not configure',
  'AUTH-14': 'the target\'s logs are not visible to the suite',
  'ERR-9': 'the rate a server limits at is its own choice; no request count provokes a 429 on every server',
  'OPS-4': 'a MAY: restricting /metrics is allowed, not required',
  'OPS-7': 'needs the target sent SIGTERM mid-run',
  'OPS-8': 'needs the target\'s database taken away mid-run',
  'OPS-9': 'configuration names are read when the target starts, before the suite sees it',
  'OPS-11': 'bounding one connection\'s cost needs load beyond a conformance run',
};

/** Why a requirement without any check is NOT CHECKED. */
export function uncheckedReason(id: RequirementId): string {
  return UNCHECKED_REASONS[id] ?? 'no check yet';
}
