import type { HealthLimits } from '../../spec/generated/types.js';
import type { AuthService } from './auth-service/auth-service.js';
import type { Check } from './check.js';
import { createCheckContext } from './check-context.js';
import type { CheckOutcome } from './check-outcome.js';
import { ExpectationFailure, NotCheckable, type Failure } from './failure.js';
import { TranscriptRecorder } from './transcript.js';

export interface RunnerOptions {
  baseUrl: string;
  auth: AuthService;
  seed: number;
  runTag: string;
  /** Failure bound of one check, in milliseconds (raised for a check that needs longer, Check.minimumSeconds). */
  checkTimeoutMs: number;
  /** The target's limits from /health, when it reported them. */
  limits?: HealthLimits;
  concurrency: number;
  /** Called as each check ends (the terminal progress display). */
  onOutcome?(outcome: CheckOutcome, done: number, total: number): void;
}

function sameFailure(a: Failure, b: Failure): boolean {
  return a.requirement === b.requirement && a.expected === b.expected && a.actual === b.actual;
}

async function runOne(check: Check, index: number, options: RunnerOptions): Promise<CheckOutcome> {
  const timeoutMs = Math.max(options.checkTimeoutMs, check.minimumSeconds(options.limits) * 1000);
  const recorder = new TranscriptRecorder();
  const failures: Failure[] = [];
  const observe = (seen: Failure[]) => {
    for (const failure of seen) if (!failures.some((known) => sameFailure(known, failure))) failures.push(failure);
  };
  const controller = new AbortController();
  const ctx = createCheckContext({
    baseUrl: options.baseUrl,
    auth: options.auth,
    recorder,
    seed: options.seed,
    checkId: check.id,
    runTag: options.runTag,
    checkIndex: index,
    requestTimeoutMs: timeoutMs,
    observe,
    signal: controller.signal,
  });
  const base = { checkId: check.id, requirement: check.requirement, level: check.level, description: check.description };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the check did not finish within ${timeoutMs} ms (--timeout)`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    await Promise.race([check.run(ctx), timeout]);
    return { ...base, status: failures.length === 0 ? 'passed' : 'failed', failures, durationMs: recorder.elapsedMs(), transcript: recorder.entries };
  } catch (error) {
    if (error instanceof NotCheckable) {
      return { ...base, status: 'not-checkable', reason: error.reason, failures, durationMs: recorder.elapsedMs(), transcript: recorder.entries };
    }
    const stoppedBy: Failure =
      error instanceof ExpectationFailure
        ? error.failure
        : { requirement: check.requirement, expected: 'the exchange to complete', actual: (error as Error).message };
    observe([stoppedBy]);
    return { ...base, status: 'failed', failures, stoppedBy, durationMs: recorder.elapsedMs(), transcript: recorder.entries };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * Runs the concurrent checks through a pool of `concurrency` workers, then the exclusive ones one by
 * one; outcomes come back in the order of `checks`.
 */
export async function runChecks(checks: readonly Check[], options: RunnerOptions): Promise<CheckOutcome[]> {
  const outcomes = new Array<CheckOutcome>(checks.length);
  let done = 0;
  const finish = (index: number, outcome: CheckOutcome) => {
    outcomes[index] = outcome;
    options.onOutcome?.(outcome, ++done, checks.length);
  };
  // The checks that may take longest (the model-based properties) start first, so that the many
  // short ones run beside them instead of after them; the sort is stable, and outcomes keep `checks`' order.
  const concurrent = checks
    .map((check, index) => ({ check, index, boundSeconds: check.minimumSeconds(options.limits) }))
    .filter(({ check }) => !check.exclusive)
    .sort((a, b) => b.boundSeconds - a.boundSeconds);
  let next = 0;
  const worker = async () => {
    while (next < concurrent.length) {
      const { check, index } = concurrent[next++]!;
      finish(index, await runOne(check, index, options));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  for (const [index, check] of checks.entries()) {
    if (check.exclusive) finish(index, await runOne(check, index, options));
  }
  return outcomes;
}
