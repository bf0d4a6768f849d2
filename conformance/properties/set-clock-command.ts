import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import type { SyncCommand } from './sync-command.js';

/** A device's clock jumps: its later stamps are offset from the others' (skew; ties when offsets meet). */
export class SetClockCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly skewMs: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: SyncModel): Promise<void> {
    model.setSkew(this.ref, this.skewMs);
    return Promise.resolve();
  }

  toString(): string {
    const seconds = this.skewMs / 1000;
    return `${deviceLabel(this.ref)}'s clock is set to ${seconds === 0 ? 'the others\' time' : `${Math.abs(seconds)} s ${seconds > 0 ? 'ahead' : 'behind'}`} (T is its own clock from now on)`;
  }
}
