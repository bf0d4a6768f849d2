import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';

export const check = defineCheck({
  requirement: 'SSE-9',
  slug: 'every-reader',
  description: 'alice and bob share a space and both stream it (alice from her phone); alice\'s laptop writes a, bob writes b into the space: both streams deliver a and b',
  async run({ alice, bob, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const alicePhone = await alice.mustOpenStream({ collections: TABLE }, { clientId: 'alice-phone' });
    const bobStream = await bob.mustOpenStream({ collections: TABLE }, { clientId: 'bob-phone' });
    const a = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    const b = insertChange(uniqueId('task'), { n: 2 }, { spaceId: space });
    await alice.mustPush({ changes: [a] });
    await bob.mustPush({ changes: [b] });
    for (const [stream, who] of [[alicePhone, 'alice\'s phone'], [bobStream, 'bob']] as const) {
      await stream.mustReceiveChanges(2, { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-9', waitingFor: 'a and b, written into the shared space' });
      expectEqual(recordKeys(stream.changes), recordKeys([a, b]), 'SSE-9', `the changes on ${who}'s stream`);
    }
  },
});
