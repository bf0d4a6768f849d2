import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, type SyncSystem } from './sync-system.js';

/** A device connects to /ws and authenticates naming its client id (WS-2, WS-10). */
export class OpenSocketCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(model: Readonly<SyncModel>): boolean {
    return !model.sockets.has(deviceKey(this.ref));
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const device = system.device(this.ref);
    const socket = await device.client.mustConnect({ clientId: device.clientId });
    system.sockets.set(deviceKey(this.ref), { ref: this.ref, socket, duePushes: 0, dueTables: new Set(), ownPushes: 0, unreadablePushes: 0 });
    model.sockets.add(deviceKey(this.ref));
  }

  toString(): string {
    return `${deviceLabel(this.ref)} opens a WebSocket to /ws`;
  }
}
