import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { heartbeatWithinMs } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-4',
  slug: 'event-ids',
  description: 'alice pushes tasks, lists, tasks in one push and streams tasks,lists with heartbeat=1: every changes event (several from one read) carries an id equal to its syncedUntil, heartbeats carry none, and a pull of each table from each id returns exactly that table\'s changes of the later events',
  minimumSeconds: (limits) => heartbeatWithinMs(limits) / 1000 + 5,
  async run({ alice, uniqueId, health }) {
    const limits = (await health()).limits;
    const tables = [TABLE, 'lists'] as const;
    // Alternating tables: one read of the backlog becomes several events (SSE-3), so ids that are not
    // the read's last are tried too.
    await alice.mustPush({
      changes: [insertChange(uniqueId('task'), { n: 1 }), insertChange(uniqueId('list'), { n: 2 }, { table: 'lists' }), insertChange(uniqueId('task'), { n: 3 })],
    });
    const stream = await alice.mustOpenStream({ collections: tables.join(','), heartbeat: 1 }, { clientId: 'alice-phone' });
    await stream.mustReceiveUntil(() => stream.changes.length >= 3 && stream.events.some((event) => event.event === 'heartbeat'), {
      withinMs: heartbeatWithinMs(limits),
      requirement: 'SSE-4',
      waitingFor: 'the three changes and a heartbeat',
    });
    const ids = stream.changeEvents.map((event) => event.id ?? '(none)');
    expectEqual(ids, stream.changesData.map((data) => data.syncedUntil), 'SSE-4', 'the ids of the changes events (their syncedUntil)');
    const heartbeatIds = stream.events.filter((event) => event.event === 'heartbeat' && event.id !== undefined).map((event) => event.id);
    expectEqual(heartbeatIds, [], 'SSE-4', 'ids on heartbeats');
    // Each id is a position right after its event's last change: a read from it returns exactly the
    // changes of the later events. Every id is tried, not only the last, since a resume may start
    // from any of them (an id one change behind would repeat that change).
    for (const [index, id] of ids.entries()) {
      for (const table of tables) {
        const later = stream.changesData.slice(index + 1).flatMap((data) => recordKeys(data.changes.filter((change) => change.table === table)));
        const after = await alice.mustPullAll({ collection: table, since: id }, { clientId: 'alice-phone' });
        expectEqual(recordKeys(after.changes), later, 'SSE-4', `${table} changes after the id of changes event ${index + 1} of ${ids.length}`);
      }
    }
  },
});
