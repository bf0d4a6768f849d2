import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { REFERENCE_SHORT_PERIODS } from '../src/reference-target.js';

/** A reference server of a repository copy, started as a process on PostgreSQL, and how the suite reaches it. */
export interface PostgresServer {
  /** `mana-conformance run` arguments that point the suite at it. */
  readonly suiteArgs: readonly string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts `reference-server/bin/mana-sync-server.js` of the copy on PostgreSQL, in a schema of its
 * own (dropped by stop()), trusting the auth service the suite will start on `--auth-port`. The
 * in-process target of `mana-conformance run` is always PGlite, whose transactions run one after
 * another: a bug that needs two transactions open at once (a cursor read past the xmin horizon) can
 * only show here. The short periods are those reference-target.ts starts the in-process server with.
 */
export async function startPostgresServer(repository: string, databaseUrl: string, timeoutMs: number): Promise<PostgresServer> {
  const [port, authPort] = [await freePort(), await freePort()];
  const schema = `mutant_${randomBytes(6).toString('hex')}`;
  const serviceKey = `mutants-${randomBytes(12).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, ['reference-server/bin/mana-sync-server.js'], {
    cwd: repository,
    // stdout is read to the end (its lines after the start are dropped), so logging never blocks the server.
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      JWKS_URL: `http://127.0.0.1:${authPort}/api/auth/jwks`,
      MANA_AUTH_URL: `http://127.0.0.1:${authPort}`,
      MANA_SERVICE_KEY: serviceKey,
      CORS_ORIGINS: 'http://conformance.mana-sync.invalid',
      ...REFERENCE_SHORT_PERIODS,
      LOG_LEVEL: 'info',
    },
  });
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  const url = `http://127.0.0.1:${port}`;
  // fastify logs "Server listening at …" once the port is open: awaited, with the timeout as a failure bound.
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<void>((resolve) => lines.on('line', (line) => line.includes('Server listening at') && resolve()));
  const bound = AbortSignal.timeout(timeoutMs);
  const outcome = await Promise.race([
    listening.then(() => 'listening' as const),
    exited.then(() => 'exited' as const),
    once(bound, 'abort').then(() => 'timeout' as const),
  ]);
  if (outcome !== 'listening') {
    await stop();
    throw new Error(outcome === 'exited' ? `the patched server exited with status ${child.exitCode} before listening` : `the patched server did not listen within ${Math.round(timeoutMs / 1000)} s`);
  }
  return { suiteArgs: ['--target', url, '--auth-port', String(authPort), '--service-key', serviceKey], stop };
}
