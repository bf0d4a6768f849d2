import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-12',
  slug: 'empty-push',
  description: 'alice\'s phone writes one change; her laptop pushes `changes: []`: 200, accepted 0, the phone\'s change in the delta, nothing new stored',
  async run({ alice, uniqueId }) {
    const change = insertChange(uniqueId('task'), { n: 1 });
    await alice.mustPush({ changes: [change] }, { clientId: 'alice-phone' });
    const response = await alice.mustPush({ since: '', changes: [] });
    expectEqual(response.accepted, 0, 'PUSH-12', 'accepted');
    expectEqual(recordKeys(response.serverChanges), recordKeys([change]), 'PUSH-12', 'delta of an empty push');
    const stored = await alice.mustReadAll();
    expectEqual(stored.length, 1, 'PUSH-12', 'changes stored');
  },
});
