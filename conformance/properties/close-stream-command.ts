import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { checkStreams } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, type SyncSystem } from './sync-system.js';

/** A device drops its SSE stream. */
export class CloseStreamCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.streams.has(deviceKey(this.ref));
  }

  run(model: SyncModel, system: SyncSystem): Promise<void> {
    checkStreams(model, system);
    system.streams.get(deviceKey(this.ref))?.stream.close();
    system.streams.delete(deviceKey(this.ref));
    model.streams.delete(deviceKey(this.ref));
    return Promise.resolve();
  }

  toString(): string {
    return `${deviceLabel(this.ref)} drops its SSE stream`;
  }
}
