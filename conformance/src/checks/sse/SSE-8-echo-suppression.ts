import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-8',
  slug: 'echo-suppression',
  description: 'alice streams from her laptop (X-Client-Id, then ?clientId=) and her phone; her laptop pushes a, her tablet then pushes b: the laptop streams deliver b only, the phone stream a and b',
  async run({ alice, uniqueId }) {
    const byHeader = await alice.mustOpenStream({ collections: TABLE });
    const byQuery = await alice.mustOpenStream({ collections: TABLE, clientId: alice.clientId }, { clientId: null });
    const phone = await alice.mustOpenStream({ collections: TABLE }, { clientId: 'alice-phone' });
    const a = insertChange(uniqueId('task'), { n: 1 });
    const b = insertChange(uniqueId('task'), { n: 2 });
    await alice.mustPush({ changes: [a] });
    // b comes after a in the log: once a laptop stream has b, it would have had a before it.
    await alice.mustPush({ changes: [b] }, { clientId: 'alice-tablet' });
    const within = { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-8' as const };
    await phone.mustReceiveChanges(2, { ...within, requirement: 'SSE-9', waitingFor: 'a and b, written by her other devices' });
    expectEqual(recordKeys(phone.changes), recordKeys([a, b]), 'SSE-9', 'the changes on the phone\'s stream');
    for (const [stream, how] of [[byHeader, 'X-Client-Id'], [byQuery, '?clientId='] ] as const) {
      await stream.mustReceiveChanges(1, { ...within, waitingFor: 'b, written by her tablet' });
      expectEqual(recordKeys(stream.changes), recordKeys([b]), 'SSE-8', `the changes on the laptop's stream (client id by ${how})`);
    }
  },
});
