import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

const ROUNDS = 3;

export const check = defineCheck({
  requirement: 'PUSH-18',
  slug: 'live-after-visible',
  description: `alice and bob share a space; bob has a socket and a stream open; alice pushes ${ROUNDS} times: at each notification and each changes event bob pulls at once and finds the change, and both arrive within LIVE_MAX_DELAY_SECONDS`,
  async run({ alice, bob, appId, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const socket = await bob.mustConnect();
    const stream = await bob.mustOpenStream({ collections: TABLE });
    for (let round = 1; round <= ROUNDS; round++) {
      const change = insertChange(uniqueId('task'), { n: round }, { spaceId: space });
      const key = recordKeys([change])[0]!;
      const notified = socket.mustReceiveUntil(() => socket.ofType('sync-available').length >= round, { withinMs: LIVE_DELIVERY_MS, requirement: 'PUSH-18', waitingFor: `notification ${round}` });
      const streamed = stream.mustReceiveUntil(() => recordKeys(stream.changes).includes(key), { withinMs: LIVE_DELIVERY_MS, requirement: 'PUSH-18', waitingFor: `the change of push ${round}` });
      // Each pull starts as soon as its live delivery arrives, however early that is.
      const pullOnArrival = (arrival: Promise<unknown>, what: string) =>
        arrival.then(async () => {
          const pulled = recordKeys(await bob.mustReadAll());
          expectTrue(pulled.includes(key), 'PUSH-18', `push ${round}'s change returned by a pull made on its ${what}`, () => `pulled ${JSON.stringify(pulled)}`);
        });
      await Promise.all([pullOnArrival(notified, 'notification'), pullOnArrival(streamed, 'changes event'), alice.mustPush({ changes: [change] })]);
      expectTrue(socket.ofType('sync-available').every((message) => message.appId === appId), 'PUSH-18', 'notifications of this app only', () => JSON.stringify(socket.ofType('sync-available')));
    }
  },
});
