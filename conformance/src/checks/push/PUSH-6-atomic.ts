import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, instantFromNow, updateChange } from '../../change-builders.js';
import { describeExchange } from '../../exchange.js';

export const check = defineCheck({
  requirement: 'PUSH-6',
  slug: 'last-change-refused-stores-nothing',
  description: 'alice pushes three inserts whose last is refused (a stamp two hours ahead; a space she is not in; a NUL in a value): each push stores nothing',
  async run({ alice, uniqueId }) {
    // Each last change breaks another requirement; a server that accepts it breaks that one, not PUSH-6.
    const lastChanges = [
      { breaks: 'LWW-12', change: updateChange(uniqueId('task'), { title: 'ahead' }, instantFromNow(2 * 3600_000)) },
      { breaks: 'SPACE-4', change: insertChange(uniqueId('task'), { title: 'foreign' }, { spaceId: `org-not-a-member-${uniqueId('s')}` }) },
      { breaks: 'PUSH-15', change: insertChange(uniqueId('task'), { title: 'nul\u0000inside' }) },
    ] as const;
    for (const last of lastChanges) {
      const exchange = await alice.push({ changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 }), last.change] });
      expectTrue(exchange.status >= 400, last.breaks, 'the push refused (4xx)', () => describeExchange(exchange));
    }
    const stored = await alice.mustReadAll();
    expectEqual(stored.length, 0, 'PUSH-6', 'changes stored by refused pushes');
  },
});
