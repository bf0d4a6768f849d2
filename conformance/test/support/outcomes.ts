import type { CheckOutcome } from '../../src/check-outcome.js';
import type { Failure } from '../../src/failure.js';
import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { requirement } from '../../../spec/src/requirements.js';

/** A check outcome as the runner would produce it, for tests of what comes after the run. */
export function outcome(requirementId: RequirementId, status: CheckOutcome['status'], options: { failures?: Failure[]; stoppedBy?: Failure; reason?: string; slug?: string } = {}): CheckOutcome {
  const failures = options.failures ?? (options.stoppedBy ? [options.stoppedBy] : []);
  return {
    checkId: `${requirementId}/${options.slug ?? 'example'}`,
    requirement: requirementId,
    level: requirement(requirementId).level,
    description: `sends what ${requirementId} needs`,
    status,
    failures,
    ...(options.stoppedBy ? { stoppedBy: options.stoppedBy } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
    durationMs: 12,
    transcript: [
      { kind: 'note', atMs: 0, text: 'auth service: alice granted org-1' },
      {
        kind: 'http',
        atMs: 1,
        durationMs: 3,
        request: { method: 'POST', url: 'http://127.0.0.1:1/sync/app', headers: { 'content-type': 'application/json' }, body: '{"changes":[]}' },
        response: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad <request> & "stuff"' },
      },
    ],
  };
}

export function failureOf(requirementId: RequirementId, actual = 'something else'): Failure {
  return { requirement: requirementId, expected: 'what the spec says', actual };
}
