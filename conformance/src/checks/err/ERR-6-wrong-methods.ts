import { expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'ERR-6',
  slug: 'wrong-methods',
  description: 'DELETE /sync/<app>, PUT /sync/<app>/pull and POST /health: 405 METHOD_NOT_ALLOWED with an Allow header naming the supported method',
  async run({ request, appId }) {
    const cases = [['DELETE', `/sync/${appId}`, 'POST'], ['PUT', `/sync/${appId}/pull`, 'GET'], ['POST', '/health', 'GET']] as const;
    for (const [method, path, allowed] of cases) {
      const exchange = await request(method, path);
      expectError(exchange, 'METHOD_NOT_ALLOWED', 'ERR-6');
      const allow = (exchange.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
      expectTrue(allow.includes(allowed), 'ERR-6', `Allow listing ${allowed} on ${method} ${path}`, () => `Allow: ${exchange.headers.get('allow') ?? '(none)'}`);
    }
  },
});
