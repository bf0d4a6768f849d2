import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { CheckOutcome } from '../src/check-outcome.js';
import type { RunReport } from '../src/run-report.js';
import type { Variant } from './variants.js';

/**
 * caught: the run failed (exit 1) with every expected requirement FAIL. survived: the run passed.
 * missed: the run failed, but not under every expected requirement. broken: the run did not end with
 * a report and exit 0 or 1 (the patched server did not start, the run timed out). not run: the
 * variant needs PostgreSQL and none was given.
 */
export type VariantStatus = 'caught' | 'survived' | 'missed' | 'broken' | 'not run';

/** Where a patched server kept its change log. */
export type MutantDatabase = 'in-process PGlite' | 'PostgreSQL';

/** One run of the suite: how it ended. */
export interface SuiteRun {
  /** The CLI's exit status; null when it was killed (timeout, signal). */
  readonly exitCode: number | null;
  /** report.json, when the run wrote one. */
  readonly report: RunReport | undefined;
  /** Wall time of the whole run, start of the process to its exit. */
  readonly wallMs: number;
  /** Where report.json and the run's output are. */
  readonly reportDir: string;
  /** Why there is no usable result (a timeout, a crash), from the runner's side. */
  readonly problem?: string;
}

export interface VariantResult {
  readonly variant: string;
  readonly bug: string;
  readonly caughtUnder: readonly RequirementId[];
  readonly status: VariantStatus;
  readonly exitCode: number | null;
  /** Every requirement the run marked FAIL. */
  readonly failed: readonly RequirementId[];
  /** Steps of the shortest shrunk counterexample among the failing checks that name an expected requirement, when one reports it. */
  readonly counterexampleSteps: number | undefined;
  /** Time to find: the wall time of the whole run (process start, server start, every check). */
  readonly wallMs: number;
  /** The checks' part of it, as report.json gives it. */
  readonly suiteMs: number | undefined;
  readonly reportDir: string;
  readonly database: MutantDatabase;
  readonly problem?: string;
}

export interface ControlResult {
  /** The unpatched server passed (exit 0): the suite does not fail everything. */
  readonly passed: boolean;
  readonly exitCode: number | null;
  readonly failed: readonly RequirementId[];
  readonly wallMs: number;
  readonly reportDir: string;
  readonly problem?: string;
}

const failedRequirements = (report: RunReport | undefined): RequirementId[] =>
  (report?.requirements ?? []).filter((row) => row.verdict === 'FAIL').map((row) => row.id);

export function judgeControl(run: SuiteRun): ControlResult {
  return {
    passed: run.exitCode === 0 && run.report !== undefined && run.report.passed,
    exitCode: run.exitCode,
    failed: failedRequirements(run.report),
    wallMs: run.wallMs,
    reportDir: run.reportDir,
    ...(run.problem === undefined ? {} : { problem: run.problem }),
  };
}

export function judgeVariant(variant: Variant, run: SuiteRun, database: MutantDatabase): VariantResult {
  const failed = failedRequirements(run.report);
  let status: VariantStatus;
  if (run.report === undefined || (run.exitCode !== 0 && run.exitCode !== 1)) status = 'broken';
  else if (run.exitCode === 0) status = 'survived';
  else status = variant.caughtUnder.every((id) => failed.includes(id)) ? 'caught' : 'missed';
  // A property check is listed under its own requirement but names the one it found violated:
  // any failing check whose failure names an expected requirement counts.
  const expectedChecks = (run.report?.requirements ?? [])
    .flatMap((row) => row.checks)
    .filter((check) => check.status === 'failed' && check.failures.some((failure) => variant.caughtUnder.includes(failure.requirement)));
  const steps = expectedChecks.map(counterexampleSteps).filter((count): count is number => count !== undefined);
  return {
    variant: variant.name,
    bug: variant.bug,
    caughtUnder: variant.caughtUnder,
    status,
    exitCode: run.exitCode,
    failed,
    counterexampleSteps: steps.length === 0 ? undefined : Math.min(...steps),
    wallMs: run.wallMs,
    suiteMs: run.report?.run.durationMs,
    reportDir: run.reportDir,
    database,
    ...(run.problem === undefined ? {} : { problem: run.problem }),
  };
}

/** A variant that needs PostgreSQL when the run has none: not run, which fails the run. */
export function notRun(variant: Variant, reportDir: string): VariantResult {
  return {
    variant: variant.name,
    bug: variant.bug,
    caughtUnder: variant.caughtUnder,
    status: 'not run',
    exitCode: null,
    failed: [],
    counterexampleSteps: undefined,
    wallMs: 0,
    suiteMs: undefined,
    reportDir,
    database: 'PostgreSQL',
    problem: 'needs PostgreSQL (two transactions open at once): pass --database-url or set DATABASE_URL',
  };
}

/**
 * The steps of a shrunk counterexample a failing check reports: a `counterexample.steps` array on the
 * check outcome, else a numbered list `1. …`, `2. …` in its failures (the plain-words transcript of a
 * property check). Undefined for example-based checks, which have no counterexample.
 */
export function counterexampleSteps(check: CheckOutcome): number | undefined {
  const structured = (check as { counterexample?: { steps?: unknown } }).counterexample?.steps;
  if (Array.isArray(structured)) return structured.length;
  let best: number | undefined;
  for (const failure of check.failures) {
    const numbers = failure.actual.split('\n').flatMap((line) => {
      const match = /^\s*(\d+)\.\s/.exec(line);
      return match === null ? [] : [Number(match[1])];
    });
    // Only a list numbered 1, 2, 3 … counts, not a stray "2. " inside a value.
    const listed = numbers.findIndex((n, index) => n !== index + 1);
    const count = listed === -1 ? numbers.length : listed;
    if (count > 0) best = best === undefined ? count : Math.min(best, count);
  }
  return best;
}
