import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-15',
  slug: 'nul-refused',
  description: 'alice pushes U+0000 in a nested value, in a member name, in `origin` and in `actor`: each 422 PUSH_UNSTORABLE_VALUE',
  async run({ alice, uniqueId }) {
    const variants = [
      insertChange(uniqueId('task'), { nested: { deep: ['ok', 'no\u0000'] } }),
      insertChange(uniqueId('task'), { meta: { 'key\u0000': 1 } }),
      insertChange(uniqueId('task'), { n: 1 }, { origin: 'user\u0000' }),
      insertChange(uniqueId('task'), { n: 1 }, { actor: { name: 'a\u0000' } }),
    ];
    for (const change of variants) expectError(await alice.push({ changes: [change] }), 'PUSH_UNSTORABLE_VALUE', 'PUSH-15');
  },
});
