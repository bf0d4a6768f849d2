import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectationsFromRun, parseExpectations, readExpectations, writeExpectations } from '../src/expectations-file.js';
import { UsageError } from '../src/usage-error.js';
import type { RequirementVerdict } from '../src/verdicts.js';

const known = new Set(['PUSH-6', 'PUSH-8', 'ERR-3']);

describe('the expectations file', () => {
  it('reads requirement IDs with a reason and an optional link', () => {
    const parsed = parseExpectations('{"expectedFailures":{"PUSH-6":{"reason":"not atomic","link":"https://x.test/1"},"PUSH-8":{"reason":"no push ids"}}}', 'f.json', known);
    expect([...parsed]).toEqual([
      ['PUSH-6', { reason: 'not atomic', link: 'https://x.test/1' }],
      ['PUSH-8', { reason: 'no push ids' }],
    ]);
  });

  it.each([
    ['not JSON', 'expectedFailures: []', /is not JSON/],
    ['no expectedFailures object', '{"PUSH-6":{}}', /no "expectedFailures" object/],
    ['an unknown requirement', '{"expectedFailures":{"PUSH-99":{"reason":"x"}}}', /"PUSH-99" is not a server requirement/],
    ['a client requirement', '{"expectedFailures":{"LWW-5":{"reason":"x"}}}', /"LWW-5" is not a server requirement/],
    ['a missing reason', '{"expectedFailures":{"PUSH-6":{}}}', /PUSH-6 needs a "reason"/],
  ])('refuses %s with a usage error', (_, text, message) => {
    expect(() => parseExpectations(text, 'f.json', known)).toThrow(UsageError);
    expect(() => parseExpectations(text, 'f.json', known)).toThrow(message);
  });

  it('a missing file is a usage error naming it', () => {
    expect(() => readExpectations('/no/such/expectations.json', known)).toThrow(/cannot read the expectations file \/no\/such\/expectations.json/);
  });

  it('--update-expectations writes every failing requirement, keeps known reasons, drops passes, and reads back', () => {
    const verdicts: RequirementVerdict[] = [
      { id: 'PUSH-6', verdict: 'FAIL', level: 'MUST', skipped: false, checks: [], failures: [{ requirement: 'PUSH-6', expected: 'nothing stored', actual: '2 changes', checkId: 'PUSH-6/x' }] },
      { id: 'PUSH-8', verdict: 'EXPECTED-FAIL', level: 'MUST', skipped: false, checks: [], failures: [], expectation: { reason: 'known', link: 'https://x.test/2' } },
      { id: 'ERR-3', verdict: 'NON-STRICT', level: 'SHOULD', skipped: false, checks: [], failures: [] },
    ];
    const file = expectationsFromRun(verdicts, false);
    expect(file).toEqual({ expectedFailures: { 'PUSH-6': { reason: 'expected nothing stored, got 2 changes' }, 'PUSH-8': { reason: 'known', link: 'https://x.test/2' } } });
    expect(Object.keys(expectationsFromRun(verdicts, true).expectedFailures)).toEqual(['PUSH-6', 'PUSH-8', 'ERR-3']);
    const path = join(mkdtempSync(join(tmpdir(), 'expectations-')), 'e.json');
    writeExpectations(path, file);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(file);
    expect([...readExpectations(path, known).keys()]).toEqual(['PUSH-6', 'PUSH-8']);
  });
});
