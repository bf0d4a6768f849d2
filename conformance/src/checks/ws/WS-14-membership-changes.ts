import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';
import { membershipCheckSeconds, membershipWaitMs } from '../../live/membership-wait.js';

export const check = defineCheck({
  requirement: 'WS-14',
  slug: 'membership-changes',
  description: 'bob and charlie are connected to /ws; at the auth service bob leaves alice\'s space and charlie joins it; after the target\'s membership cache, alice writes tasks in the space: charlie is notified; bob, notified of his own phone\'s lists after that, never of tasks',
  minimumSeconds: membershipCheckSeconds,
  async run({ alice, bob, charlie, appId, auth, uniqueId, sharedSpace, health, pause, record }) {
    const waitMs = membershipWaitMs((await health()).limits);
    const space = sharedSpace(alice, bob);
    const bobSocket = await bob.mustConnect();
    const charlieSocket = await charlie.mustConnect();
    auth.revoke(bob.userId, space);
    auth.grant(charlie.userId, space);
    record.note(`auth service: bob left ${space}, charlie joined it; waiting ${waitMs} ms for the target's membership cache`);
    // The spec gives the target this long to apply the change; waiting it out is the requirement.
    await pause(waitMs);
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 }, { spaceId: space })] });
    await charlieSocket.mustBeNotified(appId, TABLE, 'WS-14');
    await bob.mustPush({ changes: [insertChange(uniqueId('list'), { n: 1 }, { table: 'lists' })] }, { clientId: 'bob-phone' });
    await bobSocket.mustBeNotified(appId, 'lists', 'WS-8');
    await bobSocket.mustPong('WS-14');
    const tables = [...new Set(bobSocket.ofType('sync-available').flatMap((message) => message.tables))];
    expectEqual(tables, ['lists'], 'WS-14', 'the tables bob was notified of after leaving the space');
  },
});
