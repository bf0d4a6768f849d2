import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StreamQuery } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { bearerAuthentication, verifiedToken } from '../auth/authenticate-request.js';
import { allowOnlyMethods } from '../http-errors.js';
import { cursorInvalid } from '../push/changeset-validation.js';
import { appIdOf, clientIdHeader, invalidParameter, queryParameterOf } from '../routes/request-parameters.js';
import { parseSince, type ReadStart } from '../store/cursor.js';
import type { SyncContext } from '../sync-context.js';
import { SseStream } from './sse-stream.js';

const validStreamQuery = validatorFor('stream-query');

/**
 * GET /sync/{appId}/stream (SSE-1): everything that can fail is checked before the stream starts and
 * answered as a JSON error (authentication, parameters SSE-13, Last-Event-ID SSE-5, a membership
 * outage SPACE-10); from then on failures are `error` events (SSE-14).
 */
export function registerSseRoute(app: FastifyInstance, context: SyncContext): void {
  const streams = new Set<SseStream>();
  // OPS-7: every stream ends after a complete event, saying why.
  context.lifecycle.onShutdown(() => {
    for (const stream of streams) stream.end('SHUTTING_DOWN', 'the server is shutting down; reconnect with Last-Event-ID');
  });

  app.get('/sync/:appId/stream', { onRequest: bearerAuthentication(context.verifier) }, async (request, reply) => {
    const appId = appIdOf(request);
    const query = request.query;
    if (!validStreamQuery(query)) throw invalidParameter(queryParameterOf(validStreamQuery.errors), 'does not match stream-query.schema.json');
    const clientId = clientIdHeader(request) ?? query.clientId;
    const start = startOf(request, query);
    const { userId, expiresAtMs } = verifiedToken(request);
    // SPACE-10: a stream whose memberships cannot be had is refused (503) before it starts.
    await context.memberships.spacesOf(userId);
    const stream = new SseStream(
      context,
      {
        appId,
        tables: [...new Set(query.collections.split(','))],
        userId,
        clientId,
        start,
        // SSE-7: the stream's own period within the spec's bound, else the server's.
        heartbeatSeconds: query.heartbeat === undefined ? context.config.sseHeartbeatSeconds : Number(query.heartbeat),
        tokenExpiresAtMs: expiresAtMs,
      },
      reply.raw,
      request.log,
    );
    streams.add(stream);
    reply.raw.once('close', () => streams.delete(stream));
    const headers = reply.getHeaders();
    reply.hijack();
    stream.start(headers);
  });
  allowOnlyMethods(app, '/sync/:appId/stream', ['GET']);
}

/** SSE-5: Last-Event-ID (when not empty) takes precedence over `since`; either must be a valid position. */
function startOf(request: FastifyRequest, query: StreamQuery): ReadStart {
  const lastEventId = request.headers['last-event-id'];
  if (lastEventId !== undefined && lastEventId !== '') {
    const start = typeof lastEventId === 'string' ? parseSince(lastEventId) : null;
    if (start === null) throw cursorInvalid('Last-Event-ID');
    return start;
  }
  const start = parseSince(query.since);
  if (start === null) throw cursorInvalid('since');
  return start;
}
