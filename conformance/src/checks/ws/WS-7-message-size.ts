import { WS_MAX_MESSAGE_BYTES } from '../../../../spec/generated/constants.js';
import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'WS-7',
  slug: 'message-size',
  description: `alice, authenticated on /ws, sends a ping padded to ${WS_MAX_MESSAGE_BYTES} bytes (answered), then one of ${WS_MAX_MESSAGE_BYTES + 1} bytes: close 1009`,
  async run({ alice }) {
    const socket = await alice.mustConnect();
    const padded = (bytes: number) => {
      const text = JSON.stringify({ type: 'ping' });
      // Spaces after the JSON value keep it valid JSON of exactly `bytes` bytes.
      return text + ' '.repeat(bytes - text.length);
    };
    const before = socket.ofType('pong').length;
    socket.send(padded(WS_MAX_MESSAGE_BYTES));
    await socket.mustReceiveUntil(() => socket.ofType('pong').length > before, { withinMs: LIVE_ANSWER_MS, requirement: 'WS-7', waitingFor: `a pong to a ping of exactly ${WS_MAX_MESSAGE_BYTES} bytes` });
    socket.send(padded(WS_MAX_MESSAGE_BYTES + 1));
    const closed = await socket.mustClose({ withinMs: LIVE_ANSWER_MS, requirement: 'WS-7', waitingFor: 'be closed 1009 after an oversized frame' });
    expectEqual(closed.code, 1009, 'WS-7', 'the close code after an oversized frame');
  },
});
