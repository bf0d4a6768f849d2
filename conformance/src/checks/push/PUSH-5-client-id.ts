import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, recordKeys, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-5',
  slug: 'header-then-body',
  description: 'alice pushes with neither X-Client-Id nor clientId (400), then with header "hdr-1" and body clientId "body-1": the change\'s writer is hdr-1',
  async run({ alice, uniqueId }) {
    const id = uniqueId('task');
    expectError(await alice.push({ changes: [insertChange(id, { n: 1 })] }, { clientId: null }), 'PUSH_MISSING_CLIENT_ID', 'PUSH-5');
    await alice.mustPush({ clientId: 'body-1', changes: [insertChange(id, { n: 1 })] }, { clientId: 'hdr-1' });
    const all = await alice.mustReadAll();
    expectEqual(all.map((change) => change.clientId), ['hdr-1'], 'PUSH-5', 'clientId of the stored change');
    const asHeader = await alice.mustPullAll({ collection: TABLE }, { clientId: 'hdr-1' });
    expectEqual(recordKeys(asHeader.changes), [], 'PUSH-5', 'changes echoed to hdr-1');
    const bodyOnly = uniqueId('task');
    await alice.mustPush({ clientId: 'body-2', changes: [insertChange(bodyOnly, { n: 2 })] }, { clientId: null });
    const fromBody = await alice.mustReadAll();
    expectEqual(fromBody.map((change) => change.clientId), ['hdr-1', 'body-2'], 'PUSH-5', 'clientId taken from the body without a header');
  },
});
