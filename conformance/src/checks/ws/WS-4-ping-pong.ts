import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'WS-4',
  slug: 'ping-pong',
  description: 'alice sends {"type":"ping"} on /ws before authenticating and after: {"type":"pong"} each time (that pings do not extend the deadline is checked with WS-3)',
  async run({ alice }) {
    const { socket } = await alice.openSocket();
    await socket!.mustPong('WS-4');
    socket!.send({ type: 'auth', token: await alice.bearer() });
    await socket!.mustReceiveUntil((messages) => messages.some((message) => message.json?.type === 'auth-ok'), { withinMs: 3000, requirement: 'WS-2', waitingFor: 'auth-ok' });
    await socket!.mustPong('WS-4');
  },
});
