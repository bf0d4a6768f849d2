import { expectError, expectStatus } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { fail } from '../../failure.js';

export const check = defineCheck({
  requirement: 'SPACE-9',
  slug: 'invalidate-memberships',
  description: 'bob reads alice\'s shared change; bob is revoked and the auth service POSTs /internal/memberships/<bob>/invalidate (204; 401 without the key); alice\'s next shared change does not reach bob',
  async run({ alice, bob, auth, uniqueId, sharedSpace, request, record }) {
    const space = sharedSpace(alice, bob);
    const before = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [before] });
    const seen = await bob.mustPullAll({ collection: TABLE });
    if (!recordKeys(seen.changes).includes(recordKeys([before])[0]!)) fail('SPACE-2', 'bob to read a change of his space', JSON.stringify(recordKeys(seen.changes)));
    const path = `/internal/memberships/${encodeURIComponent(bob.userId)}/invalidate`;
    expectError(await request('POST', path), 'AUTH_INVALID_TOKEN', 'SPACE-9');
    expectError(await request('POST', path, { headers: { 'x-service-key': `${auth.serviceKey}-wrong` } }), 'AUTH_INVALID_TOKEN', 'SPACE-9');
    auth.revoke(bob.userId, space);
    record.note(`auth service: bob's membership of ${space} revoked`);
    expectStatus(await request('POST', path, { headers: { 'x-service-key': auth.serviceKey } }), 204, 'SPACE-9');
    const after = insertChange(uniqueId('task'), { n: 2 }, { spaceId: space });
    await alice.mustPush({ changes: [after] });
    const later = await bob.mustPullAll({ collection: TABLE, since: seen.cursor });
    if (recordKeys(later.changes).length > 0) fail('SPACE-9', 'no change of the space after the invalidated revocation', JSON.stringify(recordKeys(later.changes)));
  },
});
