import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { checkSockets } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, type SyncSystem } from './sync-system.js';

/** A device drops its WebSocket. */
export class CloseSocketCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.sockets.has(deviceKey(this.ref));
  }

  run(model: SyncModel, system: SyncSystem): Promise<void> {
    checkSockets(model, system);
    system.sockets.get(deviceKey(this.ref))?.socket.close();
    system.sockets.delete(deviceKey(this.ref));
    model.sockets.delete(deviceKey(this.ref));
    return Promise.resolve();
  }

  toString(): string {
    return `${deviceLabel(this.ref)} drops its WebSocket`;
  }
}
