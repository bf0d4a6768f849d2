import { SSE_RETRY_MS } from '../../../../spec/generated/constants.js';
import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { heartbeatWithinMs } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-11',
  slug: 'retry',
  description: `alice opens a stream (heartbeat=1): its first block carries \`retry: ${SSE_RETRY_MS}\``,
  minimumSeconds: (limits) => heartbeatWithinMs(limits) / 1000 + 5,
  async run({ alice, health }) {
    const limits = (await health()).limits;
    const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 });
    const [first] = await stream.mustReceiveUntil((events) => events.length > 0, { withinMs: heartbeatWithinMs(limits), requirement: 'SSE-11', waitingFor: 'its first block' });
    expectTrue(first?.retry === String(SSE_RETRY_MS), 'SSE-11', `retry: ${SSE_RETRY_MS} at the start of the stream`, () => `first block: ${first?.raw ?? '(none)'}`);
  },
});
