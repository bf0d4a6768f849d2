import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-3',
  slug: 'changes-events',
  description: 'alice pushes tasks a, lists b, tasks c, tasks d in one push and streams tasks,lists from her phone: changes events of one table each, in log order, the backlog\'s last with hasMore false, each one line of JSON matching sse-changes-event',
  async run({ alice, uniqueId }) {
    const a = insertChange(uniqueId('task'), { n: 1 });
    const b = insertChange(uniqueId('list'), { n: 2 }, { table: 'lists' });
    const c = insertChange(uniqueId('task'), { n: 3 });
    const d = insertChange(uniqueId('task'), { n: 4 });
    await alice.mustPush({ changes: [a, b, c, d] });
    const stream = await alice.mustOpenStream({ collections: 'tasks,lists' }, { clientId: 'alice-phone' });
    await stream.mustReceiveChanges(4, { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-3' });
    const events = stream.changesData;
    for (const event of events) {
      const tables = [...new Set(event.changes.map((change) => change.table))];
      expectEqual(tables, [event.table], 'SSE-3', 'the tables of the changes of one event (its `table` only)');
    }
    expectEqual(recordKeys(stream.changes), recordKeys([a, b, c, d]), 'SSE-3', 'the changes of the events, in log order');
    expectTrue(events.at(-1)?.hasMore === false, 'SSE-3', 'the last event of the backlog with hasMore false', () => JSON.stringify(events.map((event) => ({ table: event.table, hasMore: event.hasMore }))));
  },
});
