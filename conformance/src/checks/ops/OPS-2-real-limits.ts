import {
  JWKS_REFRESH_COOLDOWN_SECONDS,
  MAX_BODY_BYTES,
  MAX_CHANGES_PER_PUSH,
  MAX_FUTURE_SKEW_SECONDS,
  MEMBERSHIP_MAX_STALENESS_SECONDS,
  PULL_PAGE_SIZE,
  SSE_HEARTBEAT_SECONDS,
  WS_AUTH_TIMEOUT_SECONDS,
} from '../../../../spec/generated/constants.js';
import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'OPS-2',
  slug: 'limits',
  description: 'GET /health: limits equal the spec\'s constants, and the periods lie within the spec\'s bounds',
  async run({ health }) {
    const { limits } = await health();
    expectEqual(
      [limits.maxBodyBytes, limits.maxChangesPerPush, limits.pullPageSize, limits.maxFutureSkewSeconds],
      [MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH, PULL_PAGE_SIZE, MAX_FUTURE_SKEW_SECONDS],
      'OPS-2',
      '[maxBodyBytes, maxChangesPerPush, pullPageSize, maxFutureSkewSeconds]',
    );
    const bounded = [
      ['sseHeartbeatSeconds', limits.sseHeartbeatSeconds, 1, SSE_HEARTBEAT_SECONDS],
      ['wsAuthTimeoutSeconds', limits.wsAuthTimeoutSeconds, 1, WS_AUTH_TIMEOUT_SECONDS],
      ['membershipCacheTtlSeconds', limits.membershipCacheTtlSeconds, 1, MEMBERSHIP_MAX_STALENESS_SECONDS],
      ['jwksRefreshCooldownSeconds', limits.jwksRefreshCooldownSeconds, 1, JWKS_REFRESH_COOLDOWN_SECONDS],
    ] as const;
    for (const [name, value, min, max] of bounded) expectTrue(value >= min && value <= max, 'OPS-2', `${name} from ${min} to ${max}`, () => `${name} ${value}`);
  },
});
