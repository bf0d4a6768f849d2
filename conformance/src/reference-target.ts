import type { buildServer as BuildServer } from '../../reference-server/src/app.js';
import type { configFromEnvironment as ConfigFromEnvironment } from '../../reference-server/src/config.js';
import type { AuthService } from './auth-service/auth-service.js';
import { targetEnvironment, type Target } from './target.js';
import { UsageError } from './usage-error.js';

// Loaded when a run needs it, so that a reference server that does not load (while it is being
// written, or broken in a local copy) leaves --list and --target usable, and says so plainly.
const REFERENCE_APP = '../../reference-server/src/app.js';
const REFERENCE_CONFIG = '../../reference-server/src/config.js';

async function loadReferenceServer(): Promise<{ buildServer: typeof BuildServer; configFromEnvironment: typeof ConfigFromEnvironment }> {
  try {
    const { buildServer } = (await import(REFERENCE_APP)) as { buildServer: typeof BuildServer };
    const { configFromEnvironment } = (await import(REFERENCE_CONFIG)) as { configFromEnvironment: typeof ConfigFromEnvironment };
    return { buildServer, configFromEnvironment };
  } catch (error) {
    throw new UsageError(`the reference server cannot be started in-process (${(error as Error).message}); start a mana-sync server yourself and pass --target URL`);
  }
}

/**
 * Short periods the spec allows, which keep the AUTH-8 rotation, SPACE-8 revocation, WS-3 deadline
 * and WS-13 keepalive checks quick (the suite reads them from /health). The reference server is
 * started with them wherever the suite starts it.
 */
export const REFERENCE_SHORT_PERIODS = {
  JWKS_REFRESH_COOLDOWN_SECONDS: '1',
  MEMBERSHIP_CACHE_TTL_SECONDS: '1',
  WS_PING_INTERVAL_SECONDS: '2',
  WS_AUTH_TIMEOUT_SECONDS: '3',
} as const;

/** Starts the reference server on embedded in-memory PGlite, trusting `auth`, on a free port. */
export async function startReferenceTarget(auth: AuthService): Promise<Target> {
  const { buildServer, configFromEnvironment } = await loadReferenceServer();
  const config = configFromEnvironment({
    ...targetEnvironment(auth),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...REFERENCE_SHORT_PERIODS,
  });
  const server = await buildServer(config);
  const url = await server.listen();
  return { url: url.replace(/\/+$/, ''), kind: 'reference', close: () => server.close() };
}
