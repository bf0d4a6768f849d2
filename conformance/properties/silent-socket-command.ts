import { WS_AUTH_TIMEOUT_SECONDS } from '../../spec/generated/constants.js';
import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { describeExchange } from '../src/exchange.js';
import { fail } from '../src/failure.js';
import { mustCloseAtAuthDeadline } from '../src/live/auth-deadline.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/**
 * A device opens /ws and never authenticates: a connection of nobody, which may read nothing
 * (WS-11) and which the server closes at its authentication deadline (WS-3); checked when the run
 * settles (expectSilentSocketsClosed).
 */
export class SilentSocketCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(): boolean {
    return true;
  }

  async run(_model: SyncModel, system: SyncSystem): Promise<void> {
    const { exchange, socket } = await system.device(this.ref).client.openSocket();
    if (socket === undefined) fail('WS-1', 'GET /ws upgraded to a WebSocket', exchange === undefined ? 'no answer' : describeExchange(exchange));
    system.silentSockets.push({ ref: this.ref, socket });
  }

  toString(): string {
    return `${deviceLabel(this.ref)} opens a WebSocket to /ws and never authenticates`;
  }
}

/** Every socket that never authenticated was told nothing (WS-11) and is closed 1008 AUTH_TIMEOUT at the target's deadline (WS-3). */
export async function expectSilentSocketsClosed(system: SyncSystem): Promise<void> {
  const timeoutMs = (system.limits?.wsAuthTimeoutSeconds ?? WS_AUTH_TIMEOUT_SECONDS) * 1000;
  for (const { ref, socket } of system.silentSockets) {
    await mustCloseAtAuthDeadline(socket, timeoutMs, system.recorder.elapsedMs());
    const told = socket.messages.filter((message) => message.json?.type === 'sync-available');
    if (told.length > 0) fail('WS-11', `${deviceLabel(ref)}'s socket that never authenticated to be told nothing`, `${told.length} sync-available messages: ${told[0]!.text.slice(0, 200)}`);
  }
}
