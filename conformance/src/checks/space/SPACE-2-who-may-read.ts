import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-2',
  slug: 'members-read-outsiders-do-not',
  description: 'alice and bob share a space; alice writes one shared and one personal change: bob reads only the shared one (pull and push delta), charlie neither',
  async run({ alice, bob, charlie, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const shared = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    const personal = insertChange(uniqueId('task'), { n: 2 }, { spaceId: alice.personalSpace });
    await alice.mustPush({ changes: [shared, personal] });
    expectEqual(recordKeys((await bob.mustPullAll({ collection: TABLE })).changes), recordKeys([shared]), 'SPACE-2', 'what bob pulls');
    expectEqual(recordKeys((await bob.mustPush({ since: '', changes: [] })).serverChanges), recordKeys([shared]), 'SPACE-2', 'bob\'s push delta');
    expectEqual(recordKeys((await charlie.mustPullAll({ collection: TABLE })).changes), [], 'SPACE-2', 'what charlie pulls');
  },
});
