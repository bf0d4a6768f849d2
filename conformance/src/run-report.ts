import type { Area, Level, RequirementId } from '../../spec/src/requirement-index.js';
import type { CheckOutcome } from './check-outcome.js';
import type { Expectation } from './expectations-file.js';
import type { AttributedFailure, Verdict, VerdictCounts } from './verdicts.js';

export interface RunInfo {
  target: string;
  /** `reference`: the reference server started in-process; `external`: --target; `image`: --image. */
  targetKind: 'reference' | 'external' | 'image';
  /** With --image: the image, and the file beside the reports holding its containers' output. */
  image?: { name: string; postgres?: string; logs: string };
  seed: number;
  strict: boolean;
  only: string[];
  skip: string[];
  expectationsFile?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  versions: { suite: string; protocol: string; node: string; server?: string };
  /** Why client and archive requirements are not rows of this report. */
  scope: string;
}

/** One row per server requirement: its verdict, its checks with their transcripts. */
export interface RequirementRow {
  id: RequirementId;
  area: Area;
  level: Level;
  title: string;
  /** The requirement's sentence of spec/protocol.md, so a report cites the clause it judges. */
  text: string;
  /** Relative link into the spec: `<specHref>#<anchor>`. */
  specLink: string;
  verdict: Verdict;
  reason?: string;
  skipped: boolean;
  expectation?: Expectation;
  failures: AttributedFailure[];
  checks: CheckOutcome[];
}

export interface RunReport {
  run: RunInfo;
  counts: VerdictCounts;
  summary: string;
  passed: boolean;
  requirements: RequirementRow[];
}
