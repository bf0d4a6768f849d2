import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { pushWrites } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';
import { describeWrite, modelWriteOf, type WriteSpec } from './write-spec.js';

/** A device pushes several writes at once: all stored, or none when one is refused (PUSH-6, PUSH-7). */
export class PushBatchCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly specs: readonly WriteSpec[],
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    await pushWrites(model, system, this.ref, this.specs.map((spec) => modelWriteOf(model, this.ref, spec, system.table)));
  }

  toString(): string {
    return `${deviceLabel(this.ref)} pushes ${this.specs.length} changes at once: ${this.specs.map(describeWrite).join('; ')}`;
  }
}
