import type { ServerChange } from '../../../../spec/generated/types.js';
import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-3',
  slug: 'cursor-chain-exactly-once',
  description: 'alice\'s phone pushes in three rounds while her laptop follows the cursor chain with limit 2 between rounds: every change arrives exactly once, in push order',
  async run({ alice, uniqueId }) {
    const pushed: string[] = [];
    const received: ServerChange[] = [];
    let cursor = '';
    for (let round = 0; round < 3; round++) {
      const id = uniqueId('task');
      const changes = [insertChange(id, { round }), updateChange(id, { round: round + 10 }), insertChange(uniqueId('task'), { round })];
      await alice.mustPush({ changes }, { clientId: 'alice-phone' });
      pushed.push(...recordKeys(changes));
      const chain = await alice.mustPullAll({ collection: TABLE, since: cursor, limit: 2 });
      received.push(...chain.changes);
      cursor = chain.cursor;
    }
    expectEqual(recordKeys(received), pushed, 'PULL-3', 'changes received over the cursor chain');
    expectEqual(new Set(received.map((change) => change.eventId)).size, received.length, 'PULL-3', 'distinct eventIds received');
    const after = await alice.mustPullAll({ collection: TABLE, since: cursor });
    expectEqual(recordKeys(after.changes), [], 'PULL-3', 'changes after the last cursor');
  },
});
