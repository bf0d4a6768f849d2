import type { CheckContext } from '../../check-context.js';

/**
 * Runs `during` while the auth service's memberships endpoint answers 503, and brings it back
 * whatever happens: every later check needs memberships. Only exclusive checks may call this.
 */
export async function duringMembershipOutage<T>({ auth, record }: Pick<CheckContext, 'auth' | 'record'>, during: () => Promise<T>): Promise<T> {
  auth.setMembershipsMode('down');
  record.note('auth service: memberships answer 503');
  try {
    return await during();
  } finally {
    auth.setMembershipsMode('up');
    record.note('auth service: memberships answer again');
  }
}
