import type { CheckContext } from '../../check-context.js';
import { TABLE } from '../../change-builders.js';
import type { Exchange } from '../../exchange.js';

/** One request per kind of refusal a black box can provoke without changing shared state. */
export async function provokeErrors(ctx: CheckContext): Promise<Exchange[]> {
  const { alice } = ctx;
  return [
    await ctx.request('GET', '/no-such-endpoint'),
    await ctx.request('DELETE', `/sync/${ctx.appId}`),
    await alice.pull({ collection: TABLE }, { token: null }),
    await alice.pull({ collection: TABLE }, { token: 'not-a.jwt' }),
    await alice.pull({}),
    await alice.pull({ collection: TABLE, since: 'not-a-cursor' }),
    await alice.push({}, { rawBody: '{"changes":', contentType: 'application/json' }),
    await alice.push({}, { rawBody: '{"changes":[]}', contentType: 'text/plain' }),
    await alice.push({ changes: [{ table: TABLE, id: 'x', op: 'merge' as 'insert' }] }),
    await alice.push({ changes: [] }, { clientId: null }),
  ];
}
