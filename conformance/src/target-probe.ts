import type { Health } from '../../spec/generated/types.js';
import { JWKS_REFRESH_COOLDOWN_SECONDS } from '../../spec/generated/constants.js';
import type { AuthService } from './auth-service/auth-service.js';
import { targetEnvironment } from './target.js';
import { UsageError } from './usage-error.js';

function environmentLines(auth: AuthService): string {
  return Object.entries(targetEnvironment(auth))
    .map(([name, value]) => `  ${name}=${value}`)
    .join('\n');
}

/** What to print before a run against --target: the environment the target must have been started with. */
export function environmentNotice(auth: AuthService): string {
  return `The target must be started with this environment (and reach this machine's auth service):\n${environmentLines(auth)}`;
}

async function getHealth(url: string): Promise<Health | undefined> {
  let response: Response;
  try {
    response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new UsageError(`cannot reach ${url}/health (${cause?.message ?? (error as Error).message}): start the server, or fix --target`);
  }
  return response.ok ? ((await response.json().catch(() => undefined)) as Health | undefined) : undefined;
}

/**
 * Before any check: the target answers, and it trusts the suite's auth service — a token the suite
 * mints is accepted on a pull. A target that fetched another JWKS may hold it until its unknown-kid
 * cooldown passes, so a refusal is retried for that long.
 */
export async function probeTarget(url: string, auth: AuthService): Promise<Health | undefined> {
  const health = await getHealth(url);
  const cooldownSeconds = health?.limits?.jwksRefreshCooldownSeconds ?? JWKS_REFRESH_COOLDOWN_SECONDS;
  const deadline = Date.now() + (cooldownSeconds + 2) * 1000;
  const token = await auth.mint(`u-probe-${Date.now().toString(36)}`);
  let last: string;
  for (;;) {
    const response = await fetch(`${url}/sync/conformance-probe/pull?collection=probe`, {
      headers: { authorization: `Bearer ${token}`, 'x-client-id': 'conformance-probe' },
      signal: AbortSignal.timeout(5000),
    }).catch((error: Error) => {
      throw new UsageError(`cannot reach ${url} (${error.message}): start the server, or fix --target`);
    });
    if (response.ok) return health;
    last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    if (response.status !== 401 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new UsageError(
    `the target does not accept a token of the suite's auth service (GET /sync/conformance-probe/pull answered ${last}).\nRestart it with:\n${environmentLines(auth)}\nand run again (with the same --auth-port and --service-key).`,
  );
}
