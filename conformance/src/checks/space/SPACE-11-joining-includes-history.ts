import { MEMBERSHIP_MAX_STALENESS_SECONDS } from '../../../../spec/generated/constants.js';
import { ERROR_CODES } from '../../../../spec/generated/error-codes.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { errorCodeOf } from '../../assertions.js';
import { describeExchange } from '../../exchange.js';
import { fail } from '../../failure.js';

export const check = defineCheck({
  requirement: 'SPACE-11',
  slug: 'joining-includes-history',
  description: 'bob pulls (cursor C, no spaces); alice writes into her space; bob is granted it (and invalidated when the server supports SPACE-9): a pull from C returns alice\'s earlier change or 409 CURSOR_RESET, within membershipCacheTtlSeconds',
  // Without SPACE-9 the join shows only once the target's membership cache expires.
  minimumSeconds: (limits) => (limits?.membershipCacheTtlSeconds ?? MEMBERSHIP_MAX_STALENESS_SECONDS) + 5,
  async run({ alice, bob, auth, uniqueId, sharedSpace, health, request, pause, record }) {
    const ttl = (await health()).limits.membershipCacheTtlSeconds;
    const space = sharedSpace(alice);
    const { cursor } = await bob.mustPullAll({ collection: TABLE });
    const change = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [change] });
    auth.grant(bob.userId, space);
    record.note(`auth service: bob granted membership of ${space}`);
    await request('POST', `/internal/memberships/${encodeURIComponent(bob.userId)}/invalidate`, { headers: { 'x-service-key': auth.serviceKey } });
    const deadline = performance.now() + (ttl + 1) * 1000;
    for (;;) {
      const exchange = await bob.pull({ collection: TABLE, since: cursor });
      if (exchange.status === ERROR_CODES.CURSOR_RESET.status && errorCodeOf(exchange) === 'CURSOR_RESET') return;
      if (exchange.status !== 200) fail('PULL-1', 'bob\'s pull answered 200 or 409 CURSOR_RESET', describeExchange(exchange));
      const keys = recordKeys((exchange.json as { serverChanges: [] }).serverChanges);
      if (keys.includes(recordKeys([change])[0]!)) return;
      if (performance.now() > deadline) fail('SPACE-11', `within ${ttl} s of joining, alice's earlier change from bob's old cursor, or 409 CURSOR_RESET`, describeExchange(exchange));
      await pause(200);
    }
  },
});
