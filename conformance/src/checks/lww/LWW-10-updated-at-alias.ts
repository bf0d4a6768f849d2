import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-10',
  slug: 'updated-at-alias',
  description: 'alice pushes a field stamped only with updatedAt and one with both at and updatedAt: relayed as `at` (the updatedAt, then the at), never as updatedAt',
  async run({ alice, uniqueId }) {
    await alice.mustPush({
      changes: [
        { table: TABLE, id: uniqueId('task'), op: 'update', fields: { f: { value: 1, updatedAt: '2026-06-01T10:00:00.000Z' } } },
        { table: TABLE, id: uniqueId('task'), op: 'update', fields: { f: { value: 2, at: '2026-06-02T10:00:00.000Z', updatedAt: '2026-06-03T10:00:00.000Z' } } },
      ],
    });
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.fields.f), [{ value: 1, at: '2026-06-01T10:00:00.000Z', c: 0 }, { value: 2, at: '2026-06-02T10:00:00.000Z', c: 0 }], 'LWW-10', 'relayed fields');
  },
});
