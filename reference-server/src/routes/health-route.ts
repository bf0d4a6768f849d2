import type { FastifyInstance } from 'fastify';
import {
  MAX_BODY_BYTES,
  MAX_CHANGES_PER_PUSH,
  MAX_FUTURE_SKEW_SECONDS,
  PROTOCOL_NAME,
  PULL_PAGE_SIZE,
  STORE_TIMEOUT_SECONDS,
} from '../../../spec/generated/constants.js';
import type { Health } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import type { Database } from '../db/database.js';
import { allowOnlyMethods } from '../http-errors.js';
import type { SyncContext } from '../sync-context.js';

/**
 * GET /health (OPS-1, OPS-2): no authentication; 200 while the database answers and the server is not
 * shutting down, else 503 with the same body and status "unavailable" (the one error without the
 * error body, ERR-1). The limits are the ones this server enforces.
 */
export function registerHealthRoute(app: FastifyInstance, context: SyncContext): void {
  app.get('/health', async (_request, reply) => {
    const database = (await databaseAnswers(context.db)) ? 'ok' : 'unavailable';
    const serving = database === 'ok' && !context.lifecycle.shuttingDown;
    const { connections, config } = context;
    const health: Health = {
      status: serving ? 'ok' : 'unavailable',
      service: 'mana-sync',
      version: context.version,
      protocol: PROTOCOL_NAME,
      timestamp: formatCanonicalInstant(Date.now()),
      connections: connections.count(),
      sse: connections.count('sse'),
      ws: connections.count('ws'),
      users: connections.users(),
      database,
      limits: {
        maxBodyBytes: MAX_BODY_BYTES,
        maxChangesPerPush: MAX_CHANGES_PER_PUSH,
        pullPageSize: PULL_PAGE_SIZE,
        sseHeartbeatSeconds: config.sseHeartbeatSeconds,
        wsAuthTimeoutSeconds: config.wsAuthTimeoutSeconds,
        membershipCacheTtlSeconds: config.membershipCacheTtlSeconds,
        jwksRefreshCooldownSeconds: config.jwksRefreshCooldownSeconds,
        maxFutureSkewSeconds: MAX_FUTURE_SKEW_SECONDS,
      },
    };
    return reply.code(serving ? 200 : 503).header('cache-control', 'no-store').send(health);
  });
  allowOnlyMethods(app, '/health', ['GET']);
}

/** Whether the database answers within STORE_TIMEOUT_SECONDS (OPS-8: never hang). */
async function databaseAnswers(db: Database): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), STORE_TIMEOUT_SECONDS * 1000);
  });
  try {
    return await Promise.race([db.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
