import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-4',
  slug: 'unknown-op-index',
  description: 'alice pushes two valid inserts and a change with op "upsert" at index 2: 400 PUSH_INVALID_OP, details.index 2, nothing stored',
  async run({ alice, uniqueId }) {
    const changes = [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 }), { ...insertChange(uniqueId('task'), { n: 3 }), op: 'upsert' as 'insert' }];
    const exchange = await alice.push({ changes });
    expectError(exchange, 'PUSH_INVALID_OP', 'PUSH-4');
    expectEqual((exchange.json as { error: { details?: { index?: unknown } } }).error.details?.index, 2, 'PUSH-4', 'details.index');
    const stored = await alice.mustReadAll();
    expectEqual(stored.length, 0, 'PUSH-6', 'changes stored by a refused push');
  },
});
