import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'ERR-5',
  slug: 'unknown-endpoints',
  description: 'GET /nope, GET /sync, GET /sync/<app>/nope and POST /sync/<app>/pull/extra, without a token: 404 ROUTE_NOT_FOUND each',
  async run({ request, appId }) {
    for (const [method, path] of [['GET', '/nope'], ['GET', '/sync'], ['GET', `/sync/${appId}/nope`], ['POST', `/sync/${appId}/pull/extra`]] as const) {
      expectError(await request(method, path), 'ROUTE_NOT_FOUND', 'ERR-5');
    }
  },
});
