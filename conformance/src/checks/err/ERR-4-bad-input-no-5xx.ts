import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';
import type { Exchange } from '../../exchange.js';
import { fail } from '../../failure.js';
import { describeBadRequest } from '../../malformed/bad-request.js';
import { runMalformedCases } from '../../malformed/malformed-run.js';

/** Generated bad requests a suite run sends: enough to meet every kind of fault, few enough to stay in seconds. */
export const MALFORMED_SUITE_CASES = 200;

export const check = defineCheck({
  requirement: 'ERR-4',
  slug: 'bad-input-no-5xx',
  description: `alice sends garbage (random bytes, wrong types, huge numbers, a 4000-character table, a 10 KiB query, odd paths), then ${MALFORMED_SUITE_CASES} generated bad requests to push, pull, stream, WebSocket upgrade and the other endpoints (invalid JSON and UTF-8, U+0000, deep nesting, bodies and batches over the limits, wrong media types, unknown ops, bad parameters, odd tables and app ids, some with a second fault ERR-11 masks): each refused with the spec's 4xx and code, nothing stored, /health still ok`,
  // A few of the generated bodies are 10 MiB.
  minimumSeconds: () => 60,
  async run({ alice, random, health, request, appId, baseUrl, record }) {
    const bytes = new Uint8Array(512).map(() => Math.floor(random() * 256));
    const answers: Exchange[] = [
      await alice.push({}, { rawBody: bytes }),
      await alice.push({}, { rawBody: '[]' }),
      await alice.push({}, { rawBody: 'null' }),
      await alice.push({ changes: 'all of them' as unknown as [] }),
      await alice.push({ changes: [null, 1, 'x', []] as unknown as [] }),
      await alice.push({ changes: [{ table: TABLE, id: 1e308, op: 'insert', data: [] }] as unknown as [] }),
      await alice.push({ changes: [{ table: 'x'.repeat(4000), id: 'a', op: 'insert', data: {} }] }),
      await alice.push({ since: 12 as unknown as string, schemaVersion: 1e300, pushId: {} as unknown as string, changes: [] }),
      await alice.push({ changes: [{ table: TABLE, id: 'a', op: 'update', fields: { f: { value: 1, at: 'soon', c: -1 } } }] }),
      await alice.pull({ collection: TABLE, since: 'x'.repeat(10_000) }),
      await alice.pull({ collection: TABLE, limit: '99999999999999999999' }),
      await alice.request('GET', `/sync/${appId}/pull?collection=${TABLE}&collection=notes`),
      await alice.request('GET', `/sync/${encodeURIComponent('%00')}/pull?collection=${TABLE}`),
      await request('GET', '/sync/../../etc/passwd'),
    ];
    for (const answer of answers) expectTrue(answer.status < 500, 'ERR-4', `${answer.method} ${answer.url.slice(0, 120)} answered without a 5xx`, () => `${answer.status} ${answer.text.slice(0, 200)}`);
    const stored = await alice.mustReadAll();
    expectTrue(stored.length === 0, 'ERR-4', 'nothing stored by bad input', () => `${stored.length} changes`);
    await health();
    const seed = Math.floor(random() * 2 ** 31);
    const result = await runMalformedCases({ baseUrl, appId, bearer: () => alice.bearer(), recorder: record }, { cases: MALFORMED_SUITE_CASES, seed, shrink: false });
    record.note(`${result.sent} generated bad requests (seed ${seed}), ${result.serverErrors} answered with a 5xx`);
    if (result.failure !== undefined) {
      const [first] = result.failure.failures;
      fail(first!.requirement, `${first!.expected}, for ${describeBadRequest(result.failure.request)}`, `${first!.actual} (generated case seed ${seed}, path "${result.failure.path}")`);
    }
  },
});
