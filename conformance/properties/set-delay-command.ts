import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/** The network between the devices and the server slows down (or recovers): every request waits at the proxy. */
export class SetDelayCommand implements SyncCommand {
  constructor(readonly delayMs: number) {}

  check(): boolean {
    return true;
  }

  run(_model: unknown, system: SyncSystem): Promise<void> {
    system.proxy.setDelay(this.delayMs);
    return Promise.resolve();
  }

  toString(): string {
    return this.delayMs === 0 ? 'the network recovers: requests pass the proxy at once' : `the network slows down: every request waits ${this.delayMs} ms at the proxy`;
  }
}
