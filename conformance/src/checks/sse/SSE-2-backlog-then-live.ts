import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-2',
  slug: 'backlog-then-live',
  description: 'alice (laptop) pushes 3 changes, then opens a stream from her phone while 3 more pushes race its start, then pushes a last one: the stream delivers all 7 in log order, none lost or repeated',
  async run({ alice, uniqueId }) {
    const task = (n: number) => insertChange(uniqueId('task'), { n });
    await alice.mustPush({ changes: [task(1), task(2), task(3)] });
    // Pushes committed while the stream reads its backlog and subscribes: the hand-over under test.
    const [stream] = await Promise.all([alice.mustOpenStream({ collections: TABLE }, { clientId: 'alice-phone' }), ...[4, 5, 6].map((n) => alice.mustPush({ changes: [task(n)] }))]);
    const last = task(7);
    await stream.mustReceiveChanges(6, { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-2', waitingFor: 'the backlog and the pushes that raced the stream\'s start' });
    await alice.mustPush({ changes: [last] });
    const lastKey = recordKeys([last])[0];
    await stream.mustReceiveUntil(() => recordKeys(stream.changes).includes(lastKey!), { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-2', waitingFor: 'the change pushed while the stream was open' });
    expectEqual(recordKeys(stream.changes), recordKeys(await alice.mustReadAll()), 'SSE-2', 'the changes streamed, in log order (as a pull returns them)');
  },
});
