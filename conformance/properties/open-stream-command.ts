import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { awaitStreamComplete } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, newChain, type SyncSystem } from './sync-system.js';

/** A device opens an SSE stream of tasks from the beginning: the backlog must come whole (SSE-2). */
export class OpenStreamCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(model: Readonly<SyncModel>): boolean {
    return !model.streams.has(deviceKey(this.ref));
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const device = system.device(this.ref);
    const stream = await device.client.mustOpenStream({ collections: system.table }, { clientId: device.clientId, appId: system.appId });
    const state = { ref: this.ref, stream, earlier: [], lastEventId: undefined, resumed: false, checked: 0, chain: newChain(this.ref) };
    system.streams.set(deviceKey(this.ref), state);
    model.streams.add(deviceKey(this.ref));
    await awaitStreamComplete(model, system, state);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} opens an SSE stream of tasks`;
  }
}
