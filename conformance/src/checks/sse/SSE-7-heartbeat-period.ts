import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { inSomeAttempt, TIMING_ATTEMPTS } from '../../live/timing-attempts.js';
import { heartbeatCount, heartbeatGaps } from './heartbeat-gaps.js';

const HEARTBEATS = 3;
/** Timer and scheduling jitter a period of one second may show on a loaded machine. */
const SLACK_MS = 600;

export const check = defineCheck({
  requirement: 'SSE-7',
  slug: 'heartbeat-period',
  description: `alice opens a stream with heartbeat=1: 3 heartbeats arrive, none more than about a second after the previous one (measured up to ${TIMING_ATTEMPTS} times: one late beat can be a loaded machine)`,
  minimumSeconds: () => (TIMING_ATTEMPTS * HEARTBEATS * (1000 + SLACK_MS)) / 1000 + 5,
  async run({ alice, record }) {
    await inSomeAttempt(record, async () => {
      const openedAtMs = record.elapsedMs();
      const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 });
      try {
        await stream.mustReceiveUntil((events) => heartbeatCount(events) >= HEARTBEATS, { withinMs: HEARTBEATS * (1000 + SLACK_MS), requirement: 'SSE-7', waitingFor: `${HEARTBEATS} heartbeats at the requested 1 s` });
        const gaps = heartbeatGaps(stream, openedAtMs);
        expectTrue(gaps.every((gap) => gap <= 1000 + SLACK_MS), 'SSE-7', 'heartbeats every second (heartbeat=1)', () => `gaps of ${gaps.join(', ')} ms`);
      } finally {
        stream.close();
      }
    });
  },
});
