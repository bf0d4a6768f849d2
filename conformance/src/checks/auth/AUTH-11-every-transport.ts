import { expectError } from '../../assertions.js';
import { hostileTokens } from '../../auth-service/hostile-tokens.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { expectSocketRefusal } from '../ws/socket-refusal.js';

export const check = defineCheck({
  requirement: 'AUTH-11',
  slug: 'every-transport',
  description: 'alice presents every hostile token of AUTH-2 to AUTH-10 on a stream (the JSON error of section 8) and in a WebSocket auth message (a ws-error with the same code, then close 1008)',
  // Some thirty streams and sockets one after another: 4 s here at rest, over 15 s beside the model
  // checks' large concurrent pushes on a loaded 2-core machine. Only a failure bound.
  minimumSeconds: () => 45,
  async run({ alice, auth, record }) {
    for (const hostile of await hostileTokens(auth.signingKey, alice.userId)) {
      record.note(`token "${hostile.name}" (${hostile.requirement}): ${hostile.description}`);
      expectError((await alice.openStream({ collections: TABLE }, { token: hostile.token })).exchange, hostile.expectedCode, 'AUTH-11');
      const { socket } = await alice.openSocket();
      socket!.send({ type: 'auth', token: hostile.token });
      await expectSocketRefusal(socket!, hostile.expectedCode, 1008, 'AUTH-11');
    }
  },
});
