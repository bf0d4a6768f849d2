import { expectEqual, expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { duringMembershipOutage } from './membership-outage.js';

export const check = defineCheck({
  requirement: 'SPACE-10',
  slug: 'outage-fails-closed',
  description: 'the memberships endpoint answers 503 for users never looked up: alice\'s pull and shared-space push get 503 MEMBERSHIP_UNAVAILABLE; her personal push is stored with no server changes',
  exclusive: true,
  async run({ alice, auth, uniqueId, record }) {
    await duringMembershipOutage({ auth, record }, async () => {
      expectError(await alice.pull({ collection: TABLE }), 'MEMBERSHIP_UNAVAILABLE', 'SPACE-10');
      const shared = await alice.push({ changes: [insertChange(uniqueId('task'), { n: 1 }, { spaceId: `org-${uniqueId('space')}` })] });
      expectError(shared, 'MEMBERSHIP_UNAVAILABLE', 'SPACE-10');
      const personal = insertChange(uniqueId('task'), { n: 2 });
      const response = await alice.mustPush({ since: '', changes: [personal] }, { requirement: 'SPACE-10' });
      expectEqual(response.serverChanges.length, 0, 'SPACE-10', 'server changes of a personal push during an outage');
    });
    const stored = await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' });
    expectTrue(recordKeys(stored.changes).length === 1, 'SPACE-10', 'the personal push stored', () => JSON.stringify(recordKeys(stored.changes)));
  },
});
