import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { heartbeatWithinMs } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-4',
  slug: 'event-ids',
  description: 'alice pushes two changes and streams them with heartbeat=1: every changes event carries an id equal to its syncedUntil, heartbeats carry none, and a pull from the last id returns nothing already streamed',
  minimumSeconds: (limits) => heartbeatWithinMs(limits) / 1000 + 5,
  async run({ alice, uniqueId, health }) {
    const limits = (await health()).limits;
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('task'), { n: 2 })] });
    const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 }, { clientId: 'alice-phone' });
    await stream.mustReceiveUntil(() => stream.changes.length >= 2 && stream.events.some((event) => event.event === 'heartbeat'), {
      withinMs: heartbeatWithinMs(limits),
      requirement: 'SSE-4',
      waitingFor: 'both changes and a heartbeat',
    });
    const ids = stream.changeEvents.map((event) => event.id ?? '(none)');
    expectEqual(ids, stream.changesData.map((data) => data.syncedUntil), 'SSE-4', 'the ids of the changes events (their syncedUntil)');
    const heartbeatIds = stream.events.filter((event) => event.event === 'heartbeat' && event.id !== undefined).map((event) => event.id);
    expectEqual(heartbeatIds, [], 'SSE-4', 'ids on heartbeats');
    // The id is a position right after the event's last change: nothing of the stream lies beyond it.
    const after = await alice.mustPullAll({ collection: TABLE, since: ids.at(-1)! }, { clientId: 'alice-phone' });
    expectEqual(recordKeys(after.changes), [], 'SSE-4', 'changes after the last event id');
  },
});
