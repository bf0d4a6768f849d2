import { describe, expect, it } from 'vitest';
import { requirement } from '../../spec/src/requirements.js';
import { computeVerdicts, countVerdicts, runFails, summaryLine, type VerdictInput } from '../src/verdicts.js';
import { failureOf, outcome } from './support/outcomes.js';

const requirements = ['PUSH-6', 'PUSH-8', 'ERR-1', 'ERR-3', 'SPACE-9', 'OPS-3', 'AUTH-7'].map((id) => requirement(id));

function verdictsOf(input: Partial<VerdictInput>) {
  const verdicts = computeVerdicts({ requirements, outcomes: [], deselected: new Set(), expectations: new Map(), ...input });
  return Object.fromEntries(verdicts.map((v) => [v.id, v]));
}

describe('verdicts per requirement', () => {
  it('a requirement without a check is NOT CHECKED with "no check yet", or why no black box can drive it', () => {
    expect(verdictsOf({})['PUSH-8']).toMatchObject({ verdict: 'NOT CHECKED', reason: 'no check yet', skipped: false });
    expect(verdictsOf({})['AUTH-7']).toMatchObject({ verdict: 'NOT CHECKED', reason: expect.stringContaining('JWT_ISSUER') as unknown, skipped: false });
  });

  it('a check that ran to its end without a failure is a PASS; a MUST it breaks is a FAIL', () => {
    const v = verdictsOf({ outcomes: [outcome('PUSH-8', 'passed'), outcome('PUSH-6', 'failed', { stoppedBy: failureOf('PUSH-6') })] });
    expect(v['PUSH-8']!.verdict).toBe('PASS');
    expect(v['PUSH-6']!.verdict).toBe('FAIL');
    expect(v['PUSH-6']!.failures).toEqual([{ ...failureOf('PUSH-6'), checkId: 'PUSH-6/example' }]);
  });

  it('a broken SHOULD is NON-STRICT, and fails only a strict run', () => {
    const verdicts = computeVerdicts({ requirements, outcomes: [outcome('ERR-3', 'failed', { failures: [failureOf('ERR-3')] })], deselected: new Set(), expectations: new Map() });
    expect(verdicts.find((v) => v.id === 'ERR-3')!.verdict).toBe('NON-STRICT');
    expect(runFails(verdicts, false)).toBe(false);
    expect(runFails(verdicts, true)).toBe(true);
  });

  it('a failure seen by another check fails the requirement it cites (an error body in plain text fails ERR-1)', () => {
    const v = verdictsOf({ outcomes: [outcome('PUSH-8', 'failed', { failures: [failureOf('ERR-1', 'text/plain')] })] });
    expect(v['ERR-1']!.verdict).toBe('FAIL');
    expect(v['ERR-1']!.failures[0]!.checkId).toBe('PUSH-8/example');
    expect(v['PUSH-8']!.verdict).toBe('PASS');
  });

  it('a check stopped by another requirement’s failure leaves its own NOT CHECKED, saying why', () => {
    const v = verdictsOf({ outcomes: [outcome('PUSH-6', 'failed', { stoppedBy: failureOf('ERR-1') })] });
    expect(v['ERR-1']!.verdict).toBe('FAIL');
    expect(v['PUSH-6']).toMatchObject({ verdict: 'NOT CHECKED', reason: 'PUSH-6/example stopped on a failure of ERR-1 before reaching it' });
  });

  it('a target that cannot be driven the check’s way is NOT CHECKED with the check’s reason', () => {
    const v = verdictsOf({ outcomes: [outcome('OPS-3', 'not-checkable', { reason: '/metrics is restricted (OPS-4): 403' })] });
    expect(v['OPS-3']).toMatchObject({ verdict: 'NOT CHECKED', reason: '/metrics is restricted (OPS-4): 403' });
  });

  it('a requirement whose checks --only/--skip left out is NOT CHECKED and counted as skipped', () => {
    const verdicts = computeVerdicts({ requirements, outcomes: [], deselected: new Set(['PUSH-6']), expectations: new Map() });
    expect(verdicts.find((v) => v.id === 'PUSH-6')).toMatchObject({ verdict: 'NOT CHECKED', skipped: true });
    expect(countVerdicts(verdicts)).toMatchObject({ skipped: 1, notChecked: 6 });
  });
});

describe('expectations', () => {
  const expectations = new Map([['PUSH-6', { reason: 'not atomic yet', link: 'https://example.test/issue/1' }]]);

  it('an expected failure is EXPECTED-FAIL and does not fail the run', () => {
    const verdicts = computeVerdicts({ requirements, outcomes: [outcome('PUSH-6', 'failed', { stoppedBy: failureOf('PUSH-6') })], deselected: new Set(), expectations });
    expect(verdicts.find((v) => v.id === 'PUSH-6')).toMatchObject({ verdict: 'EXPECTED-FAIL', reason: 'not atomic yet' });
    expect(runFails(verdicts, true)).toBe(false);
  });

  it('an expected failure that passes is UNEXPECTED-PASS and fails the run', () => {
    const verdicts = computeVerdicts({ requirements, outcomes: [outcome('PUSH-6', 'passed')], deselected: new Set(), expectations });
    expect(verdicts.find((v) => v.id === 'PUSH-6')!.verdict).toBe('UNEXPECTED-PASS');
    expect(runFails(verdicts, false)).toBe(true);
    expect(summaryLine(countVerdicts(verdicts), false)).toBe('0 passed, 1 failed, 0 skipped, 6 not checked');
  });

  it('an expected failure of a requirement that was not checked stays NOT CHECKED', () => {
    const verdicts = computeVerdicts({ requirements, outcomes: [], deselected: new Set(), expectations });
    expect(verdicts.find((v) => v.id === 'PUSH-6')!.verdict).toBe('NOT CHECKED');
  });
});

describe('the summary line', () => {
  it('counts requirements: passed, failed, then non-strict and expected failures when present, then skipped and not checked', () => {
    const counts = { passed: 40, failed: 2, nonStrict: 1, expectedFail: 3, unexpectedPass: 1, skipped: 4, notChecked: 80 };
    expect(summaryLine(counts, false)).toBe('40 passed, 3 failed, 1 non-strict, 3 expected to fail, 4 skipped, 80 not checked');
    expect(summaryLine(counts, true)).toBe('40 passed, 4 failed, 3 expected to fail, 4 skipped, 80 not checked');
  });
});
