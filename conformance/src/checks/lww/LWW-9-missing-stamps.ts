import { parseInstant } from '../../../../spec/src/instant.js';
import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-9',
  slug: 'assigned-stamps',
  description: 'alice pushes writes without field stamps: change-level at and c, an insert\'s data.updatedAt, data.createdAt, and nothing (server clock, c 0): stamps follow LWW-9\'s order and stay fixed on re-read',
  async run({ alice, uniqueId }) {
    const before = Date.now();
    const changes = [
      { table: TABLE, id: uniqueId('task'), op: 'update' as const, at: '2026-05-01T10:00:00.000Z', c: 3, fields: { t: { value: 1 } } },
      insertChange(uniqueId('task'), { t: 2, updatedAt: '2026-05-02T10:00:00.000Z', createdAt: '2026-05-01T00:00:00.000Z' }),
      insertChange(uniqueId('task'), { t: 3, createdAt: '2026-05-03T10:00:00.000Z' }),
      insertChange(uniqueId('task'), { t: 4 }),
    ];
    await alice.mustPush({ changes });
    const first = await alice.mustReadAll();
    const stamps = first.map((change) => change.fields.t);
    expectEqual(
      stamps.slice(0, 3).map((stamp) => [stamp?.at, stamp?.c]),
      [['2026-05-01T10:00:00.000Z', 3], ['2026-05-02T10:00:00.000Z', 0], ['2026-05-03T10:00:00.000Z', 0]],
      'LWW-9',
      '[at, c] of the stamped writes',
    );
    const assigned = parseInstant(stamps[3]?.at ?? '');
    expectTrue(assigned !== null && assigned >= before - 1000 && assigned <= Date.now() + 1000 && stamps[3]?.c === 0, 'LWW-9', 'an unstamped write stamped with the server\'s clock at storage, c 0', () => JSON.stringify(stamps[3]));
    const again = await alice.mustReadAll();
    expectEqual(again.map((change) => change.fields.t), stamps, 'LWW-9', 'stamps on a second read');
  },
});
