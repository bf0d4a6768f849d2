import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { pushWrites } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';
import { describeWrite, modelWriteOf, type WriteSpec } from './write-spec.js';

/**
 * A device writes one change and pushes it at once; with `loseResponse` the proxy drops the answer
 * after the server committed and the device resends the same pushId (PUSH-8).
 */
export class WriteCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly spec: WriteSpec,
    readonly loseResponse = false,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    await pushWrites(model, system, this.ref, [modelWriteOf(model, this.ref, this.spec, system.table)], this.loseResponse);
  }

  toString(): string {
    const write = `${deviceLabel(this.ref)} ${describeWrite(this.spec)}`;
    return this.loseResponse ? `${write}, the proxy drops the answer after the server committed, and it resends the same pushId` : write;
  }
}
