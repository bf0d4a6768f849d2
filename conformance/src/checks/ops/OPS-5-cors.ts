import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { SUITE_ORIGIN } from '../../target.js';

const HEADERS = ['authorization', 'content-type', 'x-client-id', 'last-event-id'];

function listed(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.trim().toLowerCase());
}

export const check = defineCheck({
  requirement: 'OPS-5',
  slug: 'cors',
  description: `preflights POST /sync/<app> from ${SUITE_ORIGIN} (listed in CORS_ORIGINS) and from an unlisted origin; GET /health from both`,
  async run({ request, appId }) {
    const preflight = (origin: string) =>
      request('OPTIONS', `/sync/${appId}`, { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': HEADERS.join(',') } });
    const allowed = await preflight(SUITE_ORIGIN);
    expectTrue(allowed.status < 300 && allowed.headers.get('access-control-allow-origin') === SUITE_ORIGIN, 'OPS-5', `a 2xx preflight allowing ${SUITE_ORIGIN} (the target must list it in CORS_ORIGINS)`, () => `${allowed.status}, Access-Control-Allow-Origin ${allowed.headers.get('access-control-allow-origin') ?? '(none)'}`);
    const methods = listed(allowed.headers.get('access-control-allow-methods'));
    expectTrue(['get', 'post', 'options'].every((m) => methods.includes(m)), 'OPS-5', 'Access-Control-Allow-Methods with GET, POST, OPTIONS', () => allowed.headers.get('access-control-allow-methods') ?? '(none)');
    const headers = listed(allowed.headers.get('access-control-allow-headers'));
    expectTrue(HEADERS.every((h) => headers.includes(h)), 'OPS-5', `Access-Control-Allow-Headers with ${HEADERS.join(', ')}`, () => allowed.headers.get('access-control-allow-headers') ?? '(none)');
    const simple = await request('GET', '/health', { headers: { origin: SUITE_ORIGIN } });
    expectTrue(simple.headers.get('access-control-allow-origin') === SUITE_ORIGIN, 'OPS-5', `Access-Control-Allow-Origin ${SUITE_ORIGIN} on a response`, () => simple.headers.get('access-control-allow-origin') ?? '(none)');
    for (const exchange of [await preflight('http://evil.invalid'), await request('GET', '/health', { headers: { origin: 'http://evil.invalid' } })]) {
      expectTrue(exchange.headers.get('access-control-allow-origin') === null, 'OPS-5', 'no Access-Control-Allow-Origin for an unlisted origin', () => exchange.headers.get('access-control-allow-origin') ?? '');
    }
  },
});
