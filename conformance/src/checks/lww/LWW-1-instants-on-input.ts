import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-1',
  slug: 'rfc3339-forms',
  description: 'alice pushes stamps as "…T10:00:00Z", "…T12:00:00+02:00", "…T10:00:00.123456789Z" and "…T04:30:00.5-05:30" (200, relayed as the same instants), then one without offset (400 REQUEST_INVALID_BODY)',
  async run({ alice, uniqueId }) {
    const forms = [
      ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T12:00:00+02:00', '2026-01-05T10:00:00.000Z'],
      ['2026-01-05T10:00:00.123456789Z', '2026-01-05T10:00:00.123Z'],
      ['2026-01-05T04:30:00.5-05:30', '2026-01-05T10:00:00.500Z'],
    ] as const;
    await alice.mustPush({ changes: forms.map(([at]) => updateChange(uniqueId('task'), { title: at }, at)) });
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.fields.title?.at), forms.map(([, canonical]) => canonical), 'LWW-1', 'relayed instants');
    expectError(await alice.push({ changes: [updateChange(uniqueId('task'), { title: 'local' }, '2026-01-05T10:00:00')] }), 'REQUEST_INVALID_BODY', 'LWW-1');
  },
});
