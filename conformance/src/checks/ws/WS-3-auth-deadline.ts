import { WS_AUTH_TIMEOUT_SECONDS } from '../../../../spec/generated/constants.js';
import { defineCheck } from '../../check.js';
import { mustCloseAtAuthDeadline } from '../../live/auth-deadline.js';

export const check = defineCheck({
  requirement: 'WS-3',
  slug: 'auth-deadline',
  description: 'alice opens three sockets and never authenticates: one silent, one that sends a ping, one that pings every second; each is closed 1008 AUTH_TIMEOUT once the target\'s wsAuthTimeoutSeconds have passed, not before',
  minimumSeconds: (limits) => (limits?.wsAuthTimeoutSeconds ?? WS_AUTH_TIMEOUT_SECONDS) + 5,
  async run({ alice, health, pause, record }) {
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
    const now = record.elapsedMs();
    await Promise.all([
      keepPinging(),
      mustCloseAtAuthDeadline(silent, timeoutMs, now),
      mustCloseAtAuthDeadline(spokeOnce, timeoutMs, now),
      mustCloseAtAuthDeadline(pinging, timeoutMs, now, 'WS-4'),
    ]);
  },
});
