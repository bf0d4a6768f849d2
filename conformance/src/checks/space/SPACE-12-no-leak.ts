import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-12',
  slug: 'nothing-reaches-outsiders',
  description: 'alice and bob share a space and write to it; charlie pulls, pushes from since "", writes alice\'s record id and another member\'s space: no answer contains their ids, values or space',
  async run({ alice, bob, charlie, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const id = uniqueId('task');
    await alice.mustPush({ changes: [insertChange(id, { title: 'family-secret' }, { spaceId: space })] });
    await bob.mustPush({ changes: [insertChange(uniqueId('task'), { title: 'bob-secret' }, { spaceId: space })] });
    const answers = [
      await charlie.pull({ collection: TABLE }),
      await charlie.pull({ collection: TABLE, limit: 1 }),
      await charlie.push({ since: '', changes: [] }),
      await charlie.push({ changes: [updateChange(id, { title: 'probe' })] }),
      await charlie.push({ changes: [updateChange(id, { title: 'probe' }, undefined, { spaceId: space })] }),
    ];
    for (const [index, answer] of answers.entries()) {
      // The last two answers may repeat the record id charlie himself sent; nothing else of the space.
      const secrets = ['family-secret', 'bob-secret', alice.userId, bob.userId, ...(index < 3 ? [id] : [])];
      const leaked = secrets.filter((secret) => answer.text.includes(secret));
      expectTrue(leaked.length === 0, 'SPACE-12', `${answer.method} ${answer.url} answered without the space's ids, values or members`, () => `${answer.status} ${answer.text.slice(0, 300)} (contains ${leaked.join(', ')})`);
    }
    const [all, page] = answers.map((answer) => answer.json as { serverChanges?: unknown[]; hasMore?: boolean });
    expectEqual(all?.serverChanges?.length ?? 0, 0, 'SPACE-12', 'changes charlie pulls');
    expectEqual(page?.hasMore ?? false, false, 'SPACE-12', 'hasMore of charlie\'s one-change page (a count of what he may not read)');
  },
});
