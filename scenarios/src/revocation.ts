import { LIVE_MAX_DELAY_SECONDS } from '../../spec/generated/constants.js';
import type { Health } from '../../spec/generated/types.js';
import { LIVE_DELIVERY_MS } from '../../conformance/src/live/live-bounds.js';
import { membershipWaitMs } from '../../conformance/src/live/membership-wait.js';
import { CONNECT_WITHIN_MS, type Device } from './user-device.js';
import { defineScenario, observed, show } from './scenario.js';

/** What bob's live devices got in one round: alice writes a task into the space, then bob's phone writes a list. */
interface Round {
  readonly writtenAtMs: number;
  /** The list of bob's phone reached both live devices: had alice's task been delivered, it would have been by now. */
  readonly fenced: boolean;
  readonly laptopHoldsTask: boolean;
  readonly tabletHoldsTask: boolean;
  /** A `sync-available` naming `tasks` reached the tablet during the round. */
  readonly tabletNotifiedOfTasks: boolean;
}

function delivered(round: Round): boolean {
  return round.laptopHoldsTask || round.tabletHoldsTask || round.tabletNotifiedOfTasks;
}

function describeRound(round: Round): string {
  if (!round.fenced) return `bob's phone's list did not reach both live devices within ${LIVE_DELIVERY_MS} ms`;
  return `laptop (SSE) ${round.laptopHoldsTask ? 'HOLDS' : 'lacks'} the task; tablet (WebSocket) ${round.tabletHoldsTask ? 'HOLDS' : 'lacks'} it, ${round.tabletNotifiedOfTasks ? 'WAS' : 'was not'} notified of tasks`;
}

export const revocation = defineScenario({
  name: 'revocation',
  summary: 'bob, following a shared space over SSE and the WebSocket, is removed from it at the auth service; within the spec\'s bound his open connections, pulls and pushes carry no new row of the space',
  requirements: ['SPACE-8', 'SPACE-9', 'WS-14', 'SPACE-2'],
  needs: ['membership-changes', 'shared-space'],
  async run({ setting, step, device, note }) {
    const { alice, bob } = setting;
    const memberships = setting.memberships!;
    const appId = setting.freshAppId('revocation');
    const space = await setting.sharedSpace();
    note(`app ${appId}; space ${space}; alice = ${alice.userId}, bob = ${bob.userId}`);
    const aliceLaptop = await device(alice, 'laptop', { appId });
    const bobPhone = await device(bob, 'phone', { appId });
    const bobLaptop = await device(bob, 'laptop', { appId, live: 'sse' });
    const bobTablet = await device(bob, 'tablet', { appId, live: 'ws' });
    let rounds = 0;

    async function round(): Promise<Round> {
      const n = ++rounds;
      const framesBefore = bobTablet.socket!.messages.length;
      const writtenAtMs = Date.now();
      const task = await aliceLaptop.sync.insert('tasks', { title: `alice's task ${n}`, spaceId: space });
      await aliceLaptop.sync.sync();
      // Written after alice's task: once it reached bob's live devices, hers would have too (log order).
      const fence = await bobPhone.sync.insert('lists', { name: `bob's list ${n}` });
      await bobPhone.sync.sync();
      const arrived = await Promise.all([bobLaptop, bobTablet].map((each: Device) => each.whenHolding('lists', fence.id, LIVE_DELIVERY_MS)));
      return {
        writtenAtMs,
        fenced: arrived.every((record) => record !== undefined),
        laptopHoldsTask: (await bobLaptop.sync.get('tasks', task.id)) !== undefined,
        tabletHoldsTask: (await bobTablet.sync.get('tasks', task.id)) !== undefined,
        tabletNotifiedOfTasks: bobTablet.socket!.messages.slice(framesBefore).some((message) => message.type === 'sync-available' && message.tables.includes('tasks')),
      };
    }

    await step(
      {
        title: 'bob\'s laptop follows the app over SSE and his tablet over the WebSocket; alice writes a task into the space and both receive it',
        expected: 'both live devices hold alice\'s task and bob\'s phone\'s later list',
        requirements: ['SSE-9', 'WS-8'],
        hint: 'before the revocation bob is a member: every path must deliver the space\'s rows to him (SPACE-2); without this, the rest of the scenario proves nothing',
      },
      async () => {
        bobLaptop.sync.start();
        bobTablet.sync.start();
        const socket = bobTablet.socket!;
        const streaming = await bobLaptop.arrivals.eventually(() => (bobLaptop.network.streamsOpened > 0 ? true : undefined), CONNECT_WITHIN_MS);
        const authenticated = await bobTablet.arrivals.eventually(() => (socket.authenticated ? true : undefined), CONNECT_WITHIN_MS);
        if (streaming === undefined || authenticated === undefined) {
          return observed(false, `stream ${streaming ? 'open' : 'not open'}, socket ${authenticated ? 'authenticated' : 'not authenticated'} within ${CONNECT_WITHIN_MS} ms`);
        }
        const first = await round();
        return observed(first.fenced && first.laptopHoldsTask && first.tabletHoldsTask && first.tabletNotifiedOfTasks, describeRound(first));
      },
    );

    let boundMs = 0;
    let revokedAtMs = 0;
    await step(
      {
        title: `the auth service removes bob from ${space} and asks the server to drop its cached memberships`,
        expected: 'POST /internal/memberships/{bob}/invalidate answers 204: open connections apply the change within LIVE_MAX_DELAY_SECONDS',
        requirements: ['SPACE-9'],
        hint: 'SPACE-9 is a SHOULD: a server without the route applies the revocation within its membership cache age instead; this step only fails on an answer that is neither 204 nor a missing route',
      },
      async () => {
        revokedAtMs = Date.now();
        const status = await memberships.revoke(bob, space);
        if (status === 204) boundMs = LIVE_MAX_DELAY_SECONDS * 1000;
        else {
          const health = (await fetch(`${setting.serverUrl}/health`).then((response) => response.json())) as Health;
          boundMs = membershipWaitMs(health.limits);
        }
        return observed(status === 204 || status === 404 || status === 405, `${status === 0 ? 'no answer' : status}; bound ${boundMs} ms`);
      },
    );

    await step(
      {
        title: 'alice keeps writing tasks into the space: within the bound, bob\'s open stream and socket stop carrying them',
        expected: 'a round in which neither live device receives alice\'s task nor a notification of tasks, started within the bound after the revocation',
        requirements: ['SPACE-8', 'WS-14', 'WS-11'],
        hint: 'the server must re-evaluate memberships of streams and sockets that are already open (SPACE-8, WS-14); the first server looked memberships up once per stream, so an open stream kept delivering a revoked space',
      },
      async () => {
        for (;;) {
          const current = await round();
          const afterMs = current.writtenAtMs - revokedAtMs;
          if (!current.fenced) return observed(false, describeRound(current));
          if (!delivered(current)) return observed(true, `stopped in round ${rounds}, ${afterMs} ms after the revocation (bound ${boundMs} ms)`);
          if (afterMs > boundMs) return observed(false, `round ${rounds}, written ${afterMs} ms after the revocation (bound ${boundMs} ms): ${describeRound(current)}`);
        }
      },
    );

    await step(
      {
        title: 'alice writes once more; then a new device of bob syncs the app from the beginning',
        expected: 'bob\'s live devices lack the new task; the new device holds bob\'s own lists and none of alice\'s tasks of the space',
        requirements: ['SPACE-8', 'SPACE-2', 'PULL-16'],
        hint: 'visibility is evaluated at the time of each read (PULL-16): after the revocation no path, push delta or pull included, may return a row of the space that another user wrote',
      },
      async () => {
        const last = await round();
        const fresh = await device(bob, 'new-phone', { appId });
        await fresh.sync.sync();
        const tasks = await fresh.sync.list('tasks', { includeDeleted: true });
        const lists = await fresh.sync.list('lists');
        return observed(
          last.fenced && !delivered(last) && tasks.length === 0 && lists.length === rounds,
          `${describeRound(last)}; the new device holds ${tasks.length} task(s) ${tasks.length > 0 ? show(tasks.map((task) => task.title)) : ''} and ${lists.length} of bob's ${rounds} lists`,
        );
      },
    );
  },
});
