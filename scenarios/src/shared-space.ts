import { LIVE_DELIVERY_MS } from '../../conformance/src/live/live-bounds.js';
import type { AppRecord } from '../../reference-client/src/store/local-store.js';
import { defineScenario, observed, show } from './scenario.js';
import { CONNECT_WITHIN_MS } from './user-device.js';

const TASK = { title: 'Buy oat milk', done: false };

function valuesOf(record: AppRecord | undefined): unknown {
  if (record === undefined) return undefined;
  const { title, done, spaceId } = record;
  return { title, done, spaceId };
}

export const sharedSpace = defineScenario({
  name: 'shared-space',
  summary: 'alice writes a record into a space she shares with bob; bob sees it by pull, SSE and WebSocket and edits it; alice sees the edit; charlie, outside the space, sees nothing; alice\'s personal record stays hers',
  requirements: ['SPACE-2', 'SSE-9', 'WS-8', 'SPACE-12'],
  needs: ['shared-space'],
  async run({ setting, step, device, note }) {
    const { alice, bob, charlie } = setting;
    const appId = setting.freshAppId('shared-space');
    const space = await setting.sharedSpace();
    note(`app ${appId}; space ${space} (alice and bob are members); alice = ${alice.userId}, bob = ${bob.userId}${charlie ? `, charlie = ${charlie.userId}` : ''}`);
    const aliceLaptop = await device(alice, 'laptop', { appId });
    const bobPhone = await device(bob, 'phone', { appId });
    const bobLaptop = await device(bob, 'laptop', { appId, live: 'sse' });
    const bobTablet = await device(bob, 'tablet', { appId, live: 'ws' });

    await step(
      {
        title: 'bob\'s laptop follows the server over SSE, his tablet over the unified WebSocket',
        expected: 'the stream answers 200 text/event-stream; the socket answers auth-ok',
        requirements: ['SSE-1', 'WS-2'],
        hint: 'the stream is GET /sync/{appId}/stream with a Bearer token; the socket is GET /ws, authenticated in-band with {"type":"auth","token":…}',
      },
      async () => {
        bobLaptop.sync.start();
        bobTablet.sync.start();
        const streaming = await bobLaptop.arrivals.eventually(() => (bobLaptop.network.streamsOpened > 0 ? true : undefined), CONNECT_WITHIN_MS);
        const socket = bobTablet.socket!;
        const authenticated = await bobTablet.arrivals.eventually(() => (socket.authenticated ? true : undefined), CONNECT_WITHIN_MS);
        return observed(
          streaming === true && authenticated === true,
          `stream ${streaming ? 'open' : `not open within ${CONNECT_WITHIN_MS} ms (client state ${bobLaptop.sync.state})`}; socket ${authenticated ? 'authenticated' : `not authenticated within ${CONNECT_WITHIN_MS} ms, received ${show(socket.messages)}`}`,
        );
      },
    );

    let task: AppRecord | undefined;
    await step(
      {
        title: `alice writes a task into space ${space} and syncs`,
        expected: 'the push is accepted: alice\'s outbox is empty, nothing refused',
        requirements: ['PUSH-1', 'SPACE-4'],
        hint: 'a member may write into her space (SPACE-4); a 403 SPACE_NOT_MEMBER means the server did not learn alice\'s membership from the auth service (MANA_AUTH_URL, MANA_SERVICE_KEY)',
      },
      async () => {
        task = await aliceLaptop.sync.insert('tasks', { ...TASK, spaceId: space });
        await aliceLaptop.sync.sync();
        const queued = await aliceLaptop.sync.store.outboxSize();
        return observed(queued === 0 && aliceLaptop.rejected.length === 0, `outbox ${queued}; refused ${show(aliceLaptop.rejected.map((push) => push.code))}`);
      },
    );
    const taskId = task!.id;
    const expectedTask = { ...TASK, spaceId: space };

    await step(
      {
        title: 'bob\'s phone pulls and holds alice\'s task',
        expected: show(expectedTask),
        requirements: ['SPACE-2', 'PULL-1'],
        hint: 'co-members read each other\'s changes of their space (SPACE-2): the server must look bob\'s memberships up at the auth service (SPACE-6) and serve the space\'s rows on GET /sync/{appId}/pull',
      },
      async () => {
        await bobPhone.sync.pull();
        const held = valuesOf(await bobPhone.sync.get('tasks', taskId));
        return observed(JSON.stringify(held) === JSON.stringify(expectedTask), show(held));
      },
    );

    await step(
      {
        title: 'bob\'s laptop receives the task over its open SSE stream, without syncing',
        expected: `${show(expectedTask)} within ${LIVE_DELIVERY_MS} ms`,
        requirements: ['SSE-9', 'SSE-2'],
        hint: 'a stream delivers every change its user may read, whoever wrote it (SSE-9), within LIVE_MAX_DELAY_SECONDS; the first server sent live changes only to the author\'s own connections',
      },
      async () => {
        const held = valuesOf(await bobLaptop.whenHolding('tasks', taskId, LIVE_DELIVERY_MS));
        return observed(JSON.stringify(held) === JSON.stringify(expectedTask), held === undefined ? `nothing within ${LIVE_DELIVERY_MS} ms` : show(held));
      },
    );

    await step(
      {
        title: 'bob\'s tablet is notified over the WebSocket and pulls the task',
        expected: `{"type":"sync-available","appId":"${appId}","tables":["tasks"]}, then ${show(expectedTask)}`,
        requirements: ['WS-8', 'WS-15'],
        hint: 'every connection of a user who may read a new change is notified (WS-8), co-members included; the first server notified only the author',
      },
      async () => {
        const held = valuesOf(await bobTablet.whenHolding('tasks', taskId, LIVE_DELIVERY_MS));
        const notified = bobTablet.socket!.notifications().some((message) => message.appId === appId && message.tables.includes('tasks'));
        return observed(notified && JSON.stringify(held) === JSON.stringify(expectedTask), `notifications ${show(bobTablet.socket!.notifications())}; holds ${show(held)}`);
      },
    );

    const edited = { title: 'Buy oat milk and bread', done: true, spaceId: space };
    await step(
      {
        title: 'bob edits the task on his phone and syncs; alice\'s laptop pulls and holds his edit',
        expected: show(edited),
        requirements: ['SPACE-4', 'LWW-5'],
        hint: 'bob, a member, may write into the space; his later stamps win on alice\'s replica (LWW-5) when the server relays them unchanged (LWW-8)',
      },
      async () => {
        await bobPhone.sync.update('tasks', taskId, { title: edited.title, done: edited.done });
        await bobPhone.sync.sync();
        await aliceLaptop.sync.pull();
        const held = valuesOf(await aliceLaptop.sync.get('tasks', taskId));
        return observed(JSON.stringify(held) === JSON.stringify(edited) && bobPhone.rejected.length === 0, `alice holds ${show(held)}; bob's refused pushes ${show(bobPhone.rejected.map((push) => push.code))}`);
      },
    );

    await step(
      {
        title: 'alice writes a personal list; bob pulls, and his phone then writes one of his own: none of bob\'s devices holds alice\'s, his live ones get his phone\'s',
        expected: 'bob\'s phone, laptop (SSE) and tablet (WebSocket) hold bob\'s list and not alice\'s',
        requirements: ['SPACE-2', 'SPACE-12', 'WS-11'],
        hint: 'a personal record (space _personal:<userId>) is visible to its author only (SPACE-2, SPACE-3); a server that filters by space membership alone, or leaks to live connections, shows it to others',
      },
      async () => {
        const personal = await aliceLaptop.sync.insert('lists', { name: 'alice\'s diary' });
        await aliceLaptop.sync.sync();
        await bobPhone.sync.pull();
        // Written after alice's list: once bob's live devices hold it, they would hold hers by now.
        const own = await bobPhone.sync.insert('lists', { name: 'bob\'s groceries' });
        await bobPhone.sync.sync();
        const seen = await Promise.all(
          [bobPhone, bobLaptop, bobTablet].map(async (bobDevice) => ({
            device: bobDevice.label,
            own: (await bobDevice.whenHolding('lists', own.id, LIVE_DELIVERY_MS)) !== undefined,
            alices: (await bobDevice.sync.get('lists', personal.id)) !== undefined,
          })),
        );
        return observed(
          seen.every((entry) => entry.own && !entry.alices),
          seen.map((entry) => `${entry.device}: ${entry.own ? 'holds' : 'lacks'} bob's list, ${entry.alices ? 'HOLDS' : 'lacks'} alice's`).join('; '),
        );
      },
    );

    await step(
      {
        title: 'charlie, who is not in the space, syncs the app from the beginning and holds nothing',
        expected: 'no task, no list',
        requirements: ['SPACE-2', 'SPACE-12'],
        hint: 'a change is visible only to members of its space and to its author (SPACE-2); an outsider must not receive, or learn about, any of it (SPACE-12)',
        needs: 'third-user',
      },
      async () => {
        const outsider = await device(charlie!, 'laptop', { appId });
        await outsider.sync.sync();
        const held = [...(await outsider.sync.list('tasks', { includeDeleted: true })), ...(await outsider.sync.list('lists', { includeDeleted: true }))];
        return observed(held.length === 0, held.length === 0 ? 'nothing' : show(held));
      },
    );

    await step(
      {
        title: 'charlie tries to write a task into the space: refused, and alice never sees it',
        expected: '403 SPACE_NOT_MEMBER; alice holds no task of charlie\'s',
        requirements: ['SPACE-4'],
        hint: 'only members write into a space (SPACE-4); the first server never checked, so anyone could plant rows in any space',
        needs: 'third-user',
      },
      async () => {
        const outsider = await device(charlie!, 'phone', { appId });
        const planted = await outsider.sync.insert('tasks', { title: 'planted by charlie', spaceId: space });
        const refusal = await outsider.sync.sync().then(
          () => 'accepted',
          (error: unknown) => String((error as { serverError?: { code: string }; status?: number }).serverError?.code ?? (error as Error).message),
        );
        await aliceLaptop.sync.pull();
        const atAlice = await aliceLaptop.sync.get('tasks', planted.id);
        return observed(refusal === 'SPACE_NOT_MEMBER' && atAlice === undefined, `charlie's push: ${refusal}; alice holds ${show(valuesOf(atAlice))}`);
      },
    );
  },
});
