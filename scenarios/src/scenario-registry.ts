import { backupRestore } from './backup-restore.js';
import { firstServerFlow } from './first-server-flow.js';
import { legacyWs } from './legacy-ws.js';
import { offlineMerge } from './offline-merge.js';
import { revocation } from './revocation.js';
import type { Scenario } from './scenario.js';
import { sharedSpace } from './shared-space.js';

/** Every scenario, in the order `scenario --list` prints them. */
export const SCENARIOS: readonly Scenario[] = [sharedSpace, offlineMerge, revocation, backupRestore, legacyWs, firstServerFlow];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
