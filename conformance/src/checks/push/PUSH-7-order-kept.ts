import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-7',
  slug: 'order-kept',
  description: 'alice pushes six changes (inserts and updates, ids in descending order); her phone pulls them back in array order',
  async run({ alice, uniqueId }) {
    const ids = Array.from({ length: 3 }, () => uniqueId('task')).reverse();
    const changes = [insertChange(ids[0]!, { n: 0 }), insertChange(ids[1]!, { n: 1 }), updateChange(ids[0]!, { n: 10 }), insertChange(ids[2]!, { n: 2 }), updateChange(ids[2]!, { n: 20 }), updateChange(ids[1]!, { n: 11 })];
    await alice.mustPush({ changes });
    const pulled = await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' });
    expectEqual(recordKeys(pulled.changes), recordKeys(changes), 'PUSH-7', 'order of the pulled changes');
    expectEqual(pulled.changes.map((change) => change.op), changes.map((change) => change.op), 'PUSH-7', 'operations in order');
  },
});
