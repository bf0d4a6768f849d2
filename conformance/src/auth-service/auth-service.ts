import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Memberships } from '../../../spec/generated/types.js';
import { generateSigningKey, type SigningKey } from './signing-keys.js';
import { mintToken, type TokenOptions } from './token-minter.js';

// The auth service a mana-sync server trusts, played by the suite (and by the reference server's
// tests): it publishes the JWKS the server verifies tokens with (AUTH-3) and answers the membership
// lookups of SPACE-6, and the suite changes keys and memberships while checks run.

export const JWKS_PATH = '/api/auth/jwks';
const MEMBERSHIPS_PATH = /^\/api\/v1\/internal\/users\/([^/]+)\/memberships$/;

/** How the memberships endpoint behaves: normally, failing (503), hanging, or answering nonsense. */
export type MembershipsMode = 'up' | 'down' | 'hang' | 'invalid';

export interface AuthServiceOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  serviceKey?: string;
}

/** One membership lookup as the auth service saw it. */
export interface MembershipLookup {
  userId: string;
  serviceKeyValid: boolean;
}

export interface AuthService {
  /** Base URL: the target's `MANA_AUTH_URL`. */
  readonly url: string;
  readonly jwksUrl: string;
  readonly serviceKey: string;
  /** The key new tokens are signed with. */
  readonly signingKey: SigningKey;
  readonly jwksFetches: number;
  readonly membershipLookups: readonly MembershipLookup[];
  /** The environment a server under test must be started with to trust this service. */
  targetEnvironment(): Record<'JWKS_URL' | 'MANA_AUTH_URL' | 'MANA_SERVICE_KEY', string>;
  mint(sub: string, options?: TokenOptions): Promise<string>;
  /** Adds a new key to the JWKS and signs new tokens with it; old keys stay published. */
  rotateKey(): Promise<SigningKey>;
  /** Removes a key from the JWKS. */
  unpublishKey(kid: string): void;
  grant(userId: string, spaceId: string, role?: string): void;
  revoke(userId: string, spaceId: string): void;
  spacesOf(userId: string): string[];
  setMembershipsMode(mode: MembershipsMode): void;
  setJwksAvailable(available: boolean): void;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startAuthService(options: AuthServiceOptions = {}): Promise<AuthService> {
  const serviceKey = options.serviceKey ?? randomBytes(24).toString('base64url');
  const keys: SigningKey[] = [await generateSigningKey()];
  const memberships = new Map<string, Map<string, string>>();
  const lookups: MembershipLookup[] = [];
  let jwksFetches = 0;
  let jwksAvailable = true;
  let membershipsMode: MembershipsMode = 'up';
  const hanging = new Set<ServerResponse>();

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://auth.invalid').pathname;
    if (request.method === 'GET' && path === JWKS_PATH) {
      jwksFetches++;
      if (!jwksAvailable) return sendJson(response, 503, { error: 'jwks unavailable' });
      return sendJson(response, 200, { keys: keys.map((key) => key.publicJwk) });
    }
    const match = MEMBERSHIPS_PATH.exec(path);
    if (request.method === 'GET' && match) {
      const userId = decodeURIComponent(match[1]!);
      const serviceKeyValid = request.headers['x-service-key'] === serviceKey;
      lookups.push({ userId, serviceKeyValid });
      if (!serviceKeyValid) return sendJson(response, 401, { error: 'invalid service key' });
      switch (membershipsMode) {
        case 'down':
          return sendJson(response, 503, { error: 'memberships unavailable' });
        case 'hang':
          hanging.add(response);
          response.on('close', () => hanging.delete(response));
          return;
        case 'invalid':
          return sendJson(response, 200, { userId, memberships: 'not-a-list' });
        case 'up': {
          const body: Memberships = {
            userId,
            memberships: [...(memberships.get(userId) ?? new Map<string, string>())].map(([organizationId, role]) => ({ organizationId, role })),
          };
          return sendJson(response, 200, body);
        }
      }
    }
    sendJson(response, 404, { error: 'not found' });
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    jwksUrl: `${url}${JWKS_PATH}`,
    serviceKey,
    get signingKey() {
      return keys.at(-1)!;
    },
    get jwksFetches() {
      return jwksFetches;
    },
    get membershipLookups() {
      return lookups;
    },
    targetEnvironment: () => ({ JWKS_URL: `${url}${JWKS_PATH}`, MANA_AUTH_URL: url, MANA_SERVICE_KEY: serviceKey }),
    mint: (sub, tokenOptions) => mintToken(keys.at(-1)!, sub, tokenOptions),
    async rotateKey() {
      const key = await generateSigningKey();
      keys.push(key);
      return key;
    },
    unpublishKey(kid) {
      const index = keys.findIndex((key) => key.kid === kid);
      if (index >= 0) keys.splice(index, 1);
    },
    grant(userId, spaceId, role = 'member') {
      const spaces = memberships.get(userId) ?? new Map<string, string>();
      spaces.set(spaceId, role);
      memberships.set(userId, spaces);
    },
    revoke(userId, spaceId) {
      memberships.get(userId)?.delete(spaceId);
    },
    spacesOf: (userId) => [...(memberships.get(userId)?.keys() ?? [])],
    setMembershipsMode(mode) {
      membershipsMode = mode;
      if (mode !== 'hang') for (const response of hanging) sendJson(response, 503, { error: 'memberships unavailable' });
    },
    setJwksAvailable(available) {
      jwksAvailable = available;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
