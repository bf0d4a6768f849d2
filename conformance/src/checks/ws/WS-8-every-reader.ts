import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'WS-8',
  slug: 'every-reader-notified',
  description: 'alice and bob share a space; alice\'s phone and bob are connected to /ws; alice\'s laptop pushes into the space: both receive sync-available naming the app and tasks within LIVE_MAX_DELAY_SECONDS',
  async run({ alice, bob, appId, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const phone = await alice.mustConnect({ clientId: 'alice-phone' });
    const bobSocket = await bob.mustConnect();
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 }, { spaceId: space })] });
    await Promise.all([phone.mustBeNotified(appId, TABLE, 'WS-8'), bobSocket.mustBeNotified(appId, TABLE, 'WS-8')]);
  },
});
