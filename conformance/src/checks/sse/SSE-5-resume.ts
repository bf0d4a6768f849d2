import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-5',
  slug: 'resume-last-event-id',
  description: 'alice pushes a, then b and c; a stream with Last-Event-ID = the cursor after a and since = the cursor after c delivers b, c, then a new d, nothing else; a garbage Last-Event-ID is answered 400 CURSOR_INVALID',
  async run({ alice, uniqueId }) {
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => insertChange(uniqueId('task'), { n }));
    await alice.mustPush({ changes: [a!] });
    // Event ids are cursors (SSE-4): the position after a, taken from a pull, is a valid Last-Event-ID.
    const afterA = (await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' })).cursor;
    await alice.mustPush({ changes: [b!, c!] });
    const end = (await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' })).cursor;
    const resumed = await alice.mustOpenStream({ collections: TABLE, since: end }, { clientId: 'alice-phone', lastEventId: afterA });
    await resumed.mustReceiveChanges(2, { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-5', waitingFor: 'b and c, after its Last-Event-ID' });
    await alice.mustPush({ changes: [d!] });
    const dKey = recordKeys([d!])[0]!;
    await resumed.mustReceiveUntil(() => recordKeys(resumed.changes).includes(dKey), { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-2', waitingFor: 'd, pushed while it was open' });
    expectEqual(recordKeys(resumed.changes), recordKeys([b!, c!, d!]), 'SSE-5', 'the changes streamed after Last-Event-ID (which takes precedence over since)');
    expectError((await alice.openStream({ collections: TABLE }, { lastEventId: 'not-a-cursor' })).exchange, 'CURSOR_INVALID', 'SSE-5');
  },
});
