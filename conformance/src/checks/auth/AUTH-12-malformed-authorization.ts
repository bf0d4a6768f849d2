import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'AUTH-12',
  slug: 'malformed-authorization',
  description: 'alice pulls with `Authorization: Bearer ` (empty token: AUTH_MISSING_TOKEN) and `Bearer <valid> <valid>` (two tokens: AUTH_INVALID_TOKEN)',
  async run({ alice }) {
    expectError(await alice.pull({ collection: TABLE }, { token: null, headers: { authorization: 'Bearer ' } }), 'AUTH_MISSING_TOKEN', 'AUTH-12');
    const token = await alice.bearer();
    expectError(await alice.pull({ collection: TABLE }, { token: null, headers: { authorization: `Bearer ${token} ${token}` } }), 'AUTH_INVALID_TOKEN', 'AUTH-12');
  },
});
