import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { NotCheckable } from '../../failure.js';

const METRICS = ['mana_sync_connections_total', 'mana_sync_users_connected', 'mana_sync_sse_streams', 'mana_sync_ws_connections', 'mana_sync_pushes_total', 'mana_sync_changes_written_total'];
const HISTOGRAM = 'mana_sync_http_request_duration_seconds';

export const check = defineCheck({
  requirement: 'OPS-3',
  slug: 'metrics',
  description: 'alice pushes once; GET /metrics: Prometheus text 0.0.4 with every metric OPS-3 names, the request histogram labelled method, route and status',
  async run({ alice, request }) {
    await alice.mustPush({ changes: [] });
    const exchange = await request('GET', '/metrics');
    if (exchange.status === 401 || exchange.status === 403) throw new NotCheckable(`/metrics is restricted (OPS-4): ${exchange.status}`);
    const type = exchange.headers.get('content-type') ?? '';
    expectTrue(exchange.status === 200 && /^text\/plain\b/i.test(type) && /version=0\.0\.4/.test(type), 'OPS-3', '200 with Content-Type text/plain; version=0.0.4', () => `${exchange.status} ${type}`);
    for (const name of METRICS) expectTrue(new RegExp(`^${name}(\\{| )`, 'm').test(exchange.text), 'OPS-3', `the metric ${name}`, () => 'absent from /metrics');
    const bucket = exchange.text.split('\n').find((line) => line.startsWith(`${HISTOGRAM}_bucket{`)) ?? '';
    expectTrue(['method=', 'route=', 'status='].every((label) => bucket.includes(label)), 'OPS-3', `${HISTOGRAM} with labels method, route, status`, () => bucket || 'no bucket line');
  },
});
