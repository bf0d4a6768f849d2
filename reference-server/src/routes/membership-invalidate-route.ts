import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { SyncError } from '../errors.js';
import { allowOnlyMethods } from '../http-errors.js';
import type { SyncContext } from '../sync-context.js';
import { invalidParameter } from './request-parameters.js';

const validUserId = validatorFor('user-id');

/**
 * POST /internal/memberships/{userId}/invalidate (SPACE-9): the auth service, holding the service
 * key, makes a membership change take effect at once instead of after the cache TTL.
 */
export function registerMembershipInvalidateRoute(app: FastifyInstance, context: SyncContext): void {
  const url = '/internal/memberships/:userId/invalidate';
  const serviceKey = context.config.manaServiceKey;
  app.post(
    url,
    {
      // Checked before the body is looked at, like every authentication (ERR-11).
      onRequest: (request: FastifyRequest, _reply, done) => {
        const valid = serviceKey !== undefined && sameSecret(request.headers['x-service-key'], serviceKey);
        done(valid ? undefined : new SyncError('AUTH_INVALID_TOKEN', 'a valid x-service-key is required'));
      },
    },
    async (request, reply) => {
      const { userId } = request.params as { userId: string };
      if (!validUserId(userId)) throw invalidParameter('userId', 'must be 1 to 255 characters');
      context.memberships.invalidate(userId);
      return reply.code(204).send();
    },
  );
  allowOnlyMethods(app, url, ['POST']);
}

/** Compares in constant time (hashes first, so the length leaks nothing either). */
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
