import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-20',
  slug: 'author-is-subject',
  description: 'alice pushes a change carrying userId and authorId of bob, in the body and in the change: the stored author is alice',
  async run({ alice, bob, uniqueId }) {
    await alice.mustPush({ userId: bob.userId, changes: [{ ...insertChange(uniqueId('task'), { authorId: bob.userId }), userId: bob.userId, authorId: bob.userId }] });
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.userId), [alice.userId], 'PUSH-20', 'author of the stored change');
  },
});
