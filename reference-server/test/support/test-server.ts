import { startAuthService, type AuthService } from '../../../conformance/src/auth-service/auth-service.js';
import { buildServer, type ServerDeps, type SyncServer } from '../../src/app.js';
import { configFromEnvironment, type VariableName } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { settle, type ServerDatabaseTarget, type TestDatabase } from './database-targets.js';

/** A reference server on an ephemeral port with its own schema, trusting its own auth service. */
export interface TestServer {
  readonly url: string;
  readonly server: SyncServer;
  readonly auth: AuthService;
  readonly database: TestDatabase;
  /** Awaits that everything committed so far is readable (see settle in database-targets.ts). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Environment on top of the auth service's and the test defaults. */
  readonly env?: Partial<Record<VariableName, string>>;
  readonly deps?: Omit<ServerDeps, 'database'>;
  /** An auth service to share (several servers trusting one); a fresh one otherwise. */
  readonly auth?: AuthService;
  /** Puts something between the server and its database, e.g. to inject an outage. */
  readonly wrapDatabase?: (db: Database) => Database;
}

export async function startTestServer(target: ServerDatabaseTarget, options: TestServerOptions = {}): Promise<TestServer> {
  const auth = options.auth ?? (await startAuthService());
  const database = await target.open();
  const config = configFromEnvironment({
    ...auth.targetEnvironment(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_SCHEMA: database.layout.schema,
    DATABASE_APP_ROLE: database.layout.appRole,
    ...options.env,
  });
  const server = await buildServer(config, { ...options.deps, database: options.wrapDatabase?.(database.db) ?? database.db });
  const url = await server.listen();
  return {
    url,
    server,
    auth,
    database,
    settle: () => settle(database.db),
    async close() {
      await server.close();
      await database.dispose();
      if (options.auth === undefined) await auth.close();
    },
  };
}
