import type { ErrorCode } from '../../../../spec/generated/error-codes.js';
import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { expectSocketRefusal } from './socket-refusal.js';

export const check = defineCheck({
  requirement: 'WS-2',
  slug: 'in-band-auth',
  description: 'alice authenticates on /ws with a valid token (auth-ok naming her), then on fresh sockets with garbage, an expired and an empty token: a ws-error with the code of section 8, then close 1008 with that code as reason',
  async run({ alice, auth }) {
    const socket = await alice.mustConnect();
    expectEqual(socket.ofType('auth-ok').map((message) => message.userId ?? alice.userId), [alice.userId], 'WS-2', 'the user of auth-ok');
    socket.close();
    const refused: Array<[string, string, ErrorCode]> = [
      ['garbage', 'not-a-jwt', 'AUTH_INVALID_TOKEN'],
      ['expired an hour ago', await auth.mint(alice.userId, { expiresIn: -3600 }), 'AUTH_TOKEN_EXPIRED'],
      ['empty', '', 'AUTH_MISSING_TOKEN'],
    ];
    for (const [, token, code] of refused) {
      const { socket: refusedSocket } = await alice.openSocket();
      refusedSocket!.send({ type: 'auth', token });
      await expectSocketRefusal(refusedSocket!, code, 1008, 'WS-2');
    }
  },
});
