import type { AuthService } from './auth-service/auth-service.js';
import { targetEnvironment, type Target } from './target.js';
import { UsageError } from './usage-error.js';

// `mana-conformance run --image`: the implementation's container image as the target. The container
// configuration is a pure plan (containerPlan), so what the suite asks of Docker is tested without
// Docker; startImageTarget carries the plan out through a ContainerRuntime, testcontainers in a run.

/** The name a container reaches the host by once testcontainers exposes host ports to it. */
export const CONTAINER_HOST_ALIAS = 'host.testcontainers.internal';
/** The PostgreSQL of --with-postgres; the newest major the reference server is tested on. */
export const POSTGRES_IMAGE = 'postgres:17-alpine';
export const POSTGRES_NETWORK_ALIAS = 'postgres';
/** Image pull and first start (migrations) can be slow on a cold CI runner. */
export const IMAGE_STARTUP_TIMEOUT_MS = 120_000;
/** Written beside report.json and named by the report's `run.image.logs`. */
export const CONTAINER_LOG_FILE = 'container.log';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ImageOptions {
  image: string;
  /** The port the image's server listens on inside the container. */
  port: number;
  /** `K=V` entries of --image-env, in order: a later entry of the same name wins. */
  env: readonly string[];
  withPostgres: boolean;
}

export interface PostgresPlan {
  image: string;
  networkAlias: string;
  database: string;
  username: string;
  password: string;
}

/** Everything the suite asks of the container runtime for one --image run. */
export interface ContainerPlan {
  image: string;
  environment: Record<string, string>;
  /** Container ports to map to free host ports. */
  exposedPorts: number[];
  /** Host ports (the suite's auth service) the container must reach at CONTAINER_HOST_ALIAS. */
  hostPorts: number[];
  wait: { path: '/health'; port: number; startupTimeoutMs: number };
  /** A network of its own, shared with the PostgreSQL container; absent without --with-postgres. */
  postgres?: PostgresPlan;
}

/** `--image-env K=V` entries as an environment; a malformed entry is a usage error naming it. */
export function parseImageEnv(entries: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = equals < 0 ? entry : entry.slice(0, equals);
    if (equals < 0 || !ENV_NAME.test(name)) throw new UsageError(`--image-env needs NAME=VALUE (a letter or _ then letters, digits, _), got "${entry}"`);
    environment[name] = entry.slice(equals + 1);
  }
  return environment;
}

/** A URL of this machine as the container sees it: loopback means the container itself in there. */
export function urlForContainer(url: string): string {
  const parsed = new URL(url);
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) return url;
  parsed.hostname = CONTAINER_HOST_ALIAS;
  const text = parsed.toString();
  // URL adds a '/' to a bare origin; keep the caller's spelling.
  return parsed.pathname === '/' && !url.endsWith('/') ? text.slice(0, -1) : text;
}

function postgresPlan(): PostgresPlan {
  return { image: POSTGRES_IMAGE, networkAlias: POSTGRES_NETWORK_ALIAS, database: 'mana_sync', username: 'mana', password: 'mana-conformance' };
}

function databaseUrl(postgres: PostgresPlan): string {
  return `postgres://${postgres.username}:${postgres.password}@${postgres.networkAlias}:5432/${postgres.database}`;
}

/**
 * The container configuration of a run: the target environment of the suite's auth service with
 * its URLs rewritten for the container, PORT, DATABASE_URL with --with-postgres, then --image-env
 * (which overrides any of them: the user knows their image).
 */
export function containerPlan(options: ImageOptions, auth: Pick<AuthService, 'url' | 'targetEnvironment'>): ContainerPlan {
  const suite = Object.fromEntries(Object.entries(targetEnvironment(auth)).map(([name, value]) => [name, name.endsWith('_URL') ? urlForContainer(value) : value]));
  const postgres = options.withPostgres ? postgresPlan() : undefined;
  return {
    image: options.image,
    environment: {
      ...suite,
      PORT: String(options.port),
      ...(postgres ? { DATABASE_URL: databaseUrl(postgres) } : {}),
      ...parseImageEnv(options.env),
    },
    exposedPorts: [options.port],
    hostPorts: [Number(new URL(auth.url).port)],
    wait: { path: '/health', port: options.port, startupTimeoutMs: IMAGE_STARTUP_TIMEOUT_MS },
    ...(postgres ? { postgres } : {}),
  };
}

/** A started container or network: how to let it go, and what it printed so far. */
export interface RunningPart {
  readonly label: string;
  logs(): string;
  stop(): Promise<void>;
}

/** What startImageTarget needs of a container runtime; testcontainersRuntime() in a run, a fake in tests. */
export interface ContainerRuntime {
  /** undefined when a container engine answers, else why not. */
  probe(): Promise<string | undefined>;
  exposeHostPorts(ports: readonly number[]): Promise<void>;
  startNetwork(): Promise<RunningPart & { name: string }>;
  startPostgres(plan: PostgresPlan, network: string): Promise<RunningPart>;
  startServer(plan: ContainerPlan, network: string | undefined): Promise<RunningPart & { url: string }>;
}

/** The single line a run without a container engine ends with. */
export function noRuntimeMessage(reason: string): string {
  return `mana-conformance: --image needs a Docker engine (none found: ${reason}); use --target URL against a server you start yourself`;
}

/**
 * Stops the containers when the run is interrupted (Ctrl-C, a CI cancel), then exits 130: a
 * listener replaces Node's default exit, so without one the containers would outlive the run until
 * the reaper notices. The first signal removes the handlers: a second Ctrl-C during the cleanup
 * exits at once.
 */
export function exitAfterCleanupOnSignal(exit: (code: number) => void = (code) => process.exit(code), stderr: NodeJS.WritableStream = process.stderr) {
  return (cleanup: () => Promise<void>): (() => void) => {
    const remove = () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
    function handler(signal: NodeJS.Signals) {
      remove();
      stderr.write(`mana-conformance: ${signal}: removing the containers\n`);
      void cleanup().finally(() => exit(130));
    }
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return remove;
  };
}

export interface ImageTargetDeps {
  runtime: ContainerRuntime;
  /** Installs the interrupt cleanup and returns how to remove it. */
  onInterrupt?: (cleanup: () => Promise<void>) => () => void;
}

/** An --image target: it always has its containers' logs for the report. */
export type ImageTarget = Target & { logs(): string };

/**
 * Starts the plan's containers (network, PostgreSQL, then the server, waiting for /health). Whatever
 * fails, whatever interrupts, every part started so far is stopped, newest first, exactly once.
 */
export async function startImageTarget(plan: ContainerPlan, deps: ImageTargetDeps): Promise<ImageTarget> {
  const { runtime } = deps;
  const parts: RunningPart[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const part of [...parts].reverse()) await part.stop().catch(() => undefined);
    })());
  const removeInterrupt = (deps.onInterrupt ?? exitAfterCleanupOnSignal())(stopAll);
  const logs = () => parts.filter((part) => part.logs() !== '').map((part) => `===== ${part.label} =====\n${part.logs()}`).join('\n');
  try {
    await runtime.exposeHostPorts(plan.hostPorts);
    let network: string | undefined;
    if (plan.postgres) {
      const started = await runtime.startNetwork();
      parts.push(started);
      network = started.name;
      parts.push(await runtime.startPostgres(plan.postgres, network));
    }
    const server = await runtime.startServer(plan, network);
    parts.push(server);
    return {
      url: server.url,
      kind: 'image',
      logs,
      async close() {
        removeInterrupt();
        await stopAll();
      },
    };
  } catch (error) {
    removeInterrupt();
    await stopAll();
    throw new UsageError(`the image ${plan.image} did not start (${(error as Error).message})${logs() ? `; its output:\n${logs()}` : ''}`);
  }
}

/** Collects a container's output from its start; the stream ends when the container stops. */
function collectLogs(stream: NodeJS.ReadableStream): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer | string) => chunks.push(chunk.toString()));
  stream.on('error', () => undefined);
  return () => chunks.join('');
}

// testcontainers takes half a second to load: only --image runs pay for it.
async function loadTestcontainers() {
  try {
    return { ...(await import('testcontainers')), ...(await import('@testcontainers/postgresql')) };
  } catch (error) {
    throw new UsageError(`--image needs the testcontainers and @testcontainers/postgresql packages (${(error as Error).message})`);
  }
}

/** The real runtime: testcontainers over the Docker engine it finds (DOCKER_HOST, the socket, ...). */
export async function testcontainersRuntime(): Promise<ContainerRuntime> {
  const tc = await loadTestcontainers();
  return {
    async probe() {
      try {
        await tc.getContainerRuntimeClient();
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
    exposeHostPorts: (ports) => tc.TestContainers.exposeHostPorts(...ports),
    async startNetwork() {
      const network = await new tc.Network().start();
      return { label: `network ${network.getName()}`, name: network.getName(), logs: () => '', stop: async () => void (await network.stop()) };
    },
    async startPostgres(plan, network) {
      const started = await new tc.PostgreSqlContainer(plan.image)
        .withDatabase(plan.database)
        .withUsername(plan.username)
        .withPassword(plan.password)
        .withNetworkMode(network)
        .withNetworkAliases(plan.networkAlias)
        .start();
      const logs = collectLogs(await started.logs());
      return { label: plan.image, logs, stop: async () => void (await started.stop()) };
    },
    async startServer(plan, network) {
      let container = new tc.GenericContainer(plan.image)
        .withEnvironment(plan.environment)
        .withExposedPorts(...plan.exposedPorts)
        .withWaitStrategy(tc.Wait.forHttp(plan.wait.path, plan.wait.port))
        .withStartupTimeout(plan.wait.startupTimeoutMs);
      if (network !== undefined) container = container.withNetworkMode(network);
      const started = await container.start();
      const logs = collectLogs(await started.logs());
      return {
        label: plan.image,
        url: `http://${started.getHost()}:${started.getMappedPort(plan.wait.port)}`,
        logs,
        stop: async () => void (await started.stop()),
      };
    },
  };
}
