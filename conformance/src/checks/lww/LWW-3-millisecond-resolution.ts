import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-3',
  slug: 'floored-to-millisecond',
  description: 'alice pushes stamps …:00.999999999Z and …:00.0009Z: relayed floored (…:00.999Z, …:00.000Z), never rounded',
  async run({ alice, uniqueId }) {
    await alice.mustPush({ changes: [updateChange(uniqueId('task'), { n: 1 }, '2026-03-01T10:00:00.999999999Z'), updateChange(uniqueId('task'), { n: 2 }, '2026-03-01T10:00:00.0009Z')] });
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.fields.n?.at), ['2026-03-01T10:00:00.999Z', '2026-03-01T10:00:00.000Z'], 'LWW-3', 'relayed instants');
  },
});
