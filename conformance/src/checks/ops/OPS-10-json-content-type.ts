import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import { isJsonContentType } from '../../response-conformance.js';

export const check = defineCheck({
  requirement: 'OPS-10',
  slug: 'json-content-type',
  description: 'GET /health, a push and a pull: each JSON answer says Content-Type application/json (charset utf-8 or none); error bodies are ERR-1\'s',
  async run({ alice, request }) {
    const answers = [await request('GET', '/health', {}, 'health'), await alice.push({ changes: [] }), await alice.pull({ collection: TABLE })];
    for (const answer of answers) expectTrue(isJsonContentType(answer.headers.get('content-type')), 'OPS-10', `application/json on ${answer.method} ${answer.url}`, () => answer.headers.get('content-type') ?? '(none)');
  },
});
