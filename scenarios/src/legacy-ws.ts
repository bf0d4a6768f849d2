import { LIVE_DELIVERY_MS } from '../../conformance/src/live/live-bounds.js';
import { CONNECT_WITHIN_MS, type Device } from './user-device.js';
import { defineScenario, observed, show } from './scenario.js';

function notificationsOf(device: Device): { appId: string; tables: string[] }[] {
  return device.socket!.notifications().map(({ appId, tables }) => ({ appId, tables }));
}

export const legacyWs = defineScenario({
  name: 'legacy-ws',
  summary: 'alice\'s tablet listens on the unified /ws, her old phone on the legacy /ws/{appId} and authenticates like the first web client; each hears what it should, and bob hears nothing of alice\'s personal writes',
  requirements: ['WS-9', 'WS-10', 'WS-8', 'WS-11'],
  needs: [],
  async run({ setting, step, device, note }) {
    const { alice, bob } = setting;
    const appId = setting.freshAppId('legacy-ws');
    const otherAppId = setting.freshAppId('legacy-ws-other');
    note(`apps ${appId} and ${otherAppId}; alice = ${alice.userId}, bob = ${bob.userId}`);
    const aliceLaptop = await device(alice, 'laptop', { appId });
    const aliceLaptopOtherApp = await device(alice, 'laptop', { appId: otherAppId });
    const aliceTablet = await device(alice, 'tablet', { appId, live: 'ws' });
    const aliceOldPhone = await device(alice, 'old-phone', { appId, live: 'ws', socket: { legacyAppId: appId, withoutClientId: true } });
    const bobTablet = await device(bob, 'tablet', { appId, live: 'ws' });
    const bobPhone = await device(bob, 'phone', { appId });
    const sockets = [aliceTablet, aliceOldPhone, bobTablet];

    await step(
      {
        title: `alice's tablet connects to /ws, her old phone to /ws/${appId} (no clientId, as the first web client), bob's tablet to /ws`,
        expected: 'all three answer auth-ok',
        requirements: ['WS-1', 'WS-2'],
        hint: 'both endpoints accept the upgrade without HTTP authentication and authenticate in-band (WS-1, WS-2); a 404 on /ws/{appId} means the legacy endpoint is missing',
      },
      async () => {
        for (const each of sockets) each.sync.start();
        const answered = await Promise.all(sockets.map((each) => each.arrivals.eventually(() => (each.socket!.authenticated ? true : undefined), CONNECT_WITHIN_MS)));
        return observed(
          answered.every((ok) => ok === true),
          sockets.map((each, index) => `${each.label} on ${show(each.socket!.paths)}: ${answered[index] ? 'auth-ok' : `no auth-ok within ${CONNECT_WITHIN_MS} ms, received ${show(each.socket!.messages)}`}`).join('; '),
        );
      },
    );

    let firstId = '';
    await step(
      {
        title: `alice's laptop writes a personal task in ${appId} and syncs: the tablet and the old phone are notified and pull it`,
        expected: `both get {"type":"sync-available","appId":"${appId}","tables":["tasks"]} and hold the task`,
        requirements: ['WS-8', 'WS-9', 'WS-15'],
        hint: 'a push notifies every other connection of its user (WS-8), unified ones and legacy ones of the same app (WS-9)',
      },
      async () => {
        firstId = (await aliceLaptop.sync.insert('tasks', { title: 'water the plants' })).id;
        await aliceLaptop.sync.sync();
        const held = await Promise.all([aliceTablet, aliceOldPhone].map((each) => each.whenHolding('tasks', firstId, LIVE_DELIVERY_MS)));
        const notified = [aliceTablet, aliceOldPhone].map((each) => notificationsOf(each).some((message) => message.appId === appId && message.tables.includes('tasks')));
        return observed(
          held.every((record) => record !== undefined) && notified.every(Boolean),
          [aliceTablet, aliceOldPhone].map((each, index) => `${each.label}: notified ${show(notificationsOf(each))}, ${held[index] ? 'holds' : 'lacks'} the task`).join('; '),
        );
      },
    );

    await step(
      {
        title: `alice's laptop writes in another app, ${otherAppId}: the unified tablet is notified of it`,
        expected: `{"type":"sync-available","appId":"${otherAppId}","tables":["tasks"]} on /ws`,
        requirements: ['WS-9'],
        hint: 'the unified endpoint carries every app\'s notifications, with the appId in each (WS-9); that is how one socket replaces one per app',
      },
      async () => {
        await aliceLaptopOtherApp.sync.insert('tasks', { title: 'in the other app' });
        await aliceLaptopOtherApp.sync.sync();
        const heard = await aliceTablet.arrivals.eventually(() => (notificationsOf(aliceTablet).some((message) => message.appId === otherAppId) ? true : undefined), LIVE_DELIVERY_MS);
        return observed(heard === true, `tablet notified ${show(notificationsOf(aliceTablet))}`);
      },
    );

    await step(
      {
        title: `alice's laptop writes in ${appId} again: the old phone on /ws/${appId} is notified of that, and never heard of ${otherAppId}`,
        expected: `only notifications of ${appId} on /ws/${appId}`,
        requirements: ['WS-9', 'WS-11'],
        hint: 'a legacy connection receives only its own app\'s notifications (WS-9); a server that serves /ws/{appId} like /ws sends it every app',
      },
      async () => {
        const second = (await aliceLaptop.sync.insert('tasks', { title: 'feed the cat' })).id;
        await aliceLaptop.sync.sync();
        // Notified after the other app's write: had that notification been sent here, it would have arrived first.
        const held = await aliceOldPhone.whenHolding('tasks', second, LIVE_DELIVERY_MS);
        const apps = [...new Set(notificationsOf(aliceOldPhone).map((message) => message.appId))];
        return observed(held !== undefined && apps.length === 1 && apps[0] === appId, `${held ? 'holds' : 'lacks'} the task; apps notified: ${show(apps)}`);
      },
    );

    await step(
      {
        title: 'the old phone, which named no clientId, writes a task itself: it is notified of its own push, and so is the tablet',
        expected: `one more sync-available of ${appId} on the old phone's socket and on the tablet's`,
        requirements: ['WS-10', 'WS-8'],
        hint: 'a connection that named no clientId is notified of every readable push, its own included, as the first server did (WS-10 compatibility)',
      },
      async () => {
        const before = [aliceOldPhone, aliceTablet].map((each) => notificationsOf(each).filter((message) => message.appId === appId).length);
        await aliceOldPhone.sync.insert('tasks', { title: 'from the old phone' });
        await aliceOldPhone.sync.sync();
        const after = await Promise.all(
          [aliceOldPhone, aliceTablet].map((each, index) =>
            each.arrivals.eventually(() => {
              const count = notificationsOf(each).filter((message) => message.appId === appId).length;
              return count > before[index]! ? count : undefined;
            }, LIVE_DELIVERY_MS),
          ),
        );
        return observed(after.every((count) => count !== undefined), `${aliceOldPhone.label}: ${after[0] === undefined ? 'not notified' : 'notified'}; ${aliceTablet.label}: ${after[1] === undefined ? 'not notified' : 'notified'}`);
      },
    );

    await step(
      {
        title: 'bob\'s phone writes a personal task: bob\'s tablet is notified of that, and of nothing alice wrote',
        expected: `exactly one notification on bob's socket: {"appId":"${appId}","tables":["tasks"]}`,
        requirements: ['WS-11', 'SPACE-12'],
        hint: 'a connection receives no notification, app id or table name derived from a change its user may not read (WS-11); alice\'s tasks are personal',
      },
      async () => {
        const own = (await bobPhone.sync.insert('tasks', { title: 'bob\'s own' })).id;
        await bobPhone.sync.sync();
        const held = await bobTablet.whenHolding('tasks', own, LIVE_DELIVERY_MS);
        const heard = notificationsOf(bobTablet);
        return observed(held !== undefined && heard.length === 1 && heard[0]!.appId === appId, `${held ? 'holds' : 'lacks'} his task; notifications ${show(heard)}`);
      },
    );
  },
});
