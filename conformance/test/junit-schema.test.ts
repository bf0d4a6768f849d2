import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JunitReporter } from '../src/reporters/junit-reporter.js';
import { sampleReport } from './support/sample-report.js';

const SCHEMA = new URL('./fixtures/junit.xsd', import.meta.url).pathname;
const xmllint = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
const SKIP_REASON = 'xmllint is not installed (Debian package libxml2-utils; .ci/run installs it)';
if (!xmllint) console.warn(`junit-schema.test.ts: skipped, ${SKIP_REASON}`);

/** xmllint's verdict on a file against the JUnit schema: null when valid, else its complaint. */
function validate(xml: string, dir: string): string | null {
  const file = join(dir, 'junit.xml');
  writeFileSync(file, xml);
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  return result.status === 0 ? null : result.stderr;
}

// junit.xml is read by CI servers, not by us: it is validated against the format they accept
// (fixtures/junit.xsd), for a run with every verdict, strict and not.
describe.skipIf(!xmllint)(`junit.xml against the JUnit schema${xmllint ? '' : ` (${SKIP_REASON})`}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'junit-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the report of a run with every verdict validates', () => {
    expect(validate(new JunitReporter().render(sampleReport()), dir)).toBeNull();
  });

  it('the report of a strict run validates', () => {
    expect(validate(new JunitReporter().render(sampleReport(true)), dir)).toBeNull();
  });

  it('the schema refuses what CI servers refuse: a testcase without a name, a count that is not a number', () => {
    const valid = new JunitReporter().render(sampleReport());
    expect(validate(valid.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"'), dir)).toMatch(/name/);
    expect(validate(valid.replace(/tests="\d+"/, 'tests="many"'), dir)).toMatch(/tests/);
  });
});
