import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'WS-11',
  slug: 'no-leak',
  description: 'charlie (the outsider) is connected to /ws; alice writes to the table secrets of another app, in her personal space and in a space shared with bob only; once bob is notified, charlie\'s own phone pushes: charlie is notified of his own app and table only',
  async run({ alice, bob, charlie, appId, uniqueId, sharedSpace }) {
    const hiddenApp = `${appId}-hidden`;
    const space = sharedSpace(alice, bob);
    const charlieSocket = await charlie.mustConnect();
    const bobSocket = await bob.mustConnect();
    const secret = (spaceId?: string) => insertChange(uniqueId('secret'), { n: 1 }, { table: 'secrets', ...(spaceId ? { spaceId } : {}) });
    await alice.mustPush({ changes: [secret(), secret(space)] }, { appId: hiddenApp });
    await bobSocket.mustBeNotified(hiddenApp, 'secrets', 'WS-8');
    await charlie.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 })] }, { clientId: 'charlie-phone' });
    await charlieSocket.mustBeNotified(appId, TABLE, 'WS-8');
    await charlieSocket.mustPong('WS-11');
    const seen = charlieSocket.ofType('sync-available').map((message) => `${message.appId}:${[...message.tables].sort().join(',')}`);
    expectEqual([...new Set(seen)], [`${appId}:${TABLE}`], 'WS-11', 'the apps and tables charlie was notified of');
  },
});
