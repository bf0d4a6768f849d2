import type { SyncModel, UserName } from '../model/sync-model.js';
import { checkSockets, checkStreams } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/** The auth service grants a former member the shared space again: its history becomes due (SPACE-11). */
export class GrantCommand implements SyncCommand {
  constructor(readonly user: Exclude<UserName, 'charlie'>) {}

  check(model: Readonly<SyncModel>): boolean {
    return !model.isMember(this.user);
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    checkStreams(model, system);
    checkSockets(model, system);
    system.auth.grant(model.userId(this.user), model.setup.sharedSpace);
    model.members.add(this.user);
    // SPACE-11: a chain or stream from before the gain may repeat what it had while it catches up.
    for (const device of system.devices.values()) if (device.ref.user === this.user) device.chain.resync = true;
    for (const stream of system.streams.values()) if (stream.ref.user === this.user) stream.chain.resync = true;
    await system.applyMembership(model, this.user);
  }

  toString(): string {
    return `the auth service grants ${this.user} the shared space again`;
  }
}
