import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-13',
  slug: 'no-client-id-no-suppression',
  description: 'alice\'s laptop pushes a change, then pulls with neither X-Client-Id nor ?clientId=: her own change is returned',
  async run({ alice, uniqueId }) {
    const change = insertChange(uniqueId('task'), { n: 1 });
    await alice.mustPush({ changes: [change] });
    expectEqual(recordKeys(await alice.mustReadAll()), recordKeys([change]), 'PULL-13', 'changes of a pull naming no client');
  },
});
