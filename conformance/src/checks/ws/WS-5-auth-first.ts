import { defineCheck } from '../../check.js';
import { expectSocketRefusal } from './socket-refusal.js';

const BEFORE_AUTH = [
  ['invalid JSON', 'not json'],
  ['a message of an unknown type', JSON.stringify({ type: 'subscribe', tables: ['tasks'] })],
  ['a JSON array', '[]'],
] as const;

export const check = defineCheck({
  requirement: 'WS-5',
  slug: 'auth-first',
  description: 'alice sends, before authenticating, invalid JSON, an unknown message type and a JSON array, each on a fresh /ws: ws-error WS_INVALID_MESSAGE, then close 1008',
  async run({ alice, record }) {
    for (const [what, text] of BEFORE_AUTH) {
      record.note(`before auth: ${what}`);
      const { socket } = await alice.openSocket();
      socket!.send(text);
      await expectSocketRefusal(socket!, 'WS_INVALID_MESSAGE', 1008, 'WS-5');
    }
  },
});
