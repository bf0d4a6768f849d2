import { HtmlReporter } from './html-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { JunitReporter } from './junit-reporter.js';
import type { Reporter } from './reporter.js';

/** Every file reporter by name; a run writes all of them into --report-dir. */
export const REPORTERS = {
  json: JsonReporter,
  junit: JunitReporter,
  html: HtmlReporter,
} satisfies Record<string, new () => Reporter>;

export type ReporterName = keyof typeof REPORTERS;
