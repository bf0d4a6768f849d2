import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-6',
  slug: 'complete-response-cursor',
  description: 'alice\'s laptop pulls everything (hasMore false); a pull from that cursor is empty; after her phone pushes one more change, it returns exactly that change',
  async run({ alice, uniqueId }) {
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 })] }, { clientId: 'alice-phone' });
    const first = await alice.mustPull({ collection: TABLE });
    expectEqual(first.hasMore, false, 'PULL-6', 'hasMore of a pull of two changes');
    const empty = await alice.mustPull({ collection: TABLE, since: first.syncedUntil });
    expectEqual(recordKeys(empty.serverChanges), [], 'PULL-6', 'changes after a complete response\'s cursor');
    const next = insertChange(uniqueId('task'), { n: 3 });
    await alice.mustPush({ changes: [next] }, { clientId: 'alice-phone' });
    const later = await alice.mustPull({ collection: TABLE, since: empty.syncedUntil });
    expectEqual(recordKeys(later.serverChanges), recordKeys([next]), 'PULL-6', 'changes after the cursor once a new change is readable');
  },
});
