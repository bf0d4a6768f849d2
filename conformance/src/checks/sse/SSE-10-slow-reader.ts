import { SSE_MAX_BUFFERED_BYTES } from '../../../../spec/generated/constants.js';
import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { parseJson } from '../../exchange.js';
import { NotCheckable } from '../../failure.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

/** Backlog: five times the bound, so that socket buffers on both sides cannot hold it all. */
const PUSHES = 5;
const CHANGES_PER_PUSH = 200;
const VALUE_BYTES = Math.ceil(SSE_MAX_BUFFERED_BYTES / CHANGES_PER_PUSH);
/** How long the reader stalls: beyond two heartbeat periods of the requested 1 s, after which a reader counts as gone (SSE-15). */
const STALL_MS = 3000;

export const check = defineCheck({
  requirement: 'SSE-10',
  slug: 'slow-reader',
  description: `alice writes a backlog of ${PUSHES * CHANGES_PER_PUSH} changes of ${VALUE_BYTES} bytes (${PUSHES}× SSE_MAX_BUFFERED_BYTES) and opens a stream (heartbeat=1) she does not read for ${STALL_MS} ms: it ends after a complete event (an error event, if any, SSE_READER_TOO_SLOW), and a stream resumed from the last event id delivers the rest, nothing lost or repeated; a second stream read meanwhile is not slowed`,
  // Under the load of concurrent checks a target may produce the backlog too slowly to fill the buffers.
  exclusive: true,
  minimumSeconds: () => 40,
  async run({ alice, uniqueId, pause, record }) {
    const padding = 'x'.repeat(VALUE_BYTES);
    for (let push = 0; push < PUSHES; push++) {
      await alice.mustPush({ changes: Array.from({ length: CHANGES_PER_PUSH }, (_, n) => insertChange(uniqueId('task'), { n, padding })) }, { requirement: 'SSE-10' });
    }
    const all = recordKeys((await alice.mustPullAll({ collection: TABLE }, { clientId: 'alice-phone' })).changes);
    const openedAtMs = record.elapsedMs();
    const slow = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 }, { clientId: 'alice-phone', paused: true });
    const reading = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 }, { clientId: 'alice-tablet' });
    await Promise.all([
      reading.mustReceiveUntil(() => reading.ended !== undefined || reading.changes.length >= all.length, {
        withinMs: LIVE_DELIVERY_MS + 10_000,
        requirement: 'SSE-10',
        waitingFor: 'the whole backlog while another stream of the same user stalls',
      }),
      // The stall is the stimulus: a reader that does not keep up for at least this long.
      pause(STALL_MS),
    ]);
    // A reading stream ended as too slow itself says nothing about being slowed by the stalled one:
    // on a starved machine the suite cannot read the backlog as fast as the server writes it.
    if (reading.ended !== undefined && reading.changes.length < all.length) {
      slow.close();
      throw new NotCheckable(`the stream that was read ended after ${reading.changes.length} of ${all.length} changes: the suite could not keep up with the target itself (a loaded machine), so whether the stalled stream slowed it is not observable`);
    }
    record.note(`alice's phone read nothing for ${record.elapsedMs() - openedAtMs} ms; it reads from now on`);
    slow.resume();
    await slow.mustReceiveUntil(() => slow.ended !== undefined || slow.changes.length >= all.length, { withinMs: LIVE_DELIVERY_MS + 10_000, requirement: 'SSE-10', waitingFor: 'the backlog or an end' });
    if (slow.ended === undefined) {
      slow.close();
      throw new NotCheckable(`the stalled stream delivered the whole backlog (${all.length} changes) without ending: socket buffers held it, or the target waited for the reader without buffering; no unbounded buffering was observable`);
    }
    // A server that ends the response must do so after a complete event; a connection dropped later
    // may cut one, which a client discards (as EventSource does) before resuming from its last id.
    if (slow.endedByServer) expectEqual(slow.trailing, '', 'SSE-10', 'an unfinished event at the end of the slow stream');
    const errors = slow.events.filter((event) => event.event === 'error').map((event) => (parseJson(event.data.join('\n')) as { error?: { code?: string } } | undefined)?.error?.code);
    expectTrue(errors.every((code) => code === 'SSE_READER_TOO_SLOW'), 'SSE-10', 'no error event, or SSE_READER_TOO_SLOW', () => JSON.stringify(errors));
    const lastEventId = slow.changeEvents.at(-1)?.id;
    const resumed = await alice.mustOpenStream({ collections: TABLE }, { clientId: 'alice-phone', ...(lastEventId === undefined ? {} : { lastEventId }) });
    const rest = all.length - slow.changes.length;
    await resumed.mustReceiveChanges(rest, { withinMs: LIVE_DELIVERY_MS + 10_000, requirement: 'SSE-10', waitingFor: `the ${rest} changes after the last event id` });
    expectEqual([...recordKeys(slow.changes), ...recordKeys(resumed.changes)], all, 'SSE-10', 'the changes of the ended stream and of its resumption');
  },
});
