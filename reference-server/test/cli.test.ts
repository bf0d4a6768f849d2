import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validatorFor } from '../../spec/src/schema-registry.js';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';
import { openPgDatabase } from '../src/db/pg-database.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';

const BIN = fileURLToPath(new URL('../bin/mana-sync-server.js', import.meta.url));

/** The environment of a user who configured nothing: no DATABASE_URL, nothing of the server's variables. */
function bareEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const { name } of ENVIRONMENT_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

function start(args: string[], env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: bareEnvironment(env) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the process's output, as soon as it appears. */
function waitForOutput(child: ChildProcessWithoutNullStreams, output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output());
      if (match !== null) {
        child.stdout.off('data', check);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', () => reject(new Error(`exited before printing ${String(pattern)}:\n${output()}`)));
    check();
  });
}

describe('the mana-sync-server command', () => {
  it('OPS-9 --help lists every configuration variable with its default', async () => {
    const { output, exited } = start(['--help'], {});
    expect(await exited).toBe(0);
    for (const { name } of ENVIRONMENT_VARIABLES) expect(output()).toContain(name);
    expect(output()).toContain('[3050]');
  });

  it('OPS-9 a configuration error exits 2 naming the variable', async () => {
    const { output, exited } = start([], { PORT: 'eighty' });
    expect(await exited).toBe(2);
    expect(output()).toContain('PORT');
  });

  it('OPS-1 OPS-7 with no configuration it starts on PGlite in memory, says so, answers /health, and exits 0 on SIGTERM', async () => {
    const { child, output, exited } = start([], { PORT: '0', HOST: '127.0.0.1' });
    try {
      const [, url] = await waitForOutput(child, output, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      expect(output()).toContain('embedded PGlite in memory');
      const health = await fetch(`${url!}/health`);
      expect(health.status).toBe(200);
      expect(validatorFor('health')(await health.json())).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.skipIf(POSTGRES_URL === undefined)(`OPS-9 with DATABASE_URL it uses PostgreSQL and says so${POSTGRES_URL === undefined ? ` (${POSTGRES_SKIP_MESSAGE})` : ''}`, async () => {
    const { schema } = serverDatabaseTargets()[0]!.freshLayout();
    const { child, output, exited } = start([], { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: POSTGRES_URL!, DATABASE_SCHEMA: schema });
    try {
      const [, url] = await waitForOutput(child, output, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      expect(output()).toMatch(/storage: PostgreSQL at [^ ]+:5432\//);
      expect(output()).not.toContain('postgres@');
      expect((await fetch(`${url!}/health`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      const db = openPgDatabase(POSTGRES_URL!);
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    }
  });

  it('SPACE-14 refuses to start, with a clear message, when requests would run as a superuser', async () => {
    const { output, exited } = start([], { PORT: '0', HOST: '127.0.0.1', DATABASE_APP_ROLE: 'postgres' });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/row-level security would not bind, refusing to start: role postgres is a superuser/);
  });
});
