import { MEMBERSHIP_MAX_STALENESS_SECONDS } from '../../../spec/generated/constants.js';
import type { HealthLimits } from '../../../spec/generated/types.js';

/**
 * How long a check waits for the target to apply a membership change made at the auth service: the
 * cache age the target reports, never more than the spec's bound (SPACE-7, SPACE-8, WS-14), plus a
 * quarter second. A target that reports a longer cache is held to the bound, not to its own report.
 */
export function membershipWaitMs(limits: HealthLimits | undefined): number {
  const ttl = Math.min(limits?.membershipCacheTtlSeconds ?? MEMBERSHIP_MAX_STALENESS_SECONDS, MEMBERSHIP_MAX_STALENESS_SECONDS);
  return ttl * 1000 + 250;
}

/** The failure bound of a check that waits out the membership cache once. */
export function membershipCheckSeconds(limits: HealthLimits | undefined): number {
  return Math.ceil(membershipWaitMs(limits) / 1000) + 10;
}
