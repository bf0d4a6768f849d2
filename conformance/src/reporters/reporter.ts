import type { RunReport } from '../run-report.js';

/** Writes one report file from a finished run. */
export interface Reporter {
  readonly fileName: string;
  render(report: RunReport): string;
}
