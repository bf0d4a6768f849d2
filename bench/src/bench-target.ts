import type { AuthService } from '../../conformance/src/auth-service/auth-service.js';
import type { ServerProcess } from './server-process.js';

/** The server under test, the auth service it trusts, and tokens minted once per user. */
export interface BenchTarget {
  readonly url: string;
  readonly server: ServerProcess;
  readonly auth: AuthService;
  /** The PostgreSQL the server stores into. */
  readonly databaseUrl: string;
  tokenOf(userId: string): Promise<string>;
}

export function benchTarget(server: ServerProcess, auth: AuthService, databaseUrl: string): BenchTarget {
  const tokens = new Map<string, Promise<string>>();
  return {
    url: server.url,
    server,
    auth,
    databaseUrl,
    tokenOf(userId) {
      let token = tokens.get(userId);
      if (token === undefined) {
        token = auth.mint(userId, { expiresIn: 6 * 3600 });
        tokens.set(userId, token);
      }
      return token;
    },
  };
}
