import type { FastifyInstance } from 'fastify';
import { allowOnlyMethods } from '../http-errors.js';
import type { SyncContext } from '../sync-context.js';

/** GET /metrics (OPS-3): the Prometheus text format 0.0.4 of this server's registry, without authentication. */
export function registerMetricsRoute(app: FastifyInstance, context: SyncContext): void {
  const { registry } = context.metrics;
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  allowOnlyMethods(app, '/metrics', ['GET']);
}
