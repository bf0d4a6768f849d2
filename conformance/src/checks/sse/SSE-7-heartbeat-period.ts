import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { heartbeatCount, heartbeatGaps } from './heartbeat-gaps.js';

const HEARTBEATS = 3;
/** Timer and scheduling jitter a period of one second may show on a loaded machine. */
const SLACK_MS = 600;

export const check = defineCheck({
  requirement: 'SSE-7',
  slug: 'heartbeat-period',
  description: 'alice opens a stream with heartbeat=1: 3 heartbeats arrive, none more than about a second after the previous one',
  async run({ alice, record }) {
    const openedAtMs = record.elapsedMs();
    const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 });
    await stream.mustReceiveUntil((events) => heartbeatCount(events) >= HEARTBEATS, { withinMs: HEARTBEATS * (1000 + SLACK_MS), requirement: 'SSE-7', waitingFor: `${HEARTBEATS} heartbeats at the requested 1 s` });
    const gaps = heartbeatGaps(stream, openedAtMs);
    expectTrue(gaps.every((gap) => gap <= 1000 + SLACK_MS), 'SSE-7', 'heartbeats every second (heartbeat=1)', () => `gaps of ${gaps.join(', ')} ms`);
  },
});
