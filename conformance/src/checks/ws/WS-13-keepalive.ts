import { WS_PING_INTERVAL_SECONDS } from '../../../../spec/generated/constants.js';
import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { inSomeAttempt, TIMING_ATTEMPTS } from '../../live/timing-attempts.js';

const PERIOD_MS = WS_PING_INTERVAL_SECONDS * 1000;
/** Scheduling jitter allowed on top of a period. */
const SLACK_MS = 1000;

export const check = defineCheck({
  requirement: 'WS-13',
  slug: 'keepalive',
  description: `alice connects two sockets, one answering protocol pings, one not: the first gets two pings at most ${WS_PING_INTERVAL_SECONDS} s apart; the second is closed within three of the observed ping periods (measured up to ${TIMING_ATTEMPTS} times: one late ping can be a loaded machine)`,
  minimumSeconds: () => TIMING_ATTEMPTS * (5 * WS_PING_INTERVAL_SECONDS + 3) + 5,
  async run({ alice, record }) {
    await inSomeAttempt(record, async () => {
      const answering = await alice.mustConnect();
      const silent = await alice.mustConnect({ autoPong: false, clientId: 'alice-phone' });
      try {
        const pings = await answering.mustBePinged(2, { withinMs: 2 * (PERIOD_MS + SLACK_MS), requirement: 'WS-13', waitingFor: 'two protocol pings' });
        const gaps = pings.map((at, index) => at - (index === 0 ? answering.openedAtMs : pings[index - 1]!));
        expectTrue(gaps.every((gap) => gap <= PERIOD_MS + SLACK_MS), 'WS-13', `protocol pings at least every ${WS_PING_INTERVAL_SECONDS} s`, () => `gaps of ${gaps.join(', ')} ms`);
        const period = Math.max(...gaps);
        record.note(`observed ping period ${period} ms: the socket that leaves pings unanswered must be closed after two of them`);
        await silent.mustClose({ withinMs: Math.max(0, silent.openedAtMs + 3 * period + SLACK_MS - record.elapsedMs()), requirement: 'WS-13', waitingFor: 'be closed after two unanswered pings' });
        expectTrue(answering.closed === undefined, 'WS-13', 'the socket that answers pings kept open', () => `closed ${answering.closed?.code ?? ''} ${answering.closed?.reason ?? ''}`);
      } finally {
        answering.close();
        silent.close();
      }
    });
  },
});
