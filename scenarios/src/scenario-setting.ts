import { randomBytes } from 'node:crypto';
import type { AuthService } from '../../conformance/src/auth-service/auth-service.js';
import type { TokenSource } from '../../reference-client/src/sync/http-transport.js';

/** A user of a scenario: alice and bob share spaces, charlie is the outsider. */
export interface Person {
  readonly name: 'alice' | 'bob' | 'charlie';
  readonly userId: string;
  readonly token: TokenSource;
}

/** What a scenario may need beyond two users with tokens; a setting that lacks it skips the scenario or step. */
export type Need = 'shared-space' | 'membership-changes' | 'third-user';

/** Membership changes at the auth service, which only the built-in auth service lets a scenario make. */
export interface MembershipControl {
  /**
   * Removes `person` from `space` at the auth service and asks the server to drop its cached answer
   * (SPACE-9, `POST /internal/memberships/{userId}/invalidate`): the status of that request.
   */
  revoke(person: Person, space: string): Promise<number>;
}

/** Where a scenario runs and who plays in it. */
export interface ScenarioSetting {
  readonly serverUrl: string;
  /** One line for the header of the run: what the target is and where the users come from. */
  readonly description: string;
  readonly alice: Person;
  readonly bob: Person;
  /** The outsider; only when the scenario mints tokens itself. */
  readonly charlie: Person | undefined;
  readonly memberships: MembershipControl | undefined;
  /** A new app id: every run of a scenario writes into its own app, so runs never see each other's data (PUSH-19). */
  freshAppId(label: string): string;
  /** A space alice and bob are both members of (a new one with the built-in auth service). */
  sharedSpace(): Promise<string>;
  /** Why this setting cannot give what a scenario needs, or undefined when it can. */
  missing(need: Need): string | undefined;
}

function runTag(): string {
  return randomBytes(4).toString('hex');
}

function appIdOf(label: string, tag: string, counter: number): string {
  return `sc-${label}-${tag}-${counter}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 64);
}

/** SPACE-9: makes the server forget a user's memberships at once; the status it answered (0 when unreachable). */
async function invalidateMemberships(serverUrl: string, serviceKey: string, userId: string): Promise<number> {
  try {
    const response = await fetch(`${serverUrl}/internal/memberships/${encodeURIComponent(userId)}/invalidate`, {
      method: 'POST',
      headers: { 'x-service-key': serviceKey },
      signal: AbortSignal.timeout(5000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * The default setting: users whose tokens the built-in auth service mints, spaces and memberships it
 * grants and revokes, against a server that trusts it (the reference server it started, or one a test
 * started the same way).
 */
export function builtInSetting(serverUrl: string, auth: AuthService, description: string): ScenarioSetting {
  const tag = runTag();
  const person = (name: Person['name']): Person => {
    const userId = `${name}-${tag}`;
    return { name, userId, token: () => auth.mint(userId) };
  };
  const alice = person('alice');
  const bob = person('bob');
  let apps = 0;
  let spaces = 0;
  return {
    serverUrl,
    description,
    alice,
    bob,
    charlie: person('charlie'),
    memberships: {
      async revoke(member, space) {
        auth.revoke(member.userId, space);
        return invalidateMemberships(serverUrl, auth.serviceKey, member.userId);
      },
    },
    freshAppId: (label) => appIdOf(label, tag, ++apps),
    async sharedSpace() {
      const space = `org-${tag}-${++spaces}`;
      for (const member of [alice, bob]) {
        auth.grant(member.userId, space);
        // A server that already looked the user up would otherwise see the grant only after its cache.
        await invalidateMemberships(serverUrl, auth.serviceKey, member.userId);
      }
      return space;
    },
    missing: () => undefined,
  };
}

export interface DeploymentUsers {
  readonly alice: { readonly userId: string; readonly token: string };
  readonly bob: { readonly userId: string; readonly token: string };
  /** A space both users are members of at the deployment's auth service (--space). */
  readonly space: string | undefined;
}

/** A deployed server with the real tokens of two users: no third user, no membership changes. */
export function deploymentSetting(serverUrl: string, users: DeploymentUsers): ScenarioSetting {
  const tag = runTag();
  let apps = 0;
  const { space } = users;
  return {
    serverUrl,
    description: `${serverUrl} with the tokens of ${users.alice.userId} (alice, --token-a) and ${users.bob.userId} (bob, --token-b)`,
    alice: { name: 'alice', ...users.alice },
    bob: { name: 'bob', ...users.bob },
    charlie: undefined,
    memberships: undefined,
    freshAppId: (label) => appIdOf(label, tag, ++apps),
    sharedSpace() {
      if (space === undefined) throw new Error('no shared space: pass --space');
      return Promise.resolve(space);
    },
    missing(need) {
      switch (need) {
        case 'shared-space':
          return space === undefined ? 'it needs a space both users are members of; pass --space <id> (an organization both accounts belong to)' : undefined;
        case 'membership-changes':
          return 'it changes memberships at the auth service, which only the built-in auth service lets a scenario do; a deployment\'s memberships are real';
        case 'third-user':
          return 'it needs a third user (charlie, the outsider), and a deployment run has only the tokens of --token-a and --token-b';
      }
    },
  };
}

/** The person's current token, for a scenario that speaks HTTP itself. */
export async function tokenOf(person: Person): Promise<string> {
  return typeof person.token === 'string' ? person.token : person.token();
}
