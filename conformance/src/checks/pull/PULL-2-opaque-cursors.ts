import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';
import { validatorFor } from '../../../../spec/src/schema-registry.js';

export const check = defineCheck({
  requirement: 'PULL-2',
  slug: 'cursors-match-schema',
  description: 'alice pushes and pulls page by page: every syncedUntil (push and pull) matches cursor.schema.json and is accepted back as since',
  async run({ alice, uniqueId }) {
    const cursor = validatorFor('cursor');
    const cursors = [(await alice.mustPush({ since: '', changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 })] })).syncedUntil];
    const { pages } = await alice.mustPullAll({ collection: TABLE, limit: 1 }, { clientId: 'alice-phone' });
    cursors.push(...pages.map((page) => page.syncedUntil));
    for (const value of cursors) {
      expectTrue(cursor(value), 'PULL-2', 'a cursor matching cursor.schema.json', () => JSON.stringify(value));
      await alice.mustPull({ collection: TABLE, since: value }, { requirement: 'PULL-2' });
    }
  },
});
