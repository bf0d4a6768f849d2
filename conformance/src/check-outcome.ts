import type { Level, RequirementId } from '../../spec/src/requirement-index.js';
import type { Failure } from './failure.js';
import type { TranscriptEntry } from './transcript.js';

/** How one check ended: ran to its end, stopped on a failure, or could not drive the target. */
export type CheckStatus = 'passed' | 'failed' | 'not-checkable';

export interface CheckOutcome {
  checkId: string;
  requirement: RequirementId;
  level: Level;
  description: string;
  status: CheckStatus;
  /** Every failure the check saw: the one that stopped it and those every answer is held to. */
  failures: Failure[];
  /** The failure that stopped the check before its end; absent when it ran to completion. */
  stoppedBy?: Failure;
  /** Why the check could not drive the target (status not-checkable). */
  reason?: string;
  durationMs: number;
  transcript: TranscriptEntry[];
}
