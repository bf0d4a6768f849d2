import { startAuthService } from '../../conformance/src/auth-service/auth-service.js';
import { startReferenceTarget } from '../../conformance/src/reference-target.js';
import { probeDeployment } from './deployment-probe.js';
import { SCENARIOS } from './scenario-registry.js';
import { runScenario, type Output, type ScenarioOutcome } from './scenario-runner.js';
import { parseScenarioArgs, scenarioHelp } from './scenario-options.js';
import { builtInSetting, deploymentSetting } from './scenario-setting.js';

/** The exit status of a run: a skip says why and is not a failure. */
export function exitStatusOf(outcome: ScenarioOutcome): number {
  return outcome.status === 'failed' ? 1 : 0;
}

/**
 * `mana-conformance scenario …`: lists the scenarios, or runs one against the in-process reference
 * server (default) or a deployment (--target with two users' tokens). Usage errors and an unreachable
 * target are thrown as UsageError (exit 2 in cli.ts).
 */
export async function scenarioCommand(args: readonly string[], out: Output): Promise<number> {
  const request = parseScenarioArgs(args);
  if (request.kind === 'help') {
    out.write(`${scenarioHelp()}\n`);
    return 0;
  }
  if (request.kind === 'list') {
    const width = (texts: string[]) => Math.max(...texts.map((text) => text.length)) + 2;
    const nameWidth = width(SCENARIOS.map((scenario) => scenario.name));
    const idWidth = width(SCENARIOS.map((scenario) => scenario.requirements.join(' ')));
    for (const scenario of SCENARIOS) {
      const needs = scenario.needs.length > 0 ? ` [needs: ${scenario.needs.join(', ')}]` : '';
      out.write(`${scenario.name.padEnd(nameWidth)}${scenario.requirements.join(' ').padEnd(idWidth)}${scenario.summary}${needs}\n`);
    }
    return 0;
  }
  if (request.target !== undefined && request.users !== undefined) {
    await probeDeployment(request.target, request.users);
    return exitStatusOf(await runScenario(request.scenario, deploymentSetting(request.target, request.users), out));
  }
  const auth = await startAuthService();
  try {
    const target = await startReferenceTarget(auth);
    try {
      const setting = builtInSetting(target.url, auth, `${target.url}: the reference server on embedded PGlite, in-process; users and memberships from the built-in auth service`);
      return exitStatusOf(await runScenario(request.scenario, setting, out));
    } finally {
      await target.close();
    }
  } finally {
    await auth.close();
  }
}
