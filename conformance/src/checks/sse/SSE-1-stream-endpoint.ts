import { expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { heartbeatWithinMs } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-1',
  slug: 'stream-endpoint',
  description: 'alice opens GET /sync/{appId}/stream?collections=tasks&heartbeat=1: 200 text/event-stream with Cache-Control no-cache, still open after a heartbeat; without a token and with a bad collections parameter: JSON errors (401, 400), not streams',
  minimumSeconds: (limits) => heartbeatWithinMs(limits) / 1000 + 5,
  async run({ alice, health }) {
    const limits = (await health()).limits;
    const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 });
    const { headers } = stream.response;
    expectTrue(/\bno-cache\b/i.test(headers.get('cache-control') ?? ''), 'SSE-1', 'Cache-Control: no-cache', () => `Cache-Control ${headers.get('cache-control') ?? '(none)'}`);
    await stream.mustReceiveUntil((events) => events.some((event) => event.event === 'heartbeat'), { withinMs: heartbeatWithinMs(limits), requirement: 'SSE-1', waitingFor: 'a heartbeat on a stream kept open' });
    stream.close();
    expectError((await alice.openStream({ collections: TABLE }, { token: null })).exchange, 'AUTH_MISSING_TOKEN', 'SSE-1');
    expectError((await alice.openStream({ collections: 'not a table' })).exchange, 'REQUEST_INVALID_PARAMETER', 'SSE-1');
  },
});
