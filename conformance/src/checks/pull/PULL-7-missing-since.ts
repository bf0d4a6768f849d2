import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-7',
  slug: 'missing-or-empty-since',
  description: 'alice\'s phone pushes three changes; her laptop pulls without since and with since "": both return all three from the beginning',
  async run({ alice, uniqueId }) {
    const changes = Array.from({ length: 3 }, (_, n) => insertChange(uniqueId('task'), { n }));
    await alice.mustPush({ changes }, { clientId: 'alice-phone' });
    const missing = await alice.mustPullAll({ collection: TABLE });
    const empty = await alice.mustPullAll({ collection: TABLE, since: '' });
    expectEqual(recordKeys(missing.changes), recordKeys(changes), 'PULL-7', 'changes of a pull without since');
    expectEqual(recordKeys(empty.changes), recordKeys(changes), 'PULL-7', 'changes of a pull with since ""');
  },
});
