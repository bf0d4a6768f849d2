import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'AUTH-13',
  slug: 'subject-only-identity',
  description: 'bob writes a personal change; alice pulls and pushes naming bob in X-User-Id, ?userId= and the body: she reads nothing of bob\'s, and her write is hers',
  async run({ alice, bob, uniqueId }) {
    await bob.mustPush({ changes: [insertChange(uniqueId('task'), { title: 'bob-only' })] });
    const asBob = { 'x-user-id': bob.userId, 'x-forwarded-user': bob.userId };
    const pulled = await alice.mustPullAll({ collection: TABLE, userId: bob.userId }, { headers: asBob });
    expectEqual(recordKeys(pulled.changes), [], 'AUTH-13', 'changes alice reads while naming bob');
    const delta = await alice.mustPush({ since: '', userId: bob.userId, changes: [insertChange(uniqueId('task'), { n: 1 })] }, { headers: asBob });
    expectEqual(recordKeys(delta.serverChanges), [], 'AUTH-13', 'alice\'s push delta while naming bob');
    const bobs = await bob.mustReadAll();
    expectEqual(bobs.map((change) => change.userId), [bob.userId], 'AUTH-13', 'authors of what bob reads');
  },
});
