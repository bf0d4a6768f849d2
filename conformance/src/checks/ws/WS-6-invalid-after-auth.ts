import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'WS-6',
  slug: 'invalid-after-auth',
  description: 'alice, authenticated on /ws, sends invalid JSON and {"type":"subscribe"}: a ws-error WS_INVALID_MESSAGE each and the socket stays open (a ping is answered); then a binary frame: close 1003',
  async run({ alice }) {
    const socket = await alice.mustConnect();
    for (const text of ['not json', JSON.stringify({ type: 'subscribe', tables: ['tasks'] })]) {
      const before = socket.ofType('error').length;
      socket.send(text);
      await socket.mustReceiveUntil(() => socket.ofType('error').length > before, { withinMs: LIVE_ANSWER_MS, requirement: 'WS-6', waitingFor: 'a ws-error for an invalid message' });
      expectEqual(socket.ofType('error').at(-1)?.code, 'WS_INVALID_MESSAGE', 'WS-6', 'the code of the error');
      await socket.mustPong('WS-6');
    }
    socket.sendBinary(new TextEncoder().encode(JSON.stringify({ type: 'ping' })));
    const closed = await socket.mustClose({ withinMs: LIVE_ANSWER_MS, requirement: 'WS-6', waitingFor: 'be closed 1003 after a binary frame' });
    expectEqual(closed.code, 1003, 'WS-6', 'the close code after a binary frame');
  },
});
