import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { isJsonContentType } from '../../response-conformance.js';
import { provokeErrors } from './error-triggers.js';

export const check = defineCheck({
  requirement: 'ERR-1',
  slug: 'json-error-bodies',
  description: 'provokes 404, 405, 401 (twice), 400 (four kinds) and 415: each answer is application/json matching error.schema.json',
  async run(ctx) {
    for (const exchange of await provokeErrors(ctx)) {
      expectTrue(exchange.status >= 400, 'ERR-1', `${exchange.method} ${exchange.url} refused`, () => `status ${exchange.status}`);
      expectTrue(isJsonContentType(exchange.headers.get('content-type')) && exchange.json !== undefined, 'ERR-1', 'a JSON error body', () => `${exchange.headers.get('content-type') ?? '(no Content-Type)'}: ${exchange.text.slice(0, 200)}`);
    }
  },
});
