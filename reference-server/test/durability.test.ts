import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type AuthService } from '../../conformance/src/auth-service/auth-service.js';
import { buildServer } from '../src/app.js';
import { configFromEnvironment, type VariableName } from '../src/config.js';
import { openPgDatabase } from '../src/db/pg-database.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets, settle } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { SyncTestClient } from './support/sync-client.js';

if (POSTGRES_URL === undefined) console.warn(`durability.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

// PUSH-17: what a server acknowledged, a restarted server still returns. Each server here opens its
// database from configuration, as `mana-sync-server` does: PGlite in a data directory, or PostgreSQL.
describe('an acknowledged push survives a restart', () => {
  let auth: AuthService;
  let dataDir: string;
  beforeAll(async () => {
    auth = await startAuthService();
    dataDir = await mkdtemp(join(tmpdir(), 'mana-sync-pglite-'));
  });
  afterAll(async () => {
    await auth?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const restartCases: Array<{ label: string; env: () => Partial<Record<VariableName, string>>; skip: boolean }> = [
    { label: 'PGlite on disk (PGLITE_DATA_DIR)', env: () => ({ PGLITE_DATA_DIR: dataDir }), skip: false },
    { label: 'PostgreSQL (DATABASE_URL)', env: () => ({ DATABASE_URL: POSTGRES_URL ?? '' }), skip: POSTGRES_URL === undefined },
  ];

  for (const { label, env, skip } of restartCases) {
    it.skipIf(skip)(`PUSH-17 on ${label}${skip ? ` (${POSTGRES_SKIP_MESSAGE})` : ''}`, async () => {
      const { schema } = serverDatabaseTargets()[0]!.freshLayout();
      const start = async () => {
        const config = configFromEnvironment({ ...auth.targetEnvironment(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_SCHEMA: schema, ...env() });
        const server = await buildServer(config);
        const url = await server.listen();
        return { server, client: await SyncTestClient.of({ url, auth, settle: () => settle(server.context.db) }, 'alice', 'laptop') };
      };
      const app = freshAppId();
      try {
        const first = await start();
        expect(first.server.context.db.kind).toBe(env().DATABASE_URL === undefined ? 'pglite-disk' : 'postgresql');
        await first.client.mustPush(app, { changes: [{ table: 'tasks', id: 'kept', op: 'insert', data: { title: 'x' } }] });
        await first.server.close();
        const second = await start();
        const pulled = await second.client.device('phone').pullAll(app, 'tasks');
        expect(pulled.changes.map((change) => change.id)).toEqual(['kept']);
        await second.server.close();
      } finally {
        if (env().DATABASE_URL !== undefined && POSTGRES_URL !== undefined) {
          const db = openPgDatabase(POSTGRES_URL);
          await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await db.close();
        }
      }
    });
  }
});
