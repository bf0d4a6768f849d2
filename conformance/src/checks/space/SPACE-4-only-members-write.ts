import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-4',
  slug: 'members-only-and-fresh-joins',
  description: 'alice pulls (so her memberships may be cached), writes into a space she is not in (403 SPACE_NOT_MEMBER), is granted it at the auth service, and writes again at once (200)',
  async run({ alice, auth, uniqueId, record }) {
    await alice.mustPull({ collection: TABLE });
    const space = `org-${uniqueId('space')}`;
    expectError(await alice.push({ changes: [insertChange(uniqueId('task'), { n: 1 }, { spaceId: space })] }), 'SPACE_NOT_MEMBER', 'SPACE-4');
    auth.grant(alice.userId, space);
    record.note(`auth service: alice granted membership of ${space}`);
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 2 }, { spaceId: space })] });
  },
});
