import type { RunReport } from '../run-report.js';
import type { Reporter } from './reporter.js';

/** report.json: the whole run, machine-readable, with every transcript. */
export class JsonReporter implements Reporter {
  readonly fileName = 'report.json';

  render(report: RunReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
  }
}
