import { expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-1',
  slug: 'push-endpoint',
  description: 'alice pushes one insert (200, push-response schema); a push to an invalid appId is 400; a body appId is ignored',
  async run({ alice, uniqueId }) {
    const id = uniqueId('task');
    const response = await alice.mustPush({ clientId: alice.clientId, changes: [insertChange(id, { title: 'milk' })], appId: 'some-other-app' });
    expectTrue(response.accepted === 1, 'PUSH-1', 'accepted: 1', () => `accepted: ${response.accepted}`);
    const mine = await alice.mustReadAll();
    expectTrue(recordKeys(mine).includes(`${TABLE}/${id}`), 'PUSH-1', 'the change stored under the app of the path', () => JSON.stringify(recordKeys(mine)));
    const other = await alice.mustPullAll({ collection: TABLE }, { clientId: null, appId: 'some-other-app' });
    expectTrue(!recordKeys(other.changes).includes(`${TABLE}/${id}`), 'PUSH-1', 'nothing stored under the body\'s appId', () => JSON.stringify(recordKeys(other.changes)));
    expectError(await alice.push({ changes: [] }, { appId: 'Not A Valid App!' }), 'REQUEST_INVALID_PARAMETER', 'PUSH-1');
  },
});
