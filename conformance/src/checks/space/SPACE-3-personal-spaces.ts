import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-3',
  slug: 'another-users-personal-space',
  description: 'alice pushes a valid insert followed by one into `_personal:<bob>`: 403 SPACE_PERSONAL_FORBIDDEN, and bob reads nothing',
  async run({ alice, bob, uniqueId }) {
    const exchange = await alice.push({ changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 }, { spaceId: bob.personalSpace })] });
    expectError(exchange, 'SPACE_PERSONAL_FORBIDDEN', 'SPACE-3');
    expectEqual((await bob.mustPullAll({ collection: TABLE })).changes.length, 0, 'SPACE-3', 'changes bob reads');
    expectEqual((await alice.mustReadAll()).length, 0, 'PUSH-6', 'changes stored by the refused push');
  },
});
