import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { Need, Person, ScenarioSetting } from './scenario-setting.js';
import type { Device, DeviceOptions } from './user-device.js';

/** One numbered step of a scenario, as it is printed. */
export interface StepSpec {
  readonly title: string;
  /** What a conforming server makes happen, in words. */
  readonly expected: string;
  /** The requirements the step exercises; a failure prints them with their titles. */
  readonly requirements?: readonly RequirementId[];
  /** Where to look when the step fails. */
  readonly hint: string;
  /** A step the setting may be unable to run (e.g. charlie's, against a deployment): skipped with the reason. */
  readonly needs?: Need;
}

/** What a step saw, and whether that is what it expected. */
export interface Observation {
  readonly ok: boolean;
  readonly actual: string;
}

export function observed(ok: boolean, actual: string): Observation {
  return { ok, actual };
}

export interface ScenarioContext {
  readonly setting: ScenarioSetting;
  /** Runs, checks and prints one step; a failed step ends the scenario (later steps build on it). */
  readonly step: (spec: StepSpec, body: () => Promise<Observation>) => Promise<void>;
  /** Opens a device of `person` on the reference client; the runner closes it at the end. */
  readonly device: (person: Person, name: string, options: DeviceOptions) => Promise<Device>;
  /** A line under the header: the app, the space, the users. */
  readonly note: (text: string) => void;
}

export interface Scenario {
  readonly name: string;
  /** One sentence for `scenario --list`. */
  readonly summary: string;
  /** The requirements the scenario exercises most: its test names and `--list` cite them. */
  readonly requirements: readonly RequirementId[];
  /** What the whole scenario cannot run without; a setting that lacks one skips it, saying why. */
  readonly needs: readonly Need[];
  run(context: ScenarioContext): Promise<void>;
}

export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

/** A value as a step prints it. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
