import { MAX_TOKEN_BYTES } from '../../../../spec/generated/constants.js';
import { expectEqual, expectError } from '../../assertions.js';
import { generateSigningKey } from '../../auth-service/signing-keys.js';
import { mintToken } from '../../auth-service/token-minter.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { hostileTokensOf } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-10',
  slug: 'oversized-unread',
  description: 'alice pulls with a validly signed token over MAX_TOKEN_BYTES, and with an oversized token of an unknown kid: 401 AUTH_INVALID_TOKEN each, and no JWKS fetch',
  exclusive: true,
  async run(ctx) {
    const { alice, auth } = ctx;
    const unknownKid = await mintToken(await generateSigningKey('oversized'), alice.userId, { claims: { padding: 'x'.repeat(MAX_TOKEN_BYTES) } });
    const tokens = [...(await hostileTokensOf(ctx, 'AUTH-10')).map((hostile) => hostile.token), unknownKid];
    const before = auth.jwksFetches;
    for (const token of tokens) expectError(await alice.pull({ collection: TABLE }, { token }), 'AUTH_INVALID_TOKEN', 'AUTH-10');
    expectEqual(auth.jwksFetches - before, 0, 'AUTH-10', 'JWKS fetches caused by oversized tokens');
  },
});
