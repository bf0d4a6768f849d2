import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-12',
  slug: 'echo-per-writer',
  description: 'alice (laptop) and bob (also client id "alice-laptop") share a space; alice writes: her laptop does not get it back (header or ?clientId=), her phone and bob do',
  async run({ alice, bob, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const change = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [change] });
    const keys = recordKeys([change]);
    expectEqual(recordKeys((await alice.mustPullAll({ collection: TABLE })).changes), [], 'PULL-12', 'changes echoed to the writing client (X-Client-Id)');
    expectEqual(recordKeys((await alice.mustPullAll({ collection: TABLE, clientId: alice.clientId }, { clientId: null })).changes), [], 'PULL-12', 'changes echoed to the writing client (?clientId=)');
    expectEqual(recordKeys((await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' })).changes), keys, 'PULL-12', 'changes of the same user\'s other client');
    expectEqual(recordKeys((await bob.mustPullAll({ collection: TABLE }, { clientId: alice.clientId })).changes), keys, 'PULL-12', 'changes of another user with the same client id string');
  },
});
