import { UsageError } from '../../conformance/src/usage-error.js';
import type { DeploymentUsers } from './scenario-setting.js';

async function reach(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new UsageError(`cannot reach ${url} (${cause?.message ?? (error as Error).message}): start the server, or fix --target`);
  }
}

/**
 * Before a scenario runs against a deployment: it answers, and it accepts both tokens on a pull. A
 * token it refuses would fail every step for a reason that is not the server's protocol, so it is a
 * usage error that says which token.
 */
export async function probeDeployment(url: string, users: DeploymentUsers): Promise<void> {
  await (await reach(`${url}/health`)).arrayBuffer();
  for (const [flag, user] of [['--token-a', users.alice], ['--token-b', users.bob]] as const) {
    const response = await reach(`${url}/sync/scenario-probe/pull?collection=probe`, { headers: { authorization: `Bearer ${user.token}` } });
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new UsageError(`the deployment refused the token of ${flag} (user ${user.userId}): ${response.status} ${text.slice(0, 300)}`);
    }
  }
}
