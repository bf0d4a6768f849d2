import { expectEqual } from '../src/assertions.js';
import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { pullChain } from './pull-action.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/** How many pages a chain may take to reach its end when a device syncs to quiescence. */
const SYNC_PAGES = 1000;

/**
 * A device pulls to the end of its chain; its replica (its own writes merged with everything the
 * server relayed, under the total order of LWW-5) must equal the model's state of every space it
 * may read: the server relayed every stamp unchanged (LWW-8) and lost nothing (PULL-3).
 */
export async function converge(model: SyncModel, system: SyncSystem, ref: DeviceRef): Promise<void> {
  await pullChain(model, system, ref, 1000, SYNC_PAGES);
  const spaces = model.readableSpaces(ref.user);
  // Devices pull one table; what else reached a replica (other tables of push deltas) is not compared.
  expectEqual(system.device(ref).replica.view(spaces, system.table), model.expectedState(ref.user).view(spaces, system.table), 'LWW-8', `${deviceLabel(ref)}'s replica after syncing to the end`);
}

export class ConvergeCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    await converge(model, system, this.ref);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} syncs to the end; its replica must equal the model's`;
  }
}
