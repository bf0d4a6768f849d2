import { MAX_CHANGES_PER_PUSH } from '../../../../spec/generated/constants.js';
import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, instantFromNow, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'ERR-11',
  slug: 'order-of-checks',
  description: 'requests failing two checks at once get the first in ERR-11\'s order: 404 before 401, 405 before 401, 401 before 415, 415 before 400, 400 before 422, 413 before 422, 422 before 409, a replay before the space checks',
  async run({ alice, auth, request, appId, uniqueId, sharedSpace, record }) {
    expectError(await request('GET', `/sync/${appId}/nope`), 'ROUTE_NOT_FOUND', 'ERR-11');
    expectError(await request('DELETE', `/sync/${appId}/pull`), 'METHOD_NOT_ALLOWED', 'ERR-11');
    expectError(await alice.push({}, { token: null, rawBody: '{"changes":[]}', contentType: 'text/plain' }), 'AUTH_MISSING_TOKEN', 'ERR-11');
    expectError(await alice.push({}, { rawBody: '{"changes":', contentType: 'text/plain' }), 'UNSUPPORTED_MEDIA_TYPE', 'ERR-11');
    expectError(await alice.push({ schemaVersion: 99, changes: [{ table: 'tasks', id: 'a', op: 'insert' }] }), 'REQUEST_INVALID_BODY', 'ERR-11');
    const tooMany = Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, (_, i) => insertChange(`r${i}`, {}));
    expectError(await alice.push({ schemaVersion: 99, changes: tooMany }), 'PUSH_TOO_MANY_CHANGES', 'ERR-11');
    const pushId = uniqueId('push');
    await alice.mustPush({ pushId, changes: [insertChange(uniqueId('task'), { n: 1 })] });
    expectError(await alice.push({ pushId, changes: [updateChange(uniqueId('task'), { n: 2 }, instantFromNow(2 * 3600_000))] }), 'LWW_CLOCK_AHEAD', 'ERR-11');
    const space = sharedSpace(alice);
    const replay = { pushId: uniqueId('push'), changes: [insertChange(uniqueId('task'), { n: 3 }, { spaceId: space })] };
    await alice.mustPush(replay);
    auth.revoke(alice.userId, space);
    record.note(`auth service: alice's membership of ${space} revoked`);
    const again = await alice.mustPush(replay, { requirement: 'ERR-11' });
    expectEqual(again.replayed, true, 'ERR-11', 'a resent push recognised before the space checks');
  },
});
