import type { RequirementId } from '../../spec/src/requirement-index.js';

/** What a check saw that the spec forbids: the requirement it breaks, what was due and what came. */
export interface Failure {
  requirement: RequirementId;
  expected: string;
  actual: string;
}

/** Thrown by a check (or by the user client on its behalf) when an expectation does not hold. */
export class ExpectationFailure extends Error {
  readonly code = 'CONFORMANCE_EXPECTATION_FAILED';
  constructor(readonly failure: Failure) {
    super(`${failure.requirement}: expected ${failure.expected}, got ${failure.actual}`);
    this.name = 'ExpectationFailure';
  }
}

/** Thrown when the target cannot be driven the way the check needs; the requirement stays NOT CHECKED. */
export class NotCheckable extends Error {
  readonly code = 'CONFORMANCE_NOT_CHECKABLE';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotCheckable';
  }
}

export function fail(requirement: RequirementId, expected: string, actual: string): never {
  throw new ExpectationFailure({ requirement, expected, actual });
}
