import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-6',
  slug: 'memberships-from-auth-service',
  description: 'alice writes into a space the auth service says she and bob share; bob reads it; the auth service saw their lookups, each with the right x-service-key',
  async run({ alice, bob, auth, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const change = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [change] });
    const read = await bob.mustPullAll({ collection: TABLE });
    expectTrue(recordKeys(read.changes).includes(recordKeys([change])[0]!), 'SPACE-6', 'bob reads a change of a space the auth service lists for him', () => JSON.stringify(recordKeys(read.changes)));
    const lookups = auth.membershipLookups.filter((lookup) => lookup.userId === alice.userId || lookup.userId === bob.userId);
    expectTrue(lookups.some((l) => l.userId === alice.userId) && lookups.some((l) => l.userId === bob.userId), 'SPACE-6', 'membership lookups for alice and bob at /api/v1/internal/users/{id}/memberships', () => JSON.stringify(lookups));
    expectTrue(lookups.every((lookup) => lookup.serviceKeyValid), 'SPACE-6', 'every lookup with x-service-key = MANA_SERVICE_KEY', () => JSON.stringify(lookups));
  },
});
