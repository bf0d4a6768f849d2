import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-9',
  slug: 'reused-push-id',
  description: 'alice pushes pushId p, then p again with another change: 409 PUSH_ID_CONFLICT, and the second change is not stored',
  async run({ alice, uniqueId }) {
    const pushId = uniqueId('push');
    await alice.mustPush({ pushId, changes: [insertChange(uniqueId('task'), { n: 1 })] });
    expectError(await alice.push({ pushId, changes: [insertChange(uniqueId('task'), { n: 2 })] }), 'PUSH_ID_CONFLICT', 'PUSH-9');
    const pulled = await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' });
    expectEqual(pulled.changes.length, 1, 'PUSH-9', 'changes stored after the conflicting push');
  },
});
