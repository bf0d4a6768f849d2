import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE, updateChange } from '../../change-builders.js';

const ENC1 = 'enc:1:AAECAwQFBgcICQoL.c2VjcmV0IGNpcGhlcnRleHQgYnl0ZXM=';
const ENC2 = 'enc:2:AAECAwQFBgcICQoL.bm90IGEgcmVhbCBjaXBoZXJ0ZXh0';

export const check = defineCheck({
  requirement: 'CRYPT-9',
  slug: 'encrypted-values-opaque',
  description: 'alice inserts and updates fields holding enc:1 and enc:2 strings (and one that is not valid base64): bob, her co-member, receives them byte for byte',
  async run({ alice, bob, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const id = uniqueId('note');
    await alice.mustPush({ changes: [insertChange(id, { body: ENC1, spaceId: space }), updateChange(id, { body: ENC2, title: 'enc:1:not base64!' })] });
    const received = (await bob.mustPullAll({ collection: TABLE })).changes;
    expectEqual(received.map((change) => change.fields.body?.value), [ENC1, ENC2], 'CRYPT-9', 'encrypted values relayed');
    expectEqual(received[1]?.fields.title?.value, 'enc:1:not base64!', 'CRYPT-9', 'a value that only looks encrypted');
  },
});
