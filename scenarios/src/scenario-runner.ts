import { requirement } from '../../spec/src/requirements.js';
import type { Observation, Scenario, ScenarioContext, StepSpec } from './scenario.js';
import type { ScenarioSetting } from './scenario-setting.js';
import { Device } from './user-device.js';

export interface Output {
  write(text: string): unknown;
}

export interface StepRecord {
  readonly number: number;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly expected?: string;
  readonly actual?: string;
  readonly reason?: string;
}

export interface ScenarioOutcome {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly steps: readonly StepRecord[];
  /** Why it was skipped, or what failed. */
  readonly reason?: string;
}

/** Thrown by a failed step to end the scenario: the step has printed itself already. */
class StepFailed extends Error {}

const INDENT = '      ';

function block(label: string, text: string): string {
  const [first = '', ...rest] = text.split('\n');
  return `${INDENT}${label.padEnd(10)}${first}\n${rest.map((line) => `${INDENT}${' '.repeat(10)}${line}\n`).join('')}`;
}

function requirementLines(spec: StepSpec): string {
  return (spec.requirements ?? [])
    .map((id) => {
      const found = requirement(id);
      return block(id === spec.requirements?.[0] ? 'spec:' : '', `${id} (${found.keyword}) ${found.title}`);
    })
    .join('');
}

/**
 * Runs one scenario in one setting: prints a header, every numbered step with what was expected and
 * what happened (and, on failure, a hint and the requirements it exercises), and a closing line.
 * Never throws: a failure outside a step is reported as the scenario's failure.
 */
export async function runScenario(scenario: Scenario, setting: ScenarioSetting, out: Output): Promise<ScenarioOutcome> {
  out.write(`scenario ${scenario.name}: ${scenario.summary}\n`);
  out.write(`against ${setting.description}\n`);
  const reasons = scenario.needs.map((need) => setting.missing(need)).filter((reason) => reason !== undefined);
  if (reasons.length > 0) {
    const missing = reasons.join('; and ');
    out.write(`${scenario.name}: SKIPPED: ${missing}\n`);
    return { name: scenario.name, status: 'skipped', steps: [], reason: missing };
  }
  const steps: StepRecord[] = [];
  const devices: Device[] = [];
  const context: ScenarioContext = {
    setting,
    note: (text) => out.write(`  ${text}\n`),
    device: async (person, name, options) => {
      const device = await Device.open(setting.serverUrl, person, name, options);
      devices.push(device);
      return device;
    },
    step: async (spec, body) => {
      const number = steps.length + 1;
      const heading = `${String(number).padStart(3)}. `;
      const unmet = spec.needs === undefined ? undefined : setting.missing(spec.needs);
      if (unmet !== undefined) {
        steps.push({ number, title: spec.title, status: 'skipped', reason: unmet });
        out.write(`${heading}SKIP  ${spec.title}\n${block('skipped:', unmet)}`);
        return;
      }
      let observation: Observation;
      try {
        observation = await body();
      } catch (error) {
        observation = { ok: false, actual: `error: ${(error as Error).message ?? String(error)}` };
      }
      const status = observation.ok ? 'passed' : 'failed';
      steps.push({ number, title: spec.title, status, expected: spec.expected, actual: observation.actual });
      out.write(`${heading}${observation.ok ? 'PASS' : 'FAIL'}  ${spec.title}\n${block('expected:', spec.expected)}${block('actual:', observation.actual)}`);
      if (!observation.ok) {
        out.write(`${block('hint:', spec.hint)}${requirementLines(spec)}`);
        throw new StepFailed(`step ${number} failed: ${spec.title}`);
      }
    },
  };
  let outcome: ScenarioOutcome;
  try {
    await scenario.run(context);
    const skipped = steps.filter((step) => step.status === 'skipped').length;
    out.write(`${scenario.name}: PASSED (${steps.length - skipped} steps passed${skipped > 0 ? `, ${skipped} skipped` : ''})\n`);
    outcome = { name: scenario.name, status: 'passed', steps };
  } catch (error) {
    const failed = steps.find((step) => step.status === 'failed');
    const reason = failed !== undefined ? `step ${failed.number}: ${failed.title}` : `an error outside the steps: ${(error as Error).message ?? String(error)}`;
    out.write(`${scenario.name}: FAILED at ${reason}\n`);
    outcome = { name: scenario.name, status: 'failed', steps, reason };
  } finally {
    for (const device of devices) await device.close().catch(() => undefined);
  }
  return outcome;
}
