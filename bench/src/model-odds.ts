import fc from 'fast-check';
import { SyncModel, USERS, DEVICES, type UserName } from '../../conformance/model/sync-model.js';
import { ConcurrentCommand } from '../../conformance/properties/concurrent-command.js';
import { syncCommand } from '../../conformance/properties/commands.js';
import { ConvergeCommand } from '../../conformance/properties/converge-command.js';
import { CutStreamCommand } from '../../conformance/properties/cut-stream-command.js';
import { DropLiveCommand } from '../../conformance/properties/drop-live-command.js';
import { ForgedWriteCommand } from '../../conformance/properties/forged-write-command.js';
import { MembershipCommand } from '../../conformance/properties/membership-command.js';
import { OpenSocketCommand } from '../../conformance/properties/open-socket-command.js';
import { OpenStreamCommand } from '../../conformance/properties/open-stream-command.js';
import { DEFAULT_BUDGET } from '../../conformance/properties/property-budget.js';
import { isPropertyCheck } from '../../conformance/properties/property-check.js';
import { runsOf } from '../../conformance/properties/property-run.js';
import { PullCommand } from '../../conformance/properties/pull-command.js';
import { PushBatchCommand } from '../../conformance/properties/push-batch-command.js';
import type { SyncCommand } from '../../conformance/properties/sync-command.js';
import { deviceKey } from '../../conformance/properties/sync-system.js';
import type { WriteSpec } from '../../conformance/properties/write-spec.js';
import { WriteCommand } from '../../conformance/properties/write-command.js';
import { ALL_CHECKS } from '../../conformance/src/checks/registry.js';
import type { Figure } from './figure.js';

// Figure 8: the odds that one default conformance run meets the sequence of steps a seeded bug of
// `npm run test:mutants` needs before a model check can see it (a co-member's write to an open
// stream, a cut of a stream opened from a cursor, ...). No server is involved: each model check's
// command generator is sampled with its weights, the steps a run would drop (their `check` fails on
// the model) are dropped, and the odds of one run are raised to the check's runs in the default
// budget. The weights of the model checks were chosen with these figures.

const SAMPLED_RUNS = 3000;
const SEED = 20261207;

/** What a run did so far, enough to tell whether the sequence a seeded bug needs happened. */
interface RunState {
  readonly model: SyncModel;
  /** Open streams: their owner, and whether they were opened from a pull cursor. */
  readonly streams: Map<string, { user: UserName; fromCursor: boolean }>;
  readonly sockets: Map<string, UserName>;
  /** Shared changes each member has not read yet. */
  readonly unread: Map<UserName, number>;
  readonly met: Set<Sequence>;
}

/** The sequences, named after the mutant that needs them. */
const SEQUENCES = ['sse-co-members-not-notified', 'ws-co-members-not-notified', 'sse-resume-prefers-since', 'sse-event-id-one-behind', 'revocation-ignored', 'jwt-alg-none-accepted'] as const;
type Sequence = (typeof SEQUENCES)[number];

function read(state: RunState, user: UserName): void {
  if (user === 'charlie') return;
  if (!state.model.isMember(user) && (state.unread.get(user) ?? 0) > 0) state.met.add('revocation-ignored');
  state.unread.set(user, 0);
}

function write(state: RunState, user: UserName, specs: readonly WriteSpec[]): void {
  if (user === 'charlie' || !specs.some((spec) => spec.space === 'shared')) return;
  if (!state.model.isMember(user)) {
    state.met.add('revocation-ignored');
    return;
  }
  const other: UserName = user === 'alice' ? 'bob' : 'alice';
  if (state.model.isMember(other)) {
    if ([...state.streams.values()].some((stream) => stream.user === other)) state.met.add('sse-co-members-not-notified');
    if ([...state.sockets.values()].includes(other)) state.met.add('ws-co-members-not-notified');
  }
  state.unread.set(other, (state.unread.get(other) ?? 0) + 1);
}

/** Applies what a step does to the run's state, as far as the sequences care. */
function step(state: RunState, command: SyncCommand): void {
  if (command instanceof MembershipCommand) {
    if (command.change === 'revoke') state.model.members.delete(command.user);
    else state.model.members.add(command.user);
  } else if (command instanceof WriteCommand) write(state, command.ref.user, [command.spec]);
  else if (command instanceof PushBatchCommand) write(state, command.ref.user, command.specs);
  else if (command instanceof ConcurrentCommand) for (const push of command.pushes) write(state, push.ref.user, push.specs);
  else if (command instanceof ForgedWriteCommand) {
    if (command.forgeries.includes('alg-none')) state.met.add('jwt-alg-none-accepted');
  } else if (command instanceof OpenStreamCommand) {
    state.streams.set(deviceKey(command.ref), { user: command.ref.user, fromCursor: command.fromCursor });
    state.model.streams.add(deviceKey(command.ref));
    read(state, command.ref.user);
  } else if (command instanceof OpenSocketCommand) {
    state.sockets.set(deviceKey(command.ref), command.ref.user);
    state.model.sockets.add(deviceKey(command.ref));
  } else if (command instanceof DropLiveCommand) {
    (command.channel === 'stream' ? state.streams : state.sockets).delete(deviceKey(command.ref));
    (command.channel === 'stream' ? state.model.streams : state.model.sockets).delete(deviceKey(command.ref));
  } else if (command instanceof CutStreamCommand) {
    const cut = state.streams.get([...state.streams.keys()].sort()[command.pick % state.streams.size]!)!;
    state.met.add('sse-event-id-one-behind');
    if (cut.fromCursor) state.met.add('sse-resume-prefers-since');
  } else if (command instanceof PullCommand || command instanceof ConvergeCommand) read(state, command.ref.user);
  // An open stream reads what comes as it comes.
  for (const stream of state.streams.values()) read(state, stream.user);
}

function emptyModel(): SyncModel {
  const perDevice = <T>(value: T) => Object.fromEntries(USERS.map((user) => [user, Object.fromEntries(DEVICES.map((device) => [device, value]))])) as Record<UserName, Record<(typeof DEVICES)[number], T>>;
  return new SyncModel({
    userIds: { alice: 'alice', bob: 'bob', charlie: 'charlie' },
    clientIds: perDevice('client'),
    sharedSpace: 'space',
    baseT: 0,
    skewMs: perDevice(0),
    members: ['alice', 'bob'],
  });
}

/** Per sequence, the share of sampled runs of one model check that hold it. */
function oddsPerRun(weights: Parameters<typeof syncCommand>[0]): Map<Sequence, number> {
  const counts = new Map<Sequence, number>(SEQUENCES.map((sequence) => [sequence, 0]));
  // fc.commands draws a run's length as fc.array does (uniform up to maxCommands).
  for (const commands of fc.sample(fc.array(syncCommand(weights), { maxLength: DEFAULT_BUDGET.maxCommands }), { numRuns: SAMPLED_RUNS, seed: SEED })) {
    const state: RunState = { model: emptyModel(), streams: new Map(), sockets: new Map(), unread: new Map(), met: new Set() };
    for (const command of commands) if (command.check(state.model)) step(state, command);
    for (const sequence of state.met) counts.set(sequence, counts.get(sequence)! + 1);
  }
  return new Map([...counts].map(([sequence, count]) => [sequence, count / SAMPLED_RUNS]));
}

export function runModelOdds(): Promise<Figure[]> {
  const missed = new Map<Sequence, number>(SEQUENCES.map((sequence) => [sequence, 1]));
  const figures: Figure[] = [];
  for (const check of ALL_CHECKS.filter(isPropertyCheck)) {
    const runs = runsOf(check.property, DEFAULT_BUDGET);
    const odds = oddsPerRun(check.property.weights);
    for (const [sequence, p] of odds) missed.set(sequence, missed.get(sequence)! * (1 - p) ** runs);
    const met = [...odds].filter(([, p]) => p > 0).map(([sequence, p]) => `${sequence} ${(p * 100).toFixed(1)}%`);
    figures.push({ name: `model_runs_${check.id}`, value: runs, unit: 'runs', database: 'none (in-memory store)', note: `default budget; a run holds: ${met.join(', ') || 'none of the sequences'}` });
  }
  for (const [sequence, p] of missed) {
    figures.push({ name: `model_odds_${sequence}`, value: (1 - p) * 100, unit: '%', database: 'none (in-memory store)', note: `odds that one default run's model checks meet the steps this seeded bug needs (${SAMPLED_RUNS} sampled runs a check)` });
  }
  return Promise.resolve(figures);
}
