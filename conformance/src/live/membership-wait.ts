import type { HealthLimits } from '../../../spec/generated/types.js';
import { NotCheckable } from '../failure.js';

/** The longest membership cache a check waits out; beyond it the run would take too long. */
const MAX_WAIT_SECONDS = 5;

/**
 * How long a check waits for the target to apply a membership change at the auth service: its
 * reported cache, plus a quarter second. A target caching longer cannot be checked in a quick run.
 */
export function membershipWaitMs(limits: HealthLimits): number {
  const ttl = limits.membershipCacheTtlSeconds;
  if (ttl > MAX_WAIT_SECONDS) {
    throw new NotCheckable(`the target caches memberships for ${ttl} s; this check waits out at most ${MAX_WAIT_SECONDS} s (a target configured with a shorter cache, e.g. the reference server with MEMBERSHIP_CACHE_TTL_SECONDS=1, can be checked)`);
  }
  return ttl * 1000 + 250;
}
