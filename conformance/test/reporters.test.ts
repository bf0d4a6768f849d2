import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HtmlReporter } from '../src/reporters/html-reporter.js';
import { JsonReporter } from '../src/reporters/json-reporter.js';
import { JunitReporter } from '../src/reporters/junit-reporter.js';
import { REPORTERS } from '../src/reporters/reporters.js';
import { sampleReport } from './support/sample-report.js';

const python = spawnSync('python3', ['--version']).status === 0;

interface ParsedJunit {
  suites: number;
  cases: { name: string; failure: string | null; skipped: string | null }[];
}

/** Parses XML with Python's expat (a real XML parser) and returns what the test asks for. */
function parseJunit(xml: string): ParsedJunit {
  const script = `
import sys, json, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
cases = []
for c in d.getElementsByTagName('testcase'):
    f = c.getElementsByTagName('failure'); s = c.getElementsByTagName('skipped')
    cases.append({'name': c.getAttribute('name'), 'failure': f[0].getAttribute('message') if f else None, 'skipped': s[0].getAttribute('message') if s else None})
print(json.dumps({'suites': len(d.getElementsByTagName('testsuite')), 'cases': cases}))`;
  const result = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`not well-formed XML: ${result.stderr}`);
  return JSON.parse(result.stdout) as ParsedJunit;
}

describe('reporters', () => {
  it('are one class per file behind a name map, each writing its own file', () => {
    expect(Object.keys(REPORTERS)).toEqual(['json', 'junit', 'html']);
    expect(Object.values(REPORTERS).map((R) => new R().fileName)).toEqual(['report.json', 'junit.xml', 'report.html']);
  });

  it('report.json holds the run and one row per requirement with verdict, level, checks and transcripts', () => {
    const report = sampleReport();
    const parsed = JSON.parse(new JsonReporter().render(report)) as typeof report;
    expect(parsed.run).toMatchObject({ target: 'http://127.0.0.1:3050', seed: 7, versions: { protocol: 'mana-sync/1' } });
    expect(parsed.requirements.map((row) => [row.id, row.verdict])).toEqual([
      ['PUSH-6', 'FAIL'], ['PUSH-8', 'PASS'], ['ERR-1', 'FAIL'], ['ERR-3', 'NON-STRICT'], ['OPS-3', 'NOT CHECKED'], ['AUTH-7', 'NOT CHECKED'], ['PULL-3', 'PASS'], ['PULL-5', 'EXPECTED-FAIL'],
    ]);
    expect(parsed.requirements[0]!.checks[0]!.transcript).toHaveLength(2);
  });

  it.skipIf(!python)('junit.xml is well-formed, one testcase per requirement, failures with expected and actual, NOT CHECKED as skipped', () => {
    const parsed = parseJunit(new JunitReporter().render(sampleReport()));
    expect(parsed.cases).toHaveLength(8);
    const byId = Object.fromEntries(parsed.cases.map((c) => [c.name.split(' ')[0] ?? '', c] as const));
    expect(byId['PUSH-6']!.failure).toBe('expected what the spec says, got 2 changes stored <after> a "refused" push & more');
    expect(byId['ERR-1']!.failure).toContain('Content-Type text/plain');
    expect(byId['AUTH-7']!.skipped).toMatch(/^not checked: needs the target started with JWT_ISSUER/);
    expect(byId['PULL-5']!.skipped).toBe('expected to fail: pages not yet');
    expect(byId['ERR-3']!.failure).toBeNull();
    expect(parsed.suites).toBe(5);
  });

  it.skipIf(!python)('junit.xml fails a NON-STRICT requirement in a strict run', () => {
    const parsed = parseJunit(new JunitReporter().render(sampleReport(true)));
    expect(parsed.cases.find((c) => c.name.startsWith('ERR-3'))!.failure).not.toBeNull();
  });

  it('report.html is one self-contained file: no http(s) URL in any src or href, no external stylesheet or script', () => {
    const html = new HtmlReporter().render(sampleReport());
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|@import|url\(/i);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
  });

  it('report.html shows each failure with expected and observed, its transcript escaped, and a relative link to the spec section', () => {
    const html = new HtmlReporter().render(sampleReport());
    expect(html).toContain('2 changes stored &lt;after&gt; a &quot;refused&quot; push &amp; more');
    expect(html).toContain('bad &lt;request&gt; &amp; &quot;stuff&quot;');
    expect(html).toContain('href="../spec/protocol.md#push-6-must-server-a-push-is-atomic"');
    expect(html).toContain('tracker.example.test/5');
    expect(html).toContain('All changes of one push MUST be stored in one transaction');
    for (const verdict of ['PASS', 'FAIL', 'NON-STRICT', 'NOT CHECKED', 'EXPECTED-FAIL', 'UNEXPECTED-PASS']) expect(html).toContain(`value="${verdict}"`);
  });
});
