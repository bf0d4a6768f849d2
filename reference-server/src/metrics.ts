import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveConnections } from './live/live-connections.js';

export interface SyncMetrics {
  readonly registry: Registry;
  readonly pushes: Counter;
  readonly changesWritten: Counter;
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * The metrics of OPS-3, in a registry of this server instance (several servers in one process, as in
 * tests, must not share counters). The connection gauges read the live registry when scraped; the
 * first server's two gauges keep their names.
 */
export function createMetrics(connections: LiveConnections): SyncMetrics {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('mana_sync_connections_total', 'Open live connections (SSE streams and WebSockets).', () => connections.count());
  gauge('mana_sync_users_connected', 'Distinct users with an open live connection.', () => connections.users());
  gauge('mana_sync_sse_streams', 'Open SSE streams.', () => connections.count('sse'));
  gauge('mana_sync_ws_connections', 'Open WebSockets.', () => connections.count('ws'));
  return {
    registry,
    pushes: new Counter({ name: 'mana_sync_pushes_total', help: 'Pushes stored (replays not counted).', registers: [registry] }),
    changesWritten: new Counter({ name: 'mana_sync_changes_written_total', help: 'Changes stored.', registers: [registry] }),
    requestDuration: new Histogram({
      name: 'mana_sync_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
  };
}
