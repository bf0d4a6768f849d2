import { MEMBERSHIP_LOOKUP_TIMEOUT_MS } from '../../../spec/generated/constants.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';

/** The membership lookup failed: timeout, network error, non-2xx status, or an answer not matching the schema (SPACE-10). */
export class MembershipLookupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MembershipLookupError';
  }
}

/** Where a user's shared spaces come from. */
export interface MembershipSource {
  /** The organization ids the user is a member of (SPACE-6); throws MembershipLookupError. */
  spacesOf(userId: string): Promise<string[]>;
}

export interface MembershipClientOptions {
  readonly authUrl: string;
  readonly serviceKey: string | undefined;
  readonly timeoutMs?: number;
  /** The global fetch by default, so tests can inject faults with msw. */
  readonly fetch?: typeof fetch;
}

const validMemberships = validatorFor('memberships');

/** The auth service's membership endpoint (SPACE-6): GET {MANA_AUTH_URL}/api/v1/internal/users/{id}/memberships. */
export function createMembershipClient(options: MembershipClientOptions): MembershipSource {
  const base = options.authUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? MEMBERSHIP_LOOKUP_TIMEOUT_MS;
  return {
    async spacesOf(userId) {
      const fetchImpl = options.fetch ?? fetch;
      let response: Response;
      let body: unknown;
      try {
        response = await fetchImpl(`${base}/api/v1/internal/users/${encodeURIComponent(userId)}/memberships`, {
          headers: { accept: 'application/json', ...(options.serviceKey === undefined ? {} : { 'x-service-key': options.serviceKey }) },
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = response.ok ? await response.json() : undefined;
      } catch (error) {
        throw new MembershipLookupError(`the membership lookup failed: ${(error as Error).name}`, { cause: error });
      }
      if (!response.ok) throw new MembershipLookupError(`the membership lookup answered ${response.status}`);
      if (!validMemberships(body)) throw new MembershipLookupError('the membership answer does not match memberships.schema.json');
      if (body.userId !== userId) throw new MembershipLookupError('the membership answer is for another user');
      return [...new Set(body.memberships.map((membership) => membership.organizationId))];
    },
  };
}
