import fc from 'fast-check';
import { DEVICES, USERS, type DeviceRef } from '../model/sync-model.js';
import { ConcurrentCommand } from './concurrent-command.js';
import { ConvergeCommand } from './converge-command.js';
import { CutStreamCommand } from './cut-stream-command.js';
import { DropLiveCommand } from './drop-live-command.js';
import { FORGERIES, ForgedWriteCommand } from './forged-write-command.js';
import { MembershipCommand } from './membership-command.js';
import { OpenSocketCommand } from './open-socket-command.js';
import { OpenStreamCommand } from './open-stream-command.js';
import { PullCommand } from './pull-command.js';
import { PushBatchCommand } from './push-batch-command.js';
import { SetClockCommand } from './set-clock-command.js';
import { SetDelayCommand } from './set-delay-command.js';
import { SilentSocketCommand } from './silent-socket-command.js';
import type { SyncCommand } from './sync-command.js';
import type { WriteSpec } from './write-spec.js';
import { WriteCommand } from './write-command.js';

// The generators of the model-based properties: three users (alice and bob share a space, charlie
// the outsider) with two devices each, writing a few records with stamps from a small range so that
// exact ties between writers are frequent (the tie rule of LWW-5 decides them).

export type CommandKind = 'write' | 'shared-write' | 'forged-write' | 'concurrent' | 'batch' | 'lost-response' | 'pull' | 'converge' | 'open-stream' | 'close-stream' | 'cut-stream' | 'open-socket' | 'close-socket' | 'silent-socket' | 'revoke' | 'untold-revoke' | 'grant' | 'set-clock' | 'set-delay';

/** How often each kind of command is drawn; a property leaves out what it does not need. */
export type CommandWeights = Partial<Record<CommandKind, number>>;

const anyDevice: fc.Arbitrary<DeviceRef> = fc.record({ user: fc.constantFrom(...USERS), device: fc.constantFrom(...DEVICES) });
const ALL_DEVICES: DeviceRef[] = USERS.flatMap((user) => DEVICES.map((device) => ({ user, device })));
const member = fc.constantFrom('alice' as const, 'bob' as const);
const memberDevice: fc.Arbitrary<DeviceRef> = fc.record({ user: member, device: fc.constantFrom(...DEVICES) });

const writeSpec: fc.Arbitrary<WriteSpec> = fc.record({
  op: fc.constantFrom('insert' as const, 'update' as const, 'delete' as const),
  id: fc.constantFrom('t1', 't2', 't3'),
  space: fc.constantFrom('shared' as const, 'personal' as const, 'unnamed' as const),
  values: fc.oneof(
    fc.record({ title: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ done: fc.boolean() }),
    fc.record({ title: fc.constantFrom('a', 'b'), done: fc.boolean() }),
  ),
  tick: fc.integer({ min: 0, max: 3 }),
  c: fc.integer({ min: 0, max: 1 }),
});

const BUILDERS: Record<CommandKind, fc.Arbitrary<SyncCommand>> = {
  write: fc.tuple(anyDevice, writeSpec).map(([ref, spec]) => new WriteCommand(ref, spec)),
  // A device writes as another user with tokens the auth service never issued (AUTH-2, AUTH-3).
  'forged-write': fc.tuple(anyDevice, fc.constantFrom(...USERS), writeSpec, fc.subarray([...FORGERIES], { minLength: 1 })).map(([ref, victim, spec, forgeries]) => new ForgedWriteCommand(ref, victim, spec, forgeries)),
  // A device of alice or bob writes into the shared space: what co-members' streams, sockets and reads must see.
  'shared-write': fc.tuple(memberDevice, writeSpec).map(([ref, spec]) => new WriteCommand(ref, { ...spec, space: 'shared' })),
  batch: fc.tuple(anyDevice, fc.array(writeSpec, { minLength: 2, maxLength: 3 })).map(([ref, specs]) => new PushBatchCommand(ref, specs)),
  // Two or three devices push at once while a fourth pulls; the scheduler orders the requests' departure.
  // Each push carries new tasks of its own (never a conflict between the pushes), one or a thousand:
  // a thousand keep its transaction open while the others commit.
  concurrent: fc
    .tuple(
      fc.shuffledSubarray(ALL_DEVICES, { minLength: 3, maxLength: 4 }),
      fc.array(fc.tuple(fc.array(writeSpec, { maxLength: 2 }), fc.constantFrom(1, 1000)), { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.scheduler(),
    )
    .map(([[reader, ...pushers], pushes, limit, scheduler]) => new ConcurrentCommand(pushers.map((ref, i) => ({ ref, specs: pushes[i]![0], newTasks: pushes[i]![1] })), reader!, limit, scheduler)),
  'lost-response': fc.tuple(anyDevice, writeSpec).map(([ref, spec]) => new WriteCommand(ref, spec, true)),
  pull: fc.tuple(anyDevice, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([ref, limit, pages]) => new PullCommand(ref, limit, pages)),
  converge: anyDevice.map((ref) => new ConvergeCommand(ref)),
  'open-stream': fc.tuple(anyDevice, fc.boolean()).map(([ref, fromCursor]) => new OpenStreamCommand(ref, fromCursor)),
  'close-stream': anyDevice.map((ref) => new DropLiveCommand(ref, 'stream')),
  // The n-th open stream, whichever devices hold one: a cut never waits for its device to open one.
  'cut-stream': fc.nat({ max: DEVICES.length * USERS.length - 1 }).map((pick) => new CutStreamCommand(pick)),
  'open-socket': anyDevice.map((ref) => new OpenSocketCommand(ref)),
  'close-socket': anyDevice.map((ref) => new DropLiveCommand(ref, 'socket')),
  'silent-socket': anyDevice.map((ref) => new SilentSocketCommand(ref)),
  revoke: fc.tuple(member, fc.boolean()).map(([user, tell]) => new MembershipCommand(user, 'revoke', tell)),
  // Only the target's cache bound makes it take effect (SPACE-7, SPACE-8).
  'untold-revoke': member.map((user) => new MembershipCommand(user, 'revoke', false)),
  grant: member.map((user) => new MembershipCommand(user, 'grant')),
  'set-clock': fc.tuple(anyDevice, fc.constantFrom(0, -120_000, 45_000)).map(([ref, skew]) => new SetClockCommand(ref, skew)),
  'set-delay': fc.constantFrom(0, 40).map((ms) => new SetDelayCommand(ms)),
};

/** One command of a property: each kind drawn by its weight. */
export function syncCommand(weights: CommandWeights): fc.Arbitrary<SyncCommand> {
  const arbitraries = (Object.entries(weights) as [CommandKind, number][]).filter(([, weight]) => weight > 0).map(([kind, weight]) => ({ arbitrary: BUILDERS[kind], weight }));
  return fc.oneof(...arbitraries);
}

/** The commands of one property: at most `maxCommands` a run. */
export function syncCommands(weights: CommandWeights, maxCommands: number, replayPath?: string): fc.Arbitrary<Iterable<SyncCommand>> {
  return fc.commands([syncCommand(weights)], { maxCommands, ...(replayPath === undefined ? {} : { replayPath }) });
}
