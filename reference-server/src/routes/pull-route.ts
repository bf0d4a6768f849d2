import type { FastifyInstance } from 'fastify';
import { PULL_PAGE_SIZE } from '../../../spec/generated/constants.js';
import type { PullResponse } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { bearerAuthentication, verifiedToken } from '../auth/authenticate-request.js';
import { runAsUser } from '../db/user-scope.js';
import { allowOnlyMethods } from '../http-errors.js';
import { cursorInvalid } from '../push/changeset-validation.js';
import { parseSince } from '../store/cursor.js';
import type { SyncContext } from '../sync-context.js';
import { readDelta } from '../sync/delta.js';
import { appIdOf, clientIdHeader, invalidParameter, queryParameterOf } from './request-parameters.js';

const validPullQuery = validatorFor('pull-query');

/** GET /sync/{appId}/pull (PULL-1): one page of a table's visible changes after `since`. */
export function registerPullRoute(app: FastifyInstance, context: SyncContext): void {
  app.get('/sync/:appId/pull', { onRequest: bearerAuthentication(context.verifier) }, async (request, reply) => {
    const appId = appIdOf(request);
    const query = request.query;
    if (!validPullQuery(query)) throw invalidParameter(queryParameterOf(validPullQuery.errors), 'does not match pull-query.schema.json');
    const clientId = clientIdHeader(request) ?? query.clientId;
    const start = parseSince(query.since);
    if (start === null) throw cursorInvalid('since');
    const { userId } = verifiedToken(request);
    // SPACE-10: without memberships the read cannot be evaluated; this answers 503 rather than guess.
    const spaceIds = await context.memberships.spacesOf(userId);
    const scope = { userId, spaceIds };
    const delta = await runAsUser(context.db, context.layout, scope, (tx) =>
      readDelta(tx, scope, { appId, tables: [query.collection], start, clientId, limit: query.limit === undefined ? PULL_PAGE_SIZE : Number(query.limit) }),
    );
    const response: PullResponse = { serverChanges: delta.serverChanges, conflicts: [], syncedUntil: delta.syncedUntil, hasMore: delta.hasMore };
    // PULL-15.
    return reply.header('cache-control', 'no-store').send(response);
  });
  allowOnlyMethods(app, '/sync/:appId/pull', ['GET']);
}
