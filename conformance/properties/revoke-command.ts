import type { SyncModel, UserName } from '../model/sync-model.js';
import { checkSockets, checkStreams } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

/**
 * The auth service revokes a member's membership of the shared space (SPACE-8); it tells the target
 * (the invalidate endpoint, SPACE-9) or not, and then only the target's cache bound applies (SPACE-7).
 */
export class RevokeCommand implements SyncCommand {
  constructor(
    readonly user: Exclude<UserName, 'charlie'>,
    readonly tell = true,
  ) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.isMember(this.user);
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    // What arrived while the user was a member is judged as such.
    checkStreams(model, system);
    checkSockets(model, system);
    system.auth.revoke(model.userId(this.user), model.setup.sharedSpace);
    model.members.delete(this.user);
    // SPACE-11 lets a server whose cursor cannot tell a gained membership from a lost one read again
    // from the beginning after a loss too (the reference server's cursors carry a digest of the
    // reader's spaces): repeats after a revocation are allowed; what the user may no longer read is not.
    for (const device of system.devices.values()) if (device.ref.user === this.user) device.chain.resync = true;
    for (const stream of system.streams.values()) if (stream.ref.user === this.user) stream.chain.resync = true;
    await system.applyMembership(model, this.user, this.tell);
    checkStreams(model, system);
  }

  toString(): string {
    return `the auth service revokes ${this.user}'s membership of the shared space${this.tell ? '' : ' without telling the server (its membership cache must expire within the bound)'}`;
  }
}
