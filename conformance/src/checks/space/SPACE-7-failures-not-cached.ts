import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { duringMembershipOutage } from './membership-outage.js';

export const check = defineCheck({
  requirement: 'SPACE-7',
  slug: 'failed-lookup-not-cached',
  description: 'alice writes into a space shared with bob; the memberships endpoint fails while bob (never looked up) pulls (503); once it answers, bob\'s next pull returns the change: the failure was not cached as "no spaces"',
  exclusive: true,
  async run({ alice, bob, auth, uniqueId, sharedSpace, record }) {
    const space = sharedSpace(alice, bob);
    const change = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [change] });
    await duringMembershipOutage({ auth, record }, async () => expectError(await bob.pull({ collection: TABLE }), 'MEMBERSHIP_UNAVAILABLE', 'SPACE-10'));
    await bob.mustPullUntil({ collection: TABLE }, (changes) => recordKeys(changes).includes(recordKeys([change])[0]!), {
      requirement: 'SPACE-7',
      waitingFor: 'the space\'s change once the membership service answers again',
      withinMs: 2000,
    });
  },
});
