import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { membershipCheckSeconds, membershipWaitMs } from '../../live/membership-wait.js';

export const check = defineCheck({
  requirement: 'SPACE-8',
  slug: 'revocation-within-bound',
  description: 'bob reads alice\'s shared change; bob is revoked at the auth service (no invalidation); after the server\'s membershipCacheTtlSeconds, alice\'s next shared change reaches bob neither by pull nor by push delta',
  minimumSeconds: membershipCheckSeconds,
  async run({ alice, bob, auth, uniqueId, sharedSpace, health, pause, record }) {
    const waitMs = membershipWaitMs((await health()).limits);
    const space = sharedSpace(alice, bob);
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 }, { spaceId: space })] });
    const { cursor } = await bob.mustPullAll({ collection: TABLE });
    auth.revoke(bob.userId, space);
    record.note(`auth service: bob's membership of ${space} revoked; waiting ${waitMs} ms for the server's membership cache`);
    // The spec allows the server this long to notice; waiting it out is the requirement, not a guess.
    await pause(waitMs);
    const after = insertChange(uniqueId('task'), { n: 2 }, { spaceId: space });
    await alice.mustPush({ changes: [after] });
    const pulled = await bob.mustPullAll({ collection: TABLE, since: cursor });
    expectTrue(pulled.changes.length === 0, 'SPACE-8', 'no change of the revoked space in bob\'s pull', () => JSON.stringify(recordKeys(pulled.changes)));
    const delta = await bob.mustPush({ since: cursor, changes: [] });
    expectTrue(delta.serverChanges.length === 0, 'SPACE-8', 'no change of the revoked space in bob\'s push delta', () => JSON.stringify(recordKeys(delta.serverChanges)));
  },
});
