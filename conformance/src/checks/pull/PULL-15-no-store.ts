import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-15',
  slug: 'no-store',
  description: 'alice pushes and pulls: both answers carry Cache-Control: no-store',
  async run({ alice, uniqueId }) {
    for (const exchange of [await alice.push({ changes: [insertChange(uniqueId('task'), { n: 1 })] }), await alice.pull({ collection: TABLE })]) {
      expectTrue(/\bno-store\b/i.test(exchange.headers.get('cache-control') ?? ''), 'PULL-15', `Cache-Control: no-store on ${exchange.method} ${exchange.url}`, () => `Cache-Control: ${exchange.headers.get('cache-control') ?? '(none)'}`);
    }
  },
});
