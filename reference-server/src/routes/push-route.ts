import type { FastifyInstance } from 'fastify';
import { bearerAuthentication, verifiedToken } from '../auth/authenticate-request.js';
import { SyncError } from '../errors.js';
import { allowOnlyMethods } from '../http-errors.js';
import { validatePush } from '../push/changeset-validation.js';
import { executePush } from '../push/push-service.js';
import type { SyncContext } from '../sync-context.js';
import { appIdOf, clientIdHeader } from './request-parameters.js';

/**
 * POST /sync/{appId} (PUSH-1). The checks run in the order of ERR-11: authentication in onRequest,
 * media type and size while fastify reads the body (the JSON parser of app.ts refuses bad JSON and
 * deep nesting), then the body and parameters, the 422s, and in the transaction the push id and spaces.
 */
export function registerPushRoute(app: FastifyInstance, context: SyncContext): void {
  app.post('/sync/:appId', { onRequest: bearerAuthentication(context.verifier) }, async (request, reply) => {
    // Without a Content-Type fastify reads no body: the push is not application/json (PUSH-2).
    if (request.body === undefined) throw new SyncError('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
    const push = validatePush(request.body, () => ({ appId: appIdOf(request), clientIdHeader: clientIdHeader(request) }), Date.now());
    const response = await executePush(
      {
        db: context.db,
        layout: context.layout,
        memberships: context.memberships,
        feed: context.feed,
        onStored: (changes) => {
          context.metrics.pushes.inc();
          context.metrics.changesWritten.inc(changes);
        },
      },
      { userId: verifiedToken(request).userId, push },
    );
    // PULL-15: a push response holds the user's changes; no intermediary may keep it.
    return reply.header('cache-control', 'no-store').send(response);
  });
  allowOnlyMethods(app, '/sync/:appId', ['POST']);
}
