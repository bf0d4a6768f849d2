import { expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'WS-1',
  slug: 'endpoints',
  description: 'alice upgrades GET /ws and GET /ws/{appId} without HTTP authentication and authenticates in-band on each (JSON text frames matching the ws-* schemas); GET /ws/Not_An_App is refused before the upgrade with 400 REQUEST_INVALID_PARAMETER',
  async run({ alice, appId }) {
    for (const path of ['/ws', `/ws/${appId}`]) {
      const socket = await alice.mustConnect({ path });
      await socket.mustPong('WS-1');
      socket.close();
    }
    const refused = await alice.openSocket('/ws/Not_An_App');
    expectTrue(refused.exchange !== undefined, 'WS-1', 'the upgrade to /ws/Not_An_App refused with an HTTP answer', () => 'the socket was upgraded');
    expectError(refused.exchange!, 'REQUEST_INVALID_PARAMETER', 'WS-1');
  },
});
