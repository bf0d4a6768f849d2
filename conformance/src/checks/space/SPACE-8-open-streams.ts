import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';
import { LIVE_DELIVERY_MS } from '../../live/live-bounds.js';
import { membershipCheckSeconds, membershipWaitMs } from '../../live/membership-wait.js';

export const check = defineCheck({
  requirement: 'SPACE-8',
  slug: 'revocation-open-streams',
  description: 'bob streams alice\'s shared space and receives her first change; bob is revoked at the auth service; after the target\'s membership cache alice writes again, then bob\'s phone writes to his personal space: bob\'s open stream delivers his phone\'s change, not alice\'s (sockets: WS-14)',
  minimumSeconds: membershipCheckSeconds,
  async run({ alice, bob, auth, uniqueId, sharedSpace, health, pause, record }) {
    const waitMs = membershipWaitMs((await health()).limits);
    const space = sharedSpace(alice, bob);
    const stream = await bob.mustOpenStream({ collections: TABLE });
    const before = insertChange(uniqueId('task'), { n: 1 }, { spaceId: space });
    await alice.mustPush({ changes: [before] });
    await stream.mustReceiveChanges(1, { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-9', waitingFor: 'alice\'s change in the shared space' });
    auth.revoke(bob.userId, space);
    record.note(`auth service: bob's membership of ${space} revoked; waiting ${waitMs} ms for the target's membership cache`);
    // The spec gives the target this long to apply the revocation; waiting it out is the requirement.
    await pause(waitMs);
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { n: 2 }, { spaceId: space })] });
    // Written after alice's second change: once the stream has it, it would have had hers before.
    const own = insertChange(uniqueId('task'), { n: 3 });
    await bob.mustPush({ changes: [own] }, { clientId: 'bob-phone' });
    const ownKey = recordKeys([own])[0]!;
    await stream.mustReceiveUntil(() => recordKeys(stream.changes).includes(ownKey), { withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-8', waitingFor: 'the change of bob\'s phone' });
    expectEqual(recordKeys(stream.changes), recordKeys([before, own]), 'SPACE-8', 'the changes on bob\'s stream opened before the revocation');
  },
});
