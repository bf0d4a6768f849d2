import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-11',
  slug: 'delta-since-cursor',
  description: 'alice\'s phone writes to tasks and notes; alice\'s laptop pushes one change from since "" and gets the phone\'s changes of both tables, not its own; then from the returned cursor, only newer ones',
  async run({ alice, uniqueId }) {
    const task = insertChange(uniqueId('task'), { n: 1 });
    const note = { ...insertChange(uniqueId('note'), { n: 2 }), table: 'notes' };
    await alice.mustPush({ changes: [task, note] }, { clientId: 'alice-phone' });
    const first = await alice.mustPush({ since: '', changes: [insertChange(uniqueId('task'), { n: 3 })] });
    expectEqual(recordKeys(first.serverChanges), recordKeys([task, note]), 'PUSH-11', 'delta of the first push');
    expectEqual(first.hasMore, false, 'PUSH-11', 'hasMore');
    const later = insertChange(uniqueId('task'), { n: 4 });
    await alice.mustPush({ changes: [later] }, { clientId: 'alice-phone' });
    const second = await alice.mustPush({ since: first.syncedUntil, changes: [] });
    expectEqual(recordKeys(second.serverChanges), recordKeys([later]), 'PUSH-11', 'delta from the first push\'s cursor');
  },
});
