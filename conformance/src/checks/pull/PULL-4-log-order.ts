import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-4',
  slug: 'log-order-no-repeats',
  description: 'alice\'s phone and tablet push alternately, three times each, writing the same record: one pull returns all six in push order, no eventId twice',
  async run({ alice, uniqueId }) {
    const id = uniqueId('task');
    const sent = [];
    for (let round = 0; round < 6; round++) {
      const change = round === 0 ? insertChange(id, { round }) : updateChange(id, { round });
      await alice.mustPush({ changes: [change] }, { clientId: round % 2 === 0 ? 'alice-phone' : 'alice-tablet' });
      sent.push(change);
    }
    const page = await alice.mustPull({ collection: TABLE });
    expectEqual(page.serverChanges.map((change) => change.fields.round?.value), [0, 1, 2, 3, 4, 5], 'PULL-4', 'rounds in the order pushed');
    expectEqual(recordKeys(page.serverChanges), recordKeys(sent), 'PULL-4', 'records in the order pushed');
    expectEqual(new Set(page.serverChanges.map((change) => change.eventId)).size, 6, 'PULL-4', 'distinct eventIds in one response');
  },
});
