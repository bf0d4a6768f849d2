import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMalformedFailure, runMalformedCases } from '../../conformance/src/malformed/malformed-run.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`malformed-input.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

/** At least 1000 a run (issue 10); MALFORMED_CASES raises it, MALFORMED_SEED replays a printed failure. */
const CASES = Math.max(1000, Number(process.env.MALFORMED_CASES ?? 0));
const SEED = process.env.MALFORMED_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.MALFORMED_SEED);

describe.each(serverDatabaseTargets())('malformed input on $label', (target) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(target);
  });
  afterAll(async () => server?.close());

  it(`ERR-4 ERR-1 ERR-11 PUSH-3 PUSH-6 ${CASES} generated bad requests to push, pull, stream, WebSocket upgrade and the other endpoints are each refused with the spec's 4xx and code, store nothing, and leave /health ok (seed ${SEED})`, async () => {
    const result = await runMalformedCases({ baseUrl: server.url, appId: freshAppId('malformed'), bearer: () => server.auth.mint('alice') }, { cases: CASES, seed: SEED, shrink: true });
    console.info(`malformed-input on ${target.label}: ${result.sent} bad requests sent, ${result.serverErrors} answered with a 5xx (seed ${SEED})`);
    expect(result.failure, describeMalformedFailure(result)).toBeUndefined();
    expect(result.serverErrors).toBe(0);
  });
});
