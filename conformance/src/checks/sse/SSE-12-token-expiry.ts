import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { parseJson } from '../../exchange.js';
import { EXPIRES_IN_SECONDS, expiringStream } from './expiring-stream.js';

export const check = defineCheck({
  requirement: 'SSE-12',
  slug: 'token-expiry',
  description: `alice streams with a token that expires in ${EXPIRES_IN_SECONDS} s: the stream stays open until then, sends an \`error\` event AUTH_TOKEN_EXPIRED and ends`,
  async run(ctx) {
    const { errorEvents, openedAtMs } = await expiringStream(ctx);
    const codes = errorEvents.map((event) => (parseJson(event.data.join('\n')) as { error?: { code?: string } } | undefined)?.error?.code ?? '(no code)');
    expectEqual(codes, ['AUTH_TOKEN_EXPIRED'], 'SSE-12', 'the codes of the error events before the end');
    // `exp` has a resolution of a second: the token may expire up to a second before EXPIRES_IN_SECONDS.
    const endedAfterMs = errorEvents[0]!.atMs - openedAtMs;
    expectTrue(endedAfterMs >= (EXPIRES_IN_SECONDS - 1) * 1000 - 200, 'SSE-12', 'the stream open until its token expires', () => `ended ${endedAfterMs} ms after it was opened`);
  },
});
