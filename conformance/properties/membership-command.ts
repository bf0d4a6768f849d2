import type { SyncModel, UserName } from '../model/sync-model.js';
import { checkSockets, checkStreams } from './live-checks.js';
import type { SyncCommand } from './sync-command.js';
import type { SyncSystem } from './sync-system.js';

export type MembershipChange = 'revoke' | 'grant';

/**
 * The auth service revokes a member's membership of the shared space (SPACE-8), telling the target
 * (the invalidate endpoint, SPACE-9) or not, and then only the target's cache bound applies
 * (SPACE-7); or it grants a former member the space again, after which its history is due (SPACE-11).
 */
export class MembershipCommand implements SyncCommand {
  constructor(
    readonly user: Exclude<UserName, 'charlie'>,
    readonly change: MembershipChange,
    readonly tell = true,
  ) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.isMember(this.user) === (this.change === 'revoke');
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    // What arrived before the change is judged under the membership it arrived under.
    checkStreams(model, system);
    checkSockets(model, system);
    const userId = model.userId(this.user);
    if (this.change === 'revoke') {
      system.auth.revoke(userId, model.setup.sharedSpace);
      model.members.delete(this.user);
    } else {
      system.auth.grant(userId, model.setup.sharedSpace);
      model.members.add(this.user);
    }
    // SPACE-11: a chain or stream from before a gain may repeat what it had while it catches up, and
    // a server whose cursor cannot tell a gain from a loss (the reference server's cursors carry a
    // digest of the reader's spaces) may read again from the beginning after a loss too: repeats
    // are allowed; what the user may no longer read is not.
    for (const device of system.devices.values()) if (device.ref.user === this.user) device.chain.resync = true;
    for (const stream of system.streams.values()) if (stream.ref.user === this.user) stream.chain.resync = true;
    await system.applyMembership(model, this.user, this.tell);
    checkStreams(model, system);
  }

  toString(): string {
    if (this.change === 'grant') return `the auth service grants ${this.user} the shared space again`;
    return `the auth service revokes ${this.user}'s membership of the shared space${this.tell ? '' : ' without telling the server (its membership cache must expire within the bound)'}`;
  }
}
