import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { awaitStreamComplete } from './live-checks.js';
import { pullChain } from './pull-action.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, newChain, NOTES_TABLE, type SyncSystem } from './sync-system.js';

/**
 * A device opens an SSE stream, from the beginning (of tasks and notes) or from its pull cursor (of
 * tasks, the table the cursor's chain has read): everything it may read after that point must come,
 * backlog and live (SSE-2); from its cursor, the stream continues the device's chain, so nothing
 * the device already has may come again (PULL-3).
 */
export class OpenStreamCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly fromCursor = false,
  ) {}

  check(model: Readonly<SyncModel>): boolean {
    return !model.streams.has(deviceKey(this.ref));
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const device = system.device(this.ref);
    // A device without a cursor yet syncs first, so that the stream has one to start from.
    if (this.fromCursor && device.cursor === undefined) await pullChain(model, system, this.ref, 1000, 1000);
    const since = this.fromCursor ? device.cursor : undefined;
    const tables = since === undefined ? [system.table, NOTES_TABLE] : [system.table];
    const stream = await device.client.mustOpenStream({ collections: tables.join(','), ...(since === undefined ? {} : { since }) }, { clientId: device.clientId, appId: system.appId });
    const chain = since === undefined ? newChain(this.ref) : { ...device.chain, delivered: new Set(device.chain.delivered) };
    const state = { ref: this.ref, stream, earlier: [], lastEventId: undefined, tables, since, resumed: false, checked: 0, chain };
    system.streams.set(deviceKey(this.ref), state);
    model.streams.add(deviceKey(this.ref));
    await awaitStreamComplete(model, system, state);
  }

  toString(): string {
    return `${deviceLabel(this.ref)} opens an SSE stream ${this.fromCursor ? 'of tasks from its pull cursor (syncing first if it has none)' : 'of tasks and notes from the beginning'}`;
  }
}
