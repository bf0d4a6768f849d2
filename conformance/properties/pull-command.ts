import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { pullChain } from './pull-action.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/** A device pulls from its cursor in small pages, for at most a few pages (the chain resumes later). */
export class PullCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly limit: number,
    readonly maxPages: number,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    await pullChain(model, system, this.ref, this.limit, this.maxPages);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} pulls tasks from its cursor, ${this.limit} per page, at most ${this.maxPages} page${this.maxPages === 1 ? '' : 's'}`;
  }
}
