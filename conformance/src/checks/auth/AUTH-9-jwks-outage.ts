import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'AUTH-9',
  slug: 'cached-keys-survive-outage',
  description: 'alice pulls once; the JWKS endpoint then answers 503; alice pulls and pushes again with a fresh token of the same key: 200 each',
  exclusive: true,
  async run({ alice, auth, record }) {
    await alice.mustPull({ collection: TABLE });
    auth.setJwksAvailable(false);
    record.note('auth service: JWKS answers 503');
    try {
      const token = await auth.mint(alice.userId);
      await alice.mustPull({ collection: TABLE }, { token });
      await alice.mustPush({ changes: [] }, { token });
    } finally {
      auth.setJwksAvailable(true);
      record.note('auth service: JWKS available again');
    }
  },
});
