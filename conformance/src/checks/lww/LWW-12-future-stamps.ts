import { MAX_FUTURE_SKEW_SECONDS } from '../../../../spec/generated/constants.js';
import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { instantFromNow, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-12',
  slug: 'future-stamps-refused',
  description: 'alice pushes a stamp MAX_FUTURE_SKEW_SECONDS + 5 min ahead (422 LWW_CLOCK_AHEAD, nothing stored) and one 5 min ahead (accepted)',
  async run({ alice, uniqueId }) {
    expectError(await alice.push({ changes: [updateChange(uniqueId('task'), { n: 1 }, instantFromNow((MAX_FUTURE_SKEW_SECONDS + 300) * 1000))] }), 'LWW_CLOCK_AHEAD', 'LWW-12');
    expectEqual((await alice.mustReadAll()).length, 0, 'LWW-12', 'changes stored by the refused push');
    await alice.mustPush({ changes: [updateChange(uniqueId('task'), { n: 2 }, instantFromNow(300_000))] });
  },
});
