import { SSE_HEARTBEAT_SECONDS } from '../../../../spec/generated/constants.js';
import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { heartbeatWithinMs } from '../../live/live-bounds.js';
import { inSomeAttempt, TIMING_ATTEMPTS } from '../../live/timing-attempts.js';
import { heartbeatCount, heartbeatGaps } from './heartbeat-gaps.js';

const HEARTBEATS = 3;

export const check = defineCheck({
  requirement: 'SSE-6',
  slug: 'heartbeats',
  description: `alice opens a stream asking heartbeat=1 and waits for 3 heartbeats: each \`heartbeat\` event has data {} and none comes later than the period the target reports (at most 30 s), whether or not it honours the parameter (measured up to ${TIMING_ATTEMPTS} times: one late beat can be a loaded machine)`,
  minimumSeconds: (limits) => (TIMING_ATTEMPTS * HEARTBEATS * heartbeatWithinMs(limits)) / 1000 + 5,
  async run({ alice, health, record }) {
    const limits = (await health()).limits;
    expectTrue(limits.sseHeartbeatSeconds <= SSE_HEARTBEAT_SECONDS, 'SSE-6', `a heartbeat period of at most ${SSE_HEARTBEAT_SECONDS} s`, () => `sseHeartbeatSeconds ${limits.sseHeartbeatSeconds} in /health`);
    await inSomeAttempt(record, async () => {
      const openedAtMs = record.elapsedMs();
      const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 });
      try {
        await stream.mustReceiveUntil((events) => heartbeatCount(events) >= HEARTBEATS, { withinMs: HEARTBEATS * heartbeatWithinMs(limits), requirement: 'SSE-6', waitingFor: `${HEARTBEATS} heartbeats` });
        const gaps = heartbeatGaps(stream, openedAtMs);
        expectTrue(gaps.every((gap) => gap <= heartbeatWithinMs(limits)), 'SSE-6', `heartbeats at least every ${limits.sseHeartbeatSeconds} s`, () => `gaps of ${gaps.join(', ')} ms`);
      } finally {
        stream.close();
      }
    });
  },
});
