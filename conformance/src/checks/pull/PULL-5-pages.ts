import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-5',
  slug: 'pages-with-limit',
  description: 'alice\'s phone pushes five changes; her laptop pulls with limit 2: pages of 2, 2, 1 with hasMore true, true, false, together the five in order',
  async run({ alice, uniqueId }) {
    const changes = Array.from({ length: 5 }, (_, n) => insertChange(uniqueId('task'), { n }));
    await alice.mustPush({ changes }, { clientId: 'alice-phone' });
    const { pages } = await alice.mustPullAll({ collection: TABLE, limit: 2 });
    expectEqual(pages.map((page) => [page.serverChanges.length, page.hasMore]), [[2, true], [2, true], [1, false]], 'PULL-5', '[size, hasMore] of each page');
    expectEqual(recordKeys(pages.flatMap((page) => page.serverChanges)), recordKeys(changes), 'PULL-5', 'changes over the pages');
  },
});
