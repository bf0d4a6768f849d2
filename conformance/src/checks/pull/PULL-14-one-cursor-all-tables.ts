import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-14',
  slug: 'one-cursor-all-tables',
  description: 'alice\'s laptop takes the cursor of a push response, her phone then writes to tasks and notes; pulls of each table from that one cursor return that table\'s new change',
  async run({ alice, uniqueId }) {
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 0 })] }, { clientId: 'alice-phone' });
    const { syncedUntil } = await alice.mustPush({ since: '', changes: [] });
    const task = insertChange(uniqueId('task'), { n: 1 });
    const note = { ...insertChange(uniqueId('note'), { n: 2 }), table: 'notes' };
    await alice.mustPush({ changes: [note, task] }, { clientId: 'alice-phone' });
    expectEqual(recordKeys((await alice.mustPullAll({ collection: 'notes', since: syncedUntil })).changes), recordKeys([note]), 'PULL-14', 'notes after the push cursor');
    expectEqual(recordKeys((await alice.mustPullAll({ collection: 'tasks', since: syncedUntil })).changes), recordKeys([task]), 'PULL-14', 'tasks after the push cursor');
  },
});
