import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE, updateChange } from '../../change-builders.js';
import { validatorFor } from '../../../../spec/src/schema-registry.js';

export const check = defineCheck({
  requirement: 'LWW-2',
  slug: 'canonical-output',
  description: 'alice pushes stamps with offsets and 0 or 9 fraction digits, a delete with deletedAt in +01:00: every instant the server sends back (at, serverAt, deletedAt) is YYYY-MM-DDTHH:MM:SS.mmmZ',
  async run({ alice, uniqueId }) {
    const id = uniqueId('task');
    await alice.mustPush({
      changes: [
        insertChange(id, { title: 'a' }, { at: '2026-02-01T10:00:00+01:00' }),
        updateChange(id, { title: 'b' }, '2026-02-01T09:00:00.987654321Z'),
        { table: TABLE, id, op: 'delete', deletedAt: '2026-02-01T11:30:00+01:00' },
      ],
    });
    const canonical = validatorFor('canonical-instant');
    const pulled = await alice.mustReadAll();
    for (const change of pulled) {
      const instants = [change.serverAt, ...Object.values(change.fields).map((field) => field.at), ...(change.deletedAt ? [change.deletedAt] : [])];
      for (const instant of instants) expectTrue(canonical(instant), 'LWW-2', 'instants in the canonical form YYYY-MM-DDTHH:MM:SS.mmmZ', () => `${String(instant)} in ${change.op} ${change.id}`);
    }
  },
});
