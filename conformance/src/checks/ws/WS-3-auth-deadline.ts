import { WS_AUTH_TIMEOUT_SECONDS } from '../../../../spec/generated/constants.js';
import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';
import type { LiveSocket } from '../../live/ws-socket.js';

/** The deadline may pass this much earlier than reported, for the suite's own clock and connection time. */
const EARLY_MS = 500;

export const check = defineCheck({
  requirement: 'WS-3',
  slug: 'auth-deadline',
  description: 'alice opens three sockets and never authenticates: one silent, one that sends a ping, one that pings every second; each is closed 1008 AUTH_TIMEOUT once the target\'s wsAuthTimeoutSeconds have passed, not before',
  minimumSeconds: (limits) => (limits?.wsAuthTimeoutSeconds ?? WS_AUTH_TIMEOUT_SECONDS) + 5,
  async run({ alice, health, pause }) {
    const timeoutMs = (await health()).limits.wsAuthTimeoutSeconds * 1000;
    const open = async () => (await alice.openSocket()).socket!;
    const [silent, spokeOnce, pinging] = [await open(), await open(), await open()];
    spokeOnce.send({ type: 'ping' });
    // WS-4: pings before authentication do not move the deadline; the pings are the stimulus.
    const keepPinging = async () => {
      while (pinging.closed === undefined) {
        pinging.send({ type: 'ping' });
        await pause(1000);
      }
    };
    const closeOf = (socket: LiveSocket) => socket.mustClose({ withinMs: timeoutMs + LIVE_ANSWER_MS, requirement: 'WS-3', waitingFor: `be closed 1008 AUTH_TIMEOUT after ${timeoutMs} ms without authentication` });
    const [, ...closes] = await Promise.all([keepPinging(), closeOf(silent), closeOf(spokeOnce), closeOf(pinging)]);
    for (const [index, socket] of [silent, spokeOnce, pinging].entries()) {
      const closed = closes[index]!;
      const requirement = socket === pinging ? 'WS-4' : 'WS-3';
      expectEqual({ code: closed.code, reason: closed.reason }, { code: 1008, reason: 'AUTH_TIMEOUT' }, requirement, `the close of ${socket.channel}`);
      const afterMs = closed.atMs - socket.openedAtMs;
      expectTrue(afterMs >= timeoutMs - EARLY_MS, 'WS-3', `${socket.channel} open for the ${timeoutMs} ms the target reports`, () => `closed after ${afterMs} ms`);
    }
  },
});
