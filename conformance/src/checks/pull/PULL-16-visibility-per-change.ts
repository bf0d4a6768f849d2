import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-16',
  slug: 'has-more-over-visible-only',
  description: 'alice writes one change, charlie three in his personal space of the same app; alice pulls with limit 1: her change and hasMore false',
  async run({ alice, charlie, uniqueId }) {
    const mine = insertChange(uniqueId('task'), { n: 1 });
    await alice.mustPush({ changes: [mine] });
    await charlie.mustPush({ changes: Array.from({ length: 3 }, (_, n) => insertChange(uniqueId('task'), { n })) });
    const page = await alice.mustPull({ collection: TABLE, limit: 1 }, { clientId: null });
    expectEqual(recordKeys(page.serverChanges), recordKeys([mine]), 'PULL-16', 'changes alice reads');
    expectEqual(page.hasMore, false, 'PULL-16', 'hasMore with only invisible changes beyond the page');
  },
});
