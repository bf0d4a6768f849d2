import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-8',
  slug: 'stamps-relayed-unchanged',
  description: 'alice pushes an update whose fields carry stamps (at, c 0, 7 and 2147483647), one of them an hour old: relayed with the same at and c',
  async run({ alice, uniqueId }) {
    const fields = {
      a: { value: 1, at: '2026-04-01T08:00:00.001Z', c: 0 },
      b: { value: 'two', at: '2026-04-01T08:00:00.001Z', c: 7 },
      d: { value: null, at: '2026-04-01T07:00:00.000Z', c: 2147483647 },
    };
    await alice.mustPush({ changes: [{ table: TABLE, id: uniqueId('task'), op: 'update', fields }] });
    const [relayed] = await alice.mustReadAll();
    expectEqual(relayed?.fields, fields, 'LWW-8', 'relayed fields');
  },
});
