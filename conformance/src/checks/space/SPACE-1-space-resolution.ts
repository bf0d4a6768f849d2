import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-1',
  slug: 'space-resolution',
  description: 'alice writes into a shared space via spaceId, via data.spaceId, via fields.spaceId, by updating a shared record without a space, and with no space at all: relayed spaceIds follow SPACE-1\'s order',
  async run({ alice, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice);
    const shared = uniqueId('task');
    const changes = [
      insertChange(shared, { n: 1 }, { spaceId: space }),
      insertChange(uniqueId('task'), { n: 2, spaceId: space }),
      updateChange(uniqueId('task'), { spaceId: space, n: 3 }),
      updateChange(shared, { n: 4 }),
      insertChange(uniqueId('task'), { n: 5 }),
    ];
    await alice.mustPush({ changes });
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.spaceId), [space, space, space, space, alice.personalSpace], 'SPACE-1', 'spaceId of each relayed change');
  },
});
