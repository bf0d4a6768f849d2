import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'LWW-11',
  slug: 'whole-stamp',
  description: 'alice inserts {title, done} and deletes the record: the insert carries both fields with stamps and data, the delete writes fields.deletedAt, both name alice and her client',
  async run({ alice, uniqueId }) {
    const id = uniqueId('task');
    await alice.mustPush({ changes: [insertChange(id, { title: 't', done: false }), { table: TABLE, id, op: 'delete', deletedAt: '2026-07-01T10:00:00.000Z' }] });
    const [inserted, deleted] = (await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' })).changes;
    expectEqual(Object.keys(inserted?.fields ?? {}).sort(), ['done', 'title'], 'LWW-11', 'fields of the insert');
    expectEqual(inserted?.data, { title: 't', done: false }, 'LWW-11', 'data of the insert');
    expectEqual(deleted?.fields.deletedAt?.value, '2026-07-01T10:00:00.000Z', 'LWW-11', 'fields.deletedAt of the delete');
    expectEqual([inserted?.userId, inserted?.clientId, deleted?.userId, deleted?.clientId], [alice.userId, alice.clientId, alice.userId, alice.clientId], 'LWW-11', 'writers');
  },
});
