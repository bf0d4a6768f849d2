import { expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'AUTH-1',
  slug: 'bearer-required',
  description: 'alice pulls and pushes without Authorization and with `Basic`: 401 AUTH_MISSING_TOKEN with WWW-Authenticate: Bearer; /health needs no token',
  async run({ alice, health }) {
    const attempts = [
      await alice.pull({ collection: TABLE }, { token: null }),
      await alice.push({ changes: [] }, { token: null }),
      await alice.pull({ collection: TABLE }, { token: null, headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }),
    ];
    for (const exchange of attempts) {
      expectError(exchange, 'AUTH_MISSING_TOKEN', 'AUTH-1');
      expectTrue(/^bearer\b/i.test(exchange.headers.get('www-authenticate') ?? ''), 'AUTH-1', 'WWW-Authenticate: Bearer', () => `WWW-Authenticate: ${exchange.headers.get('www-authenticate') ?? '(none)'}`);
    }
    await health();
  },
});
