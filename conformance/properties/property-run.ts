import fc from 'fast-check';
import type { HealthLimits } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { DEVICES, SyncModel, USERS, type DeviceName, type UserName } from '../model/sync-model.js';
import type { CheckContext } from '../src/check-context.js';
import { sendRecorded } from '../src/exchange.js';
import { ExpectationFailure, NotCheckable, type Failure } from '../src/failure.js';
import { hashString } from '../src/seeded-random.js';
import { TranscriptRecorder } from '../src/transcript.js';
import { UserClient, type ClientEnvironment } from '../src/user-client.js';
import { syncCommands, type CommandWeights } from './commands.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { formatReplay, type PropertyBudget } from './property-budget.js';
import { QUIESCENCE_STEP, quiesce } from './quiescence.js';
import type { SyncCommand } from './sync-command.js';
import { PROPERTY_TABLE, SyncSystem } from './sync-system.js';

/** One model-based property: the requirement it is reported under and the commands it draws. */
export interface PropertyDefinition {
  requirement: RequirementId;
  slug: string;
  description: string;
  weights: CommandWeights;
  /**
   * Runs of this property per run of the budget (default 1): a property whose bug shows only in a
   * rare interleaving, with runs that are short, searches longer for the same budget.
   */
  runsPerBudgetRun?: number;
}

/** The runs a property gets under a budget. */
export function runsOf(definition: PropertyDefinition, budget: PropertyBudget): number {
  return budget.runs * (definition.runsPerBudgetRun ?? 1);
}

/** How long one request of a run may take before the run fails. */
const REQUEST_TIMEOUT_MS = 10_000;

// Every user's devices are called `laptop` and `phone`: client ids collide across users on
// purpose, as constant client ids of real clients did (PULL-12: echoes are per writer, not per id).
const CLIENT_IDS: Record<UserName, Record<DeviceName, string>> = Object.fromEntries(USERS.map((user) => [user, Object.fromEntries(DEVICES.map((device) => [device, device]))])) as Record<UserName, Record<DeviceName, string>>;

interface Run {
  model: SyncModel;
  system: SyncSystem;
  recorder: TranscriptRecorder;
  close(): void;
}

/** A fresh world for one run: its own app (PUSH-19) and shared space, the users of the check. */
function setUpRun(ctx: CheckContext, proxy: FaultProxy, limits: HealthLimits | undefined, index: number): Run {
  const recorder = new TranscriptRecorder();
  proxy.setDelay(0);
  const observed: Failure[] = [];
  const controller = new AbortController();
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const appId = `${ctx.appId}-m${index}`;
  const env: ClientEnvironment = { baseUrl: proxy.url, appId, auth: ctx.auth, recorder, requestTimeoutMs: REQUEST_TIMEOUT_MS, observe: (failures) => observed.push(...failures), pause, signal: controller.signal };
  const clients = { alice: new UserClient('alice', ctx.alice.userId, env), bob: new UserClient('bob', ctx.bob.userId, env), charlie: new UserClient('charlie', ctx.charlie.userId, env) };
  const sharedSpace = `org-${appId}`;
  const members: UserName[] = ['alice', 'bob'];
  for (const user of members) ctx.auth.grant(clients[user].userId, sharedSpace);
  recorder.note(`run ${index}: app ${appId}; alice and bob are members of ${sharedSpace}; charlie is not`);
  const model = new SyncModel({
    userIds: { alice: clients.alice.userId, bob: clients.bob.userId, charlie: clients.charlie.userId },
    clientIds: CLIENT_IDS,
    sharedSpace,
    // A second in the past: every stamp of the run stays far within MAX_FUTURE_SKEW_SECONDS (LWW-12).
    baseT: Date.now() - 1000,
    skewMs: { alice: { laptop: 0, phone: 0 }, bob: { laptop: 0, phone: 0 }, charlie: { laptop: 0, phone: 0 } },
    members,
  });
  const request = async (method: string, path: string, headers: Record<string, string>) => (await sendRecorded(recorder, { method, url: `${ctx.baseUrl}${path}`, headers }, REQUEST_TIMEOUT_MS)).status;
  const system = new SyncSystem(appId, PROPERTY_TABLE, clients, CLIENT_IDS, ctx.auth, proxy, limits, recorder, observed, request, pause);
  return { model, system, recorder, close: () => controller.abort() };
}

/** Errors thrown while the run settles, after its last command. */
const quiescenceErrors = new WeakSet<object>();

/** The steps of a counterexample that ran, as fast-check kept them (its CommandWrapper's hasRan). */
function stepsOf(commands: Iterable<SyncCommand>): string[] {
  return [...commands].filter((command) => (command as SyncCommand & { hasRan?: boolean }).hasRan === true).map((command) => command.toString());
}

/**
 * Runs a property with fast-check (fc.asyncModelRun over fc.commands): each run sets up a fresh
 * world, runs its commands against the target through the fault proxy, and settles (quiesce). A
 * failure is shrunk, replayed once for the transcript, and thrown as an ExpectationFailure naming
 * the violated requirement, with the numbered steps and how to replay it.
 */
export async function runProperty(ctx: CheckContext, checkId: string, definition: PropertyDefinition, budget: PropertyBudget): Promise<void> {
  const limits = (await ctx.health()).limits;
  const proxy = await startFaultProxy(ctx.baseUrl);
  const seed = (ctx.seed ^ hashString(checkId)) | 0;
  let runs = 0;
  let last: { run: Run; commands: Iterable<SyncCommand> } | undefined;
  const property = (replayPath?: string, once = false) => {
    let ran = false;
    return fc.asyncProperty(syncCommands(definition.weights, budget.maxCommands, replayPath), async (commands) => {
      // From a shrink path, fast-check goes on through the rest of that path's shrinks when the
      // replayed run passes: a replay is that one run, and what follows it is not run.
      if (once && ran) return;
      ran = true;
      const run = setUpRun(ctx, proxy, limits, ++runs);
      last = { run, commands };
      try {
        // The target may hold an answer from before this run's grant for a while (SPACE-7): invalidate it.
        for (const user of run.model.members) await run.system.applyMembership(run.model, user);
        await fc.asyncModelRun(() => ({ model: run.model, real: run.system }), commands);
        run.system.throwObserved();
        await quiesce(run.model, run.system).catch((error: unknown) => {
          if (typeof error === 'object' && error !== null) quiescenceErrors.add(error);
          throw error;
        });
      } finally {
        run.close();
      }
    });
  };
  const startedAt = performance.now();
  try {
    const replay = budget.replay;
    const runsWanted = replay === undefined ? runsOf(definition, budget) : 1;
    const details = await fc.check(property(replay?.replayPath, replay !== undefined), {
      seed,
      numRuns: runsWanted,
      ...(replay === undefined ? {} : { path: replay.path }),
      interruptAfterTimeLimit: budget.timeLimitMs,
    });
    const durationMs = Math.round(performance.now() - startedAt);
    if (!details.failed && details.interrupted) {
      // Fewer runs than the budget's ended without a counterexample: not the search the budget promised.
      throw new NotCheckable(`the search was interrupted at the ${budget.timeLimitMs} ms time limit after ${details.numRuns} of ${runsWanted} runs, without a counterexample (fast-check seed ${seed})`);
    }
    if (!details.failed) {
      const made = replay === undefined ? details.numRuns : 1;
      ctx.record.note(`${made} run${made === 1 ? '' : 's'} of at most ${budget.maxCommands} commands (fast-check seed ${seed}): no counterexample in ${durationMs} ms (${(made / (durationMs / 1000)).toFixed(1)} runs/s)`);
      return;
    }
    if (details.counterexample === null || details.counterexamplePath === null) {
      // Interrupted at the time limit (or by too many skipped runs): no violation was shown, so the
      // requirement is not checked rather than failed.
      throw new NotCheckable(
        `the search stopped after ${details.numRuns} runs without a counterexample (fast-check seed ${seed}${details.interrupted ? `, interrupted at the ${budget.timeLimitMs} ms time limit` : ''}): ${String(details.errorInstance)}`,
      );
    }
    const counterexamplePath = details.counterexamplePath;
    // fast-check prints the commands' replayPath in their toString (CommandsIterable).
    const replayPath = /replayPath="([^"]*)"/.exec((details.counterexample[0] as { toString(): string }).toString())?.[1];
    const error = details.errorInstance;
    const failedSettling = typeof error === 'object' && error !== null && quiescenceErrors.has(error);
    const violated: Failure = error instanceof ExpectationFailure ? error.failure : { requirement: definition.requirement, expected: 'the model run to complete', actual: error instanceof Error ? error.message : String(error) };
    const replayToken = formatReplay(counterexamplePath, replayPath);
    // Replay the shrunk counterexample once, so that the transcript is that of the minimal run, and
    // its steps are told from that run: fast-check may have run the same command objects again while
    // it tried smaller cases, and a command's words may name what it found when it ran.
    await fc.check(property(replayPath, true), { seed, path: counterexamplePath, numRuns: 1, endOnFailure: true });
    const steps = stepsOf(last!.commands);
    if (failedSettling) steps.push(QUIESCENCE_STEP);
    const numbered = steps.map((step, i) => `${i + 1}. ${step}`).join('\n');
    ctx.record.note(`${violated.requirement} violated; the exchanges below replay the shrunk counterexample:\n${numbered}`);
    ctx.record.entries.push(...last!.run.recorder.entries);
    throw new ExpectationFailure({
      requirement: violated.requirement,
      expected: violated.expected,
      actual:
        `${violated.actual}\n` +
        `counterexample, shrunk to ${steps.length} steps (${details.numShrinks} shrinks after ${details.numRuns} runs):\n${numbered}\n` +
        `fast-check seed ${seed}, path ${counterexamplePath}${replayPath === undefined ? '' : `, replayPath ${replayPath}`}; ` +
        `replay: mana-conformance run --only ${checkId} --seed ${ctx.seed} --replay ${replayToken}`,
    });
  } finally {
    await proxy.close();
  }
}
