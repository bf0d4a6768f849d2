import type { Level, Requirement, RequirementId } from '../../spec/src/requirement-index.js';
import type { CheckOutcome } from './check-outcome.js';
import type { Expectation } from './expectations-file.js';
import type { Failure } from './failure.js';
import { uncheckedReason } from './unchecked-reasons.js';

export const VERDICTS = ['PASS', 'FAIL', 'NON-STRICT', 'NOT CHECKED', 'EXPECTED-FAIL', 'UNEXPECTED-PASS'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A failure as a report shows it: which check saw it. */
export interface AttributedFailure extends Failure {
  checkId: string;
}

export interface RequirementVerdict {
  id: RequirementId;
  verdict: Verdict;
  level: Level;
  /** Why NOT CHECKED, or the expectation's reason for EXPECTED-FAIL / UNEXPECTED-PASS. */
  reason?: string;
  /** NOT CHECKED because --only/--skip left its checks out. */
  skipped: boolean;
  /** Its own checks, by id. */
  checks: string[];
  /** Failures citing it, from any check. */
  failures: AttributedFailure[];
  expectation?: Expectation;
}

export interface VerdictInput {
  /** The requirements the run reports on (the server's). */
  requirements: readonly Requirement[];
  outcomes: readonly CheckOutcome[];
  /** Requirements whose checks exist but were left out by --only/--skip. */
  deselected: ReadonlySet<string>;
  expectations: ReadonlyMap<string, Expectation>;
}

function unmetVerdict(level: Level): Verdict {
  return level === 'MUST' ? 'FAIL' : 'NON-STRICT';
}

function rawVerdict(requirement: Requirement, own: readonly CheckOutcome[], failures: readonly AttributedFailure[], deselected: boolean): Pick<RequirementVerdict, 'verdict' | 'reason' | 'skipped'> {
  if (failures.length > 0) return { verdict: unmetVerdict(requirement.level), skipped: false };
  if (own.some((outcome) => outcome.status !== 'not-checkable' && outcome.stoppedBy === undefined)) return { verdict: 'PASS', skipped: false };
  if (own.length === 0) {
    return deselected ? { verdict: 'NOT CHECKED', reason: 'skipped by --only/--skip', skipped: true } : { verdict: 'NOT CHECKED', reason: uncheckedReason(requirement.id), skipped: false };
  }
  const reasons = own.map((outcome) =>
    outcome.status === 'not-checkable' ? outcome.reason! : `${outcome.checkId} stopped on a failure of ${outcome.stoppedBy!.requirement} before reaching it`,
  );
  return { verdict: 'NOT CHECKED', reason: [...new Set(reasons)].join('; '), skipped: false };
}

/** Applies the expectations file: a failure it announces is expected, a pass it announces is news. */
function withExpectation(verdict: Pick<RequirementVerdict, 'verdict' | 'reason' | 'skipped'>, expectation: Expectation | undefined): Pick<RequirementVerdict, 'verdict' | 'reason' | 'skipped'> {
  if (expectation === undefined) return verdict;
  if (verdict.verdict === 'FAIL' || verdict.verdict === 'NON-STRICT') return { ...verdict, verdict: 'EXPECTED-FAIL', reason: expectation.reason };
  if (verdict.verdict === 'PASS') return { ...verdict, verdict: 'UNEXPECTED-PASS', reason: `expected to fail (${expectation.reason}) but every check passed: remove it from the expectations file` };
  return verdict;
}

/** One verdict per requirement, from the outcomes of every check that ran. */
export function computeVerdicts(input: VerdictInput): RequirementVerdict[] {
  const failuresBy = new Map<string, AttributedFailure[]>();
  for (const outcome of input.outcomes) {
    for (const failure of outcome.failures) {
      const list = failuresBy.get(failure.requirement) ?? [];
      list.push({ ...failure, checkId: outcome.checkId });
      failuresBy.set(failure.requirement, list);
    }
  }
  return input.requirements.map((requirement) => {
    const own = input.outcomes.filter((outcome) => outcome.requirement === requirement.id);
    const failures = failuresBy.get(requirement.id) ?? [];
    const expectation = input.expectations.get(requirement.id);
    const verdict = withExpectation(rawVerdict(requirement, own, failures, input.deselected.has(requirement.id)), expectation);
    return { id: requirement.id, level: requirement.level, ...verdict, checks: own.map((outcome) => outcome.checkId), failures, ...(expectation ? { expectation } : {}) };
  });
}

export interface VerdictCounts {
  passed: number;
  failed: number;
  nonStrict: number;
  expectedFail: number;
  unexpectedPass: number;
  skipped: number;
  notChecked: number;
}

export function countVerdicts(verdicts: readonly RequirementVerdict[]): VerdictCounts {
  const count = (predicate: (v: RequirementVerdict) => boolean) => verdicts.filter(predicate).length;
  return {
    passed: count((v) => v.verdict === 'PASS'),
    failed: count((v) => v.verdict === 'FAIL'),
    nonStrict: count((v) => v.verdict === 'NON-STRICT'),
    expectedFail: count((v) => v.verdict === 'EXPECTED-FAIL'),
    unexpectedPass: count((v) => v.verdict === 'UNEXPECTED-PASS'),
    skipped: count((v) => v.verdict === 'NOT CHECKED' && v.skipped),
    notChecked: count((v) => v.verdict === 'NOT CHECKED' && !v.skipped),
  };
}

/** The run fails on a broken MUST, an expectation that no longer holds, and in strict mode a SHOULD. */
export function runFails(verdicts: readonly RequirementVerdict[], strict: boolean): boolean {
  return verdicts.some((v) => v.verdict === 'FAIL' || v.verdict === 'UNEXPECTED-PASS' || (strict && v.verdict === 'NON-STRICT'));
}

/** The closing line: requirements that failed the run count as failed. */
export function summaryLine(counts: VerdictCounts, strict: boolean): string {
  const failed = counts.failed + counts.unexpectedPass + (strict ? counts.nonStrict : 0);
  const parts = [`${counts.passed} passed`, `${failed} failed`];
  if (!strict && counts.nonStrict > 0) parts.push(`${counts.nonStrict} non-strict`);
  if (counts.expectedFail > 0) parts.push(`${counts.expectedFail} expected to fail`);
  parts.push(`${counts.skipped} skipped`, `${counts.notChecked} not checked`);
  return parts.join(', ');
}
