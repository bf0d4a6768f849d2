import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'WS-9',
  slug: 'unified-and-legacy',
  description: 'alice\'s phone connects to /ws, /ws/{app} and /ws/{other app}; her laptop pushes to the app, then to the other app: /ws is notified of both, each legacy socket of its own app only',
  async run({ alice, appId, uniqueId }) {
    const otherApp = `${appId}-other`;
    const phone = { clientId: 'alice-phone' };
    const unified = await alice.mustConnect(phone);
    const legacy = await alice.mustConnect({ ...phone, path: `/ws/${appId}` });
    const legacyOther = await alice.mustConnect({ ...phone, path: `/ws/${otherApp}` });
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 })] });
    await Promise.all([unified.mustBeNotified(appId, TABLE, 'WS-9'), legacy.mustBeNotified(appId, TABLE, 'WS-9')]);
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 2 })] }, { appId: otherApp });
    await Promise.all([unified.mustBeNotified(otherApp, TABLE, 'WS-9'), legacyOther.mustBeNotified(otherApp, TABLE, 'WS-9')]);
    // A pong follows every notification sent before it on the same socket.
    await Promise.all([legacy.mustPong('WS-9'), legacyOther.mustPong('WS-9')]);
    const appsOf = (socket: typeof legacy) => [...new Set(socket.ofType('sync-available').map((message) => message.appId))];
    expectEqual(appsOf(legacy), [appId], 'WS-9', `the apps notified on /ws/${appId}`);
    expectEqual(appsOf(legacyOther), [otherApp], 'WS-9', `the apps notified on /ws/${otherApp}`);
  },
});
