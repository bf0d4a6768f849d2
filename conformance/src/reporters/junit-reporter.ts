import type { RequirementRow, RunReport } from '../run-report.js';
import type { Reporter } from './reporter.js';
import { escapeMarkup as x } from './xml-text.js';

function failureText(row: RequirementRow): string {
  return row.failures.map((f) => `[${f.checkId}] ${f.requirement}\n  expected: ${f.expected}\n  actual:   ${f.actual}`).join('\n\n');
}

function failsRun(row: RequirementRow, strict: boolean): boolean {
  return row.verdict === 'FAIL' || row.verdict === 'UNEXPECTED-PASS' || (strict && row.verdict === 'NON-STRICT');
}

function testcase(row: RequirementRow, strict: boolean): string {
  const seconds = (row.checks.reduce((sum, check) => sum + check.durationMs, 0) / 1000).toFixed(3);
  const open = `    <testcase classname="mana-sync.${row.area}" name="${x(`${row.id} (${row.level}) ${row.title}`)}" time="${seconds}"`;
  if (failsRun(row, strict)) {
    const message = row.verdict === 'UNEXPECTED-PASS' ? (row.reason ?? 'unexpected pass') : row.failures[0] ? `expected ${row.failures[0].expected}, got ${row.failures[0].actual}` : row.verdict;
    const body = row.verdict === 'UNEXPECTED-PASS' ? message : failureText(row);
    return `${open}>\n      <failure message="${x(message.slice(0, 500))}" type="${row.verdict}">${x(body)}</failure>\n    </testcase>`;
  }
  switch (row.verdict) {
    case 'PASS':
      return `${open}/>`;
    case 'FAIL':
    case 'UNEXPECTED-PASS':
    case 'NON-STRICT':
      return `${open}>\n      <system-out>${x(`NON-STRICT (a ${row.level} not met)\n${failureText(row)}`)}</system-out>\n    </testcase>`;
    case 'EXPECTED-FAIL':
      return `${open}>\n      <skipped message="${x(`expected to fail: ${row.reason ?? ''}`)}"/>\n    </testcase>`;
    case 'NOT CHECKED':
      return `${open}>\n      <skipped message="${x(`not checked: ${row.reason ?? ''}`)}"/>\n    </testcase>`;
  }
}

/**
 * junit.xml: one testcase per requirement, a testsuite per area (GitHub and GitLab read it). Only
 * attributes of the common JUnit schemas (Jenkins junit-10.xsd, Ant's) are written: no `skipped` on
 * <testsuites>, a timestamp without zone or fraction.
 */
export class JunitReporter implements Reporter {
  readonly fileName = 'junit.xml';

  render(report: RunReport): string {
    const areas = [...new Set(report.requirements.map((row) => row.area))];
    const suites = areas.map((area) => {
      const rows = report.requirements.filter((row) => row.area === area);
      const failures = rows.filter((row) => failsRun(row, report.run.strict)).length;
      const skipped = rows.filter((row) => row.verdict === 'NOT CHECKED' || row.verdict === 'EXPECTED-FAIL').length;
      const seconds = rows.flatMap((row) => row.checks).reduce((sum, check) => sum + check.durationMs, 0) / 1000;
      return `  <testsuite name="${x(area)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}" timestamp="${x(report.run.startedAt.slice(0, 19))}">\n${rows.map((row) => testcase(row, report.run.strict)).join('\n')}\n  </testsuite>`;
    });
    const failures = report.requirements.filter((row) => failsRun(row, report.run.strict)).length;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mana-conformance ${x(report.run.target)}" tests="${report.requirements.length}" failures="${failures}" errors="0" time="${(report.run.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
  }
}
