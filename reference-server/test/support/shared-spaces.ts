import { freshSpaceId } from './fresh-names.js';
import { request, type RawResponse } from './sync-client.js';
import type { TestServer } from './test-server.js';

/** SPACE-9: makes the server forget a user's memberships, so that the next read asks the auth service. */
export function invalidateMemberships(server: TestServer, userId: string): Promise<RawResponse> {
  return request(`${server.url}/internal/memberships/${encodeURIComponent(userId)}/invalidate`, {
    method: 'POST',
    headers: { 'x-service-key': server.auth.serviceKey },
  });
}

/** A fresh space whose members are `userIds`, known to the server at once. */
export async function shareSpace(server: TestServer, ...userIds: string[]): Promise<string> {
  const org = freshSpaceId();
  for (const userId of userIds) {
    server.auth.grant(userId, org);
    await invalidateMemberships(server, userId);
  }
  return org;
}
