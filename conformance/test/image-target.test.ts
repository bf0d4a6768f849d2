import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../reference-server/src/app.js';
import { configFromEnvironment } from '../../reference-server/src/config.js';
import { startAuthService, type AuthService } from '../src/auth-service/auth-service.js';
import { parseRunOptions } from '../src/cli-options.js';
import {
  CONTAINER_HOST_ALIAS,
  CONTAINER_LOG_FILE,
  containerPlan,
  exitAfterCleanupOnSignal,
  IMAGE_STARTUP_TIMEOUT_MS,
  noRuntimeMessage,
  parseImageEnv,
  POSTGRES_IMAGE,
  startImageTarget,
  testcontainersRuntime,
  urlForContainer,
  type ContainerPlan,
  type ContainerRuntime,
} from '../src/image-target.js';
import { runCommand } from '../src/run-command.js';
import { SUITE_ORIGIN } from '../src/target.js';
import { UsageError } from '../src/usage-error.js';
import { cli } from './support/cli-process.js';

const REPO_ROOT = new URL('../..', import.meta.url).pathname;

/** Writable stand-in for stdout/stderr that keeps what was written. */
function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

/** A container runtime that records what it is asked to start and stop, and fails where told. */
function fakeRuntime(options: { absent?: string; failServer?: Error; server?: (plan: ContainerPlan) => Promise<{ url: string; stop: () => Promise<void> }> } = {}) {
  const events: string[] = [];
  const plans: ContainerPlan[] = [];
  const part = (label: string, stop: () => Promise<void> = () => Promise.resolve(), output = `${label} says hello\n`) => ({
    label,
    logs: () => output,
    async stop() {
      events.push(`stop ${label}`);
      await stop();
    },
  });
  const runtime: ContainerRuntime = {
    probe: () => Promise.resolve(options.absent),
    exposeHostPorts(ports) {
      events.push(`expose ${ports.join(',')}`);
      return Promise.resolve();
    },
    startNetwork() {
      events.push('start network');
      return Promise.resolve({ ...part('network', undefined, ''), name: 'net-1' });
    },
    startPostgres(plan, network) {
      events.push(`start ${plan.image} on ${network}`);
      return Promise.resolve(part(plan.image));
    },
    async startServer(plan, network) {
      events.push(`start ${plan.image}${network ? ` on ${network}` : ''}`);
      plans.push(plan);
      if (options.failServer) throw options.failServer;
      const started = options.server ? await options.server(plan) : { url: 'http://127.0.0.1:1', stop: () => Promise.resolve() };
      return { ...part(plan.image, started.stop), url: started.url };
    },
  };
  return { runtime, events, plans };
}

/** Stands in for process.exit: resolves with the code. */
function exitRecorder(): { resolve: (code: number) => void; promise: Promise<number> } {
  let resolve!: (code: number) => void;
  const promise = new Promise<number>((done) => (resolve = done));
  return { resolve, promise };
}

/** The handler a test triggers in place of a real signal. */
function fakeInterrupt() {
  let cleanup: (() => Promise<void>) | undefined;
  let removed = false;
  return {
    onInterrupt: (stop: () => Promise<void>) => {
      cleanup = stop;
      return () => void (removed = true);
    },
    interrupt: () => cleanup!(),
    removed: () => removed,
  };
}

let auth: AuthService;
beforeAll(async () => {
  auth = await startAuthService({ serviceKey: 'key-for-image-tests' });
});
afterAll(async () => auth?.close());

const authPort = () => Number(new URL(auth.url).port);
const baseOptions = { image: 'ghcr.io/acme/sync:1.2', port: 3050, env: [] as string[], withPostgres: false };

describe('--image: the container configuration (pure, no Docker needed)', () => {
  it('passes the suite\'s auth service with its URLs rewritten for the container, PORT, one mapped port and a /health wait', () => {
    const plan = containerPlan(baseOptions, auth);
    expect(plan).toEqual({
      image: 'ghcr.io/acme/sync:1.2',
      environment: {
        JWKS_URL: `http://${CONTAINER_HOST_ALIAS}:${authPort()}/api/auth/jwks`,
        MANA_AUTH_URL: `http://${CONTAINER_HOST_ALIAS}:${authPort()}`,
        MANA_SERVICE_KEY: 'key-for-image-tests',
        CORS_ORIGINS: SUITE_ORIGIN,
        PORT: '3050',
      },
      exposedPorts: [3050],
      hostPorts: [authPort()],
      wait: { path: '/health', port: 3050, startupTimeoutMs: IMAGE_STARTUP_TIMEOUT_MS },
    });
  });

  it('--image-port moves the mapped port, the wait and PORT together', () => {
    const plan = containerPlan({ ...baseOptions, port: 8080 }, auth);
    expect(plan.exposedPorts).toEqual([8080]);
    expect(plan.wait.port).toBe(8080);
    expect(plan.environment.PORT).toBe('8080');
  });

  it('--with-postgres adds PostgreSQL on a network of their own and a DATABASE_URL that names it by its alias', () => {
    const plan = containerPlan({ ...baseOptions, withPostgres: true }, auth);
    expect(plan.postgres).toEqual({ image: POSTGRES_IMAGE, networkAlias: 'postgres', database: 'mana_sync', username: 'mana', password: 'mana-conformance' });
    expect(plan.environment.DATABASE_URL).toBe('postgres://mana:mana-conformance@postgres:5432/mana_sync');
    expect(containerPlan(baseOptions, auth).environment).not.toHaveProperty('DATABASE_URL');
  });

  it('--image-env adds variables and overrides the suite\'s, a later entry winning; values keep "=" and commas', () => {
    const plan = containerPlan({ ...baseOptions, withPostgres: true, env: ['LOG_LEVEL=debug', 'DATABASE_URL=postgres://elsewhere/db', 'CORS_ORIGINS=a,b', 'EMPTY=', 'LOG_LEVEL=warn', 'TOKEN=a=b'] }, auth);
    expect(plan.environment).toMatchObject({ LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://elsewhere/db', CORS_ORIGINS: 'a,b', EMPTY: '', TOKEN: 'a=b' });
  });

  it.each(['NOVALUE', '=x', '1ABC=x', 'A-B=x', ''])('--image-env refuses %j with a usage error naming it', (entry) => {
    expect(() => parseImageEnv([entry])).toThrow(UsageError);
    expect(() => parseImageEnv([entry])).toThrow(`got "${entry}"`);
  });

  it('only loopback URLs are rewritten: a host the container can reach already stays as given', () => {
    expect(urlForContainer('http://127.0.0.1:3051')).toBe(`http://${CONTAINER_HOST_ALIAS}:3051`);
    expect(urlForContainer('http://localhost:3051/api/auth/jwks')).toBe(`http://${CONTAINER_HOST_ALIAS}:3051/api/auth/jwks`);
    expect(urlForContainer('http://[::1]:3051/')).toBe(`http://${CONTAINER_HOST_ALIAS}:3051/`);
    expect(urlForContainer('https://auth.example.com/api/auth/jwks')).toBe('https://auth.example.com/api/auth/jwks');
  });

  it('the options: --image with its port, repeated --image-env kept whole, --with-postgres; mistakes are usage errors', () => {
    expect(parseRunOptions(['--image', 'acme/sync:1', '--image-port', '8080', '--image-env', 'A=1,2', '--image-env', 'B=3', '--with-postgres'])).toMatchObject({
      image: 'acme/sync:1',
      imagePort: 8080,
      imageEnv: ['A=1,2', 'B=3'],
      withPostgres: true,
    });
    expect(parseRunOptions(['--image', 'acme/sync:1'])).toMatchObject({ imagePort: 3050, imageEnv: [], withPostgres: false });
    expect(() => parseRunOptions(['--image', 'a', '--target', 'http://localhost:3050'])).toThrow('--image and --target name two targets');
    expect(() => parseRunOptions(['--with-postgres', '--image-env', 'A=1'])).toThrow('--with-postgres, --image-env need --image');
    expect(() => parseRunOptions(['--image-port', '8080'])).toThrow('--image-port needs --image');
    expect(() => parseRunOptions(['--image', 'a', '--image-port', '0'])).toThrow('--image-port must be a port number');
    expect(() => parseRunOptions(['--image', 'a', '--image-env', 'oops'])).toThrow('--image-env needs NAME=VALUE');
  });
});

describe('--image: starting and removing the containers (a fake runtime records them)', () => {
  it('starts network, PostgreSQL, then the server; close stops them newest first, once', async () => {
    const { runtime, events } = fakeRuntime();
    const interrupt = fakeInterrupt();
    const target = await startImageTarget(containerPlan({ ...baseOptions, withPostgres: true }, auth), { runtime, onInterrupt: interrupt.onInterrupt });
    expect(target).toMatchObject({ url: 'http://127.0.0.1:1', kind: 'image' });
    expect(target.logs()).toContain(`===== ${POSTGRES_IMAGE} =====\n${POSTGRES_IMAGE} says hello`);
    expect(target.logs()).toContain('===== ghcr.io/acme/sync:1.2 =====\nghcr.io/acme/sync:1.2 says hello');
    await target.close();
    await target.close();
    expect(events).toEqual([
      `expose ${authPort()}`,
      'start network',
      `start ${POSTGRES_IMAGE} on net-1`,
      'start ghcr.io/acme/sync:1.2 on net-1',
      'stop ghcr.io/acme/sync:1.2',
      `stop ${POSTGRES_IMAGE}`,
      'stop network',
    ]);
    expect(interrupt.removed()).toBe(true);
  });

  it('without --with-postgres only the server starts, on the default network', async () => {
    const { runtime, events } = fakeRuntime();
    const target = await startImageTarget(containerPlan(baseOptions, auth), { runtime, onInterrupt: fakeInterrupt().onInterrupt });
    await target.close();
    expect(events).toEqual([`expose ${authPort()}`, 'start ghcr.io/acme/sync:1.2', 'stop ghcr.io/acme/sync:1.2']);
  });

  it('a server that never becomes healthy: what started is removed and the error says why, with the output so far', async () => {
    const { runtime, events } = fakeRuntime({ failServer: new Error('Health check not healthy after 120000ms') });
    const interrupt = fakeInterrupt();
    const started = startImageTarget(containerPlan({ ...baseOptions, withPostgres: true }, auth), { runtime, onInterrupt: interrupt.onInterrupt });
    await expect(started).rejects.toThrow(UsageError);
    await expect(started).rejects.toThrow(/the image ghcr\.io\/acme\/sync:1\.2 did not start \(Health check not healthy after 120000ms\); its output:\n===== postgres:17-alpine =====\npostgres:17-alpine says hello\n$/);
    expect(events.filter((event) => event.startsWith('stop'))).toEqual([`stop ${POSTGRES_IMAGE}`, 'stop network']);
    expect(interrupt.removed()).toBe(true);
  });

  it('Ctrl-C (SIGINT) during a run removes every container, then exits 130; the handler is gone after close', async () => {
    const { runtime, events } = fakeRuntime();
    const exited = exitRecorder();
    const stderr = capture();
    const before = process.listenerCount('SIGINT');
    const target = await startImageTarget(containerPlan({ ...baseOptions, withPostgres: true }, auth), {
      runtime,
      onInterrupt: exitAfterCleanupOnSignal((code) => exited.resolve(code), stderr.stream),
    });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT', 'SIGINT');
    expect(await exited.promise).toBe(130);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(stderr.text()).toBe('mana-conformance: SIGINT: removing the containers\n');
    expect(events.filter((event) => event.startsWith('stop'))).toEqual(['stop ghcr.io/acme/sync:1.2', `stop ${POSTGRES_IMAGE}`, 'stop network']);
    await target.close();
    expect(events.filter((event) => event.startsWith('stop'))).toHaveLength(3);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('SIGTERM (a cancelled CI job) removes them too', async () => {
    const { runtime, events } = fakeRuntime();
    const exited = exitRecorder();
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const target = await startImageTarget(containerPlan(baseOptions, auth), { runtime, onInterrupt: exitAfterCleanupOnSignal((code) => exited.resolve(code), capture().stream) });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited.promise).toBe(130);
    expect(events).toContain('stop ghcr.io/acme/sync:1.2');
    // Either signal takes both handlers away: a second Ctrl-C during the cleanup exits at once.
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    await target.close();
  });
});

describe('mana-conformance run --image (the command)', () => {
  it('without a container engine: exit 2 and one line saying so, before anything starts', async () => {
    const { runtime, events } = fakeRuntime({ absent: 'Could not find a working container runtime strategy' });
    const stdout = capture();
    const stderr = capture();
    const code = await runCommand(parseRunOptions(['--image', 'acme/sync:1', '--only', 'OPS-1']), { stdout: stdout.stream, stderr: stderr.stream, containerRuntime: () => Promise.resolve(runtime) });
    expect(code).toBe(2);
    expect(stderr.text()).toBe(`${noRuntimeMessage('Could not find a working container runtime strategy')}\n`);
    expect(stderr.text()).toBe(
      'mana-conformance: --image needs a Docker engine (none found: Could not find a working container runtime strategy); use --target URL against a server you start yourself\n',
    );
    expect(stdout.text()).toBe('');
    expect(events).toEqual([]);
  });

  it('runs the checks against the container\'s URL, writes its logs beside the reports, names them in report.json, and removes it', async () => {
    // The "container" is the reference server in-process, configured only from the plan's environment
    // (host alias turned back into loopback): the environment the suite builds is enough to trust it.
    const { runtime, events, plans } = fakeRuntime({
      server: async (plan) => {
        const environment = Object.fromEntries(Object.entries(plan.environment).map(([name, value]) => [name, value.replace(CONTAINER_HOST_ALIAS, '127.0.0.1')]));
        const server = await buildServer(configFromEnvironment({ ...environment, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
        return { url: (await server.listen()).replace(/\/+$/, ''), stop: () => server.close() };
      },
    });
    const reportDir = mkdtempSync(join(tmpdir(), 'conformance-image-'));
    const stdout = capture();
    const code = await runCommand(parseRunOptions(['--image', 'acme/sync:1', '--image-env', 'LOG_LEVEL=silent', '--only', 'OPS-1', '--report-dir', reportDir]), {
      stdout: stdout.stream,
      stderr: capture().stream,
      containerRuntime: () => Promise.resolve(runtime),
    });
    expect(code, stdout.text()).toBe(0);
    expect(plans[0]!.environment.LOG_LEVEL).toBe('silent');
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { run: { targetKind: string; image: unknown } };
    expect(report.run).toMatchObject({ targetKind: 'image', image: { name: 'acme/sync:1', logs: CONTAINER_LOG_FILE } });
    expect(readFileSync(join(reportDir, CONTAINER_LOG_FILE), 'utf8')).toBe('===== acme/sync:1 =====\nacme/sync:1 says hello\n');
    expect(events.at(-1)).toBe('stop acme/sync:1');
  });

  it('ERR-3 a SHOULD the target does not meet is printed as NON-STRICT, counted in the closing line, and leaves exit 0', async () => {
    const { runtime } = fakeRuntime({
      server: async (plan) => {
        const environment = Object.fromEntries(Object.entries(plan.environment).map(([name, value]) => [name, value.replace(CONTAINER_HOST_ALIAS, '127.0.0.1')]));
        const server = await buildServer(configFromEnvironment({ ...environment, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
        // Every error cites a requirement, but not the one the table gives its code (ERR-3, a SHOULD).
        server.app.addHook('onSend', async (_request, reply, payload) => {
          if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
          return payload.replace(/"requirement":"[A-Z]+-\d+"/, '"requirement":"OPS-1"');
        });
        return { url: (await server.listen()).replace(/\/+$/, ''), stop: () => server.close() };
      },
    });
    const stdout = capture();
    const code = await runCommand(parseRunOptions(['--image', 'acme/sync:1', '--only', 'ERR-3', '--report-dir', mkdtempSync(join(tmpdir(), 'conformance-image-'))]), {
      stdout: stdout.stream,
      stderr: capture().stream,
      containerRuntime: () => Promise.resolve(runtime),
    });
    expect(code, stdout.text()).toBe(0);
    expect(stdout.text()).toMatch(/^NON-STRICT ERR-3 \(SHOULD\) Errors cite their requirement: expected .+, got .*OPS-1/m);
    expect(stdout.text().trim().split('\n').at(-1)).toMatch(/^0 passed, 0 failed, 1 non-strict, \d+ skipped, \d+ not checked$/);
  });

  it('a container that does not trust the suite\'s tokens is removed, and the error carries its output', async () => {
    const { runtime, events } = fakeRuntime({
      server: async () => {
        // A server that trusts another auth service: every token of the suite is refused.
        const server = await buildServer(configFromEnvironment({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', JWKS_URL: 'http://127.0.0.1:9/jwks', JWKS_REFRESH_COOLDOWN_SECONDS: '1' }));
        return { url: (await server.listen()).replace(/\/+$/, ''), stop: () => server.close() };
      },
    });
    const run = runCommand(parseRunOptions(['--image', 'acme/sync:1', '--only', 'OPS-1', '--report-dir', mkdtempSync(join(tmpdir(), 'conformance-image-'))]), {
      stdout: capture().stream,
      stderr: capture().stream,
      containerRuntime: () => Promise.resolve(runtime),
    });
    await expect(run).rejects.toThrow(/does not accept a token of the suite's auth service[\s\S]*Output of the containers:\n===== acme\/sync:1 =====/);
    expect(events.at(-1)).toBe('stop acme/sync:1');
  });
});

// Probed once: where an engine answers, the real image is built and run; here, the skip says so.
const runtimeAbsent = await testcontainersRuntime().then((runtime) => runtime.probe());
if (runtimeAbsent !== undefined) console.warn(`image-target.test.ts: no container runtime: skipped (${runtimeAbsent}); the --image integration tests need a Docker engine`);

describe('--image against a real Docker engine', () => {
  it.skipIf(runtimeAbsent === undefined)('without an engine, the real command exits 2 with exactly one line on stderr', async () => {
    const { code, stdout, stderr } = await cli(['run', '--image', 'mana-sync-reference:conformance-test']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${noRuntimeMessage(runtimeAbsent!)}\n`);
  });

  it.skipIf(runtimeAbsent !== undefined)(`${runtimeAbsent === undefined ? '' : 'no container runtime: skipped — '}builds reference-server/Dockerfile, runs the suite against it with --with-postgres, and leaves no container behind`, async () => {
    const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers');
    const tag = 'mana-sync-reference:conformance-test';
    await GenericContainer.fromDockerfile(REPO_ROOT, 'reference-server/Dockerfile').build(tag, { deleteOnExit: true });
    const reportDir = mkdtempSync(join(tmpdir(), 'conformance-image-'));
    const { code, stdout, stderr } = await cli(['run', '--image', tag, '--with-postgres', '--image-env', 'MEMBERSHIP_CACHE_TTL_SECONDS=1', '--image-env', 'JWKS_REFRESH_COOLDOWN_SECONDS=1', '--report-dir', reportDir], 600_000);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(readFileSync(join(reportDir, CONTAINER_LOG_FILE), 'utf8')).toContain(`===== ${tag} =====`);
    const client = await getContainerRuntimeClient();
    const left = (await client.container.list()).filter((container) => container.Image === tag || container.Image === POSTGRES_IMAGE);
    expect(left).toEqual([]);
  }, 900_000);
});
