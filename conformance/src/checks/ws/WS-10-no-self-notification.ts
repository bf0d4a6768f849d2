import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'WS-10',
  slug: 'no-self-notification',
  description: 'alice connects her laptop and her phone (with client ids) and a socket without client id; the laptop pushes a: the phone and the anonymous socket are notified; the phone pushes b: the laptop is notified once, of b only',
  async run({ alice, appId, uniqueId }) {
    const laptop = await alice.mustConnect();
    const phone = await alice.mustConnect({ clientId: 'alice-phone' });
    const anonymous = await alice.mustConnect({ clientId: null });
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 })] });
    await Promise.all([phone.mustBeNotified(appId, TABLE, 'WS-10'), anonymous.mustBeNotified(appId, TABLE, 'WS-10')]);
    // The laptop's pong comes after any notification the server sent it for its own push.
    await laptop.mustPong('WS-10');
    expectEqual(laptop.ofType('sync-available').length, 0, 'WS-10', 'notifications of the laptop for its own push');
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 2 })] }, { clientId: 'alice-phone' });
    await laptop.mustBeNotified(appId, TABLE, 'WS-10');
    await laptop.mustPong('WS-10');
    expectEqual(laptop.ofType('sync-available').length, 1, 'WS-10', 'notifications of the laptop after the phone\'s push');
  },
});
