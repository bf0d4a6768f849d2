import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { checkSockets, checkStreams } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, type SyncSystem } from './sync-system.js';

/** A live channel of a device: its SSE stream or its WebSocket. */
export type LiveChannel = 'stream' | 'socket';

const WORDS: Record<LiveChannel, string> = { stream: 'SSE stream', socket: 'WebSocket' };

/** A device drops its SSE stream or its WebSocket, after what it received is checked. */
export class DropLiveCommand implements SyncCommand {
  constructor(
    readonly ref: DeviceRef,
    readonly channel: LiveChannel,
  ) {}

  check(model: Readonly<SyncModel>): boolean {
    return (this.channel === 'stream' ? model.streams : model.sockets).has(deviceKey(this.ref));
  }

  run(model: SyncModel, system: SyncSystem): Promise<void> {
    const key = deviceKey(this.ref);
    if (this.channel === 'stream') {
      checkStreams(model, system);
      system.streams.get(key)?.stream.close();
      system.streams.delete(key);
      model.streams.delete(key);
    } else {
      checkSockets(model, system);
      system.sockets.get(key)?.socket.close();
      system.sockets.delete(key);
      model.sockets.delete(key);
    }
    return Promise.resolve();
  }

  toString(): string {
    return `${deviceLabel(this.ref)} drops its ${WORDS[this.channel]}`;
  }
}
