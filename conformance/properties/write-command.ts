import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { pushWrites } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';
import { describeWrite, modelWriteOf, type WriteSpec } from './write-spec.js';

/** A device writes one change and pushes it at once. */
export class WriteCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly spec: WriteSpec,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    await pushWrites(model, system, this.ref, [modelWriteOf(model, this.ref, this.spec, system.table)]);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} ${describeWrite(this.spec)}`;
  }
}
