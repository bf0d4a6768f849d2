import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-8',
  slug: 'resent-push-id',
  description: 'alice pushes two inserts with pushId p, then resends the same push: replayed true, accepted 2, and her phone pulls each change once',
  async run({ alice, uniqueId }) {
    const pushId = uniqueId('push');
    const changes = [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 })];
    const first = await alice.mustPush({ pushId, changes });
    expectEqual(first.replayed ?? false, false, 'PUSH-8', 'replayed on the first push');
    const again = await alice.mustPush({ pushId, changes });
    expectEqual({ replayed: again.replayed, accepted: again.accepted }, { replayed: true, accepted: 2 }, 'PUSH-8', 'the resent push');
    const pulled = await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' });
    expectEqual(pulled.changes.length, 2, 'PUSH-8', 'changes stored after a resend');
  },
});
