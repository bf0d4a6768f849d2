import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requirement } from '../../spec/src/requirements.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { CheckOutcome } from '../src/check-outcome.js';
import type { RunReport } from '../src/run-report.js';
import { mutantsReport, mutantTable } from '../mutants/mutant-table.js';
import { counterexampleSteps, judgeControl, judgeVariant, notRun, type SuiteRun } from '../mutants/mutant-verdict.js';

const PGLITE = 'in-process PGlite' as const;
import { patchedSources, workingTreeFiles } from '../mutants/patched-copy.js';
import { applyEdit, EditDoesNotApply } from '../mutants/source-edit.js';
import { VARIANTS, type Variant } from '../mutants/variants.js';

// The full mutant run (npm run test:mutants) takes minutes; these tests only keep it runnable: a
// refactor of the reference server that moves a variant's line fails here, at once.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('mutants: the variants still apply to the current source', () => {
  it('there are at least 12 variants, each named once', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(12);
    const names = VARIANTS.map((variant) => variant.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  const listed = new Set(workingTreeFiles(ROOT));
  it.each(VARIANTS.map((variant) => [`${variant.caughtUnder.join(' ')} ${variant.name}`, variant] as const))(
    '%s: every edit applies exactly once to a reference-server source file, and changes it',
    (_, variant) => {
      const patched = patchedSources(ROOT, variant);
      for (const [file, text] of patched) {
        // A seeded bug lives in the server; an edit of the suite would make the run prove nothing.
        expect(file).toMatch(/^reference-server\/src\/.+\.ts$/);
        expect(listed.has(file), `${file} is in the working tree git lists`).toBe(true);
        expect(text, `${variant.name} changes ${file}`).not.toBe(readFileSync(join(ROOT, file), 'utf8'));
      }
    },
  );

  it.each(VARIANTS.map((variant) => [variant.name, variant.caughtUnder] as const))('%s is caught under MUST requirements of a server', (_, ids) => {
    for (const id of ids) expect(requirement(id)).toMatchObject({ subject: 'server', level: 'MUST' });
  });
});

describe('mutants: edits fail loudly', () => {
  const edit = { file: 'reference-server/src/x.ts', search: 'a < b', replace: 'a <= b' };

  it('replaces the one occurrence of the searched text', () => {
    expect(applyEdit('v', 'if (a < b) return;', edit)).toBe('if (a <= b) return;');
  });

  it('a text that is missing, repeated or left unchanged is an EditDoesNotApply naming the variant and the file', () => {
    expect(() => applyEdit('off-by-one', 'if (a > b) return;', edit)).toThrow(EditDoesNotApply);
    expect(() => applyEdit('off-by-one', 'if (a > b) return;', edit)).toThrow(/mutant "off-by-one" no longer applies to reference-server\/src\/x\.ts: .*"a < b" is not in the file/);
    expect(() => applyEdit('off-by-one', 'a < b; a < b;', edit)).toThrow(/occurs more than once/);
    expect(() => applyEdit('off-by-one', 'a < b', { ...edit, replace: 'a < b' })).toThrow(/changes nothing/);
  });

  it('a variant whose file no longer exists names the variant', () => {
    const gone: Variant = { name: 'gone', bug: 'x', caughtUnder: ['PUSH-6'], edits: [{ file: 'reference-server/src/no-such-file.ts', search: 'a', replace: 'b' }] };
    expect(() => patchedSources(ROOT, gone)).toThrow(/no-such-file\.ts/);
  });
});

describe('mutants: a run is judged by its exit status and report.json', () => {
  const variant: Variant = { name: 'push-not-atomic', bug: 'x', caughtUnder: ['PUSH-6'], edits: [{ file: 'f', search: 'a', replace: 'b' }] };
  const check = (requirementId: RequirementId, actual: string, extra: object = {}): CheckOutcome => ({
    checkId: `${requirementId}/x`,
    requirement: requirementId,
    level: 'MUST',
    description: '',
    status: 'failed',
    failures: [{ requirement: requirementId, expected: 'e', actual }],
    durationMs: 1,
    transcript: [],
    ...extra,
  });
  const report = (failed: Array<{ id: RequirementId; checks?: CheckOutcome[] }>, passed = failed.length === 0): RunReport =>
    ({
      run: { durationMs: 900 },
      passed,
      requirements: [
        { id: 'PUSH-1', verdict: 'PASS', checks: [] },
        ...failed.map(({ id, checks }) => ({ id, verdict: 'FAIL', checks: checks ?? [check(id, 'stored 2 of 3')] })),
      ],
    }) as unknown as RunReport;
  const run = (exitCode: number | null, runReport: RunReport | undefined): SuiteRun => ({ exitCode, report: runReport, wallMs: 1234, reportDir: '/r' });

  it('caught: exit 1 with every expected requirement FAIL; the other failures are listed too', () => {
    const result = judgeVariant(variant, run(1, report([{ id: 'PUSH-6' }, { id: 'PULL-3' }])), PGLITE);
    expect(result).toMatchObject({ status: 'caught', failed: ['PUSH-6', 'PULL-3'], wallMs: 1234, suiteMs: 900, counterexampleSteps: undefined });
  });

  it('missed: exit 1 but the expected requirement passed; survived: exit 0; broken: no report or exit 2', () => {
    expect(judgeVariant(variant, run(1, report([{ id: 'PULL-3' }])), PGLITE).status).toBe('missed');
    expect(judgeVariant(variant, run(0, report([])), PGLITE).status).toBe('survived');
    expect(judgeVariant(variant, run(2, report([])), PGLITE).status).toBe('broken');
    expect(judgeVariant(variant, run(null, undefined), PGLITE).status).toBe('broken');
  });

  it('the control passes only with exit 0 and a passing report', () => {
    expect(judgeControl(run(0, report([]))).passed).toBe(true);
    expect(judgeControl(run(1, report([{ id: 'PUSH-6' }])))).toMatchObject({ passed: false, failed: ['PUSH-6'] });
    expect(judgeControl(run(0, undefined)).passed).toBe(false);
  });

  it('steps of a shrunk counterexample: a counterexample.steps array, else a list numbered from 1 in the failure', () => {
    expect(counterexampleSteps(check('PULL-3', 'x', { counterexample: { steps: ['a', 'b', 'c'] } }))).toBe(3);
    expect(counterexampleSteps(check('PULL-3', 'counterexample:\n1. alice/laptop inserts t1\n2. bob/phone pulls\n'))).toBe(2);
    expect(counterexampleSteps(check('PULL-3', 'got {"x":"2. not a step"}'))).toBeUndefined();
    const shortest = judgeVariant(variant, run(1, report([{ id: 'PUSH-6', checks: [check('PUSH-6', '1. a\n2. b\n3. c'), check('PUSH-6', '1. a\n2. b')] }])), PGLITE);
    expect(shortest.counterexampleSteps).toBe(2);
  });

  it('the table names each variant, its requirement, its result, what failed and the time; the report passes only when all are caught', () => {
    const caught = judgeVariant(variant, run(1, report([{ id: 'PUSH-6' }])), PGLITE);
    const survived = judgeVariant({ ...variant, name: 'echo-not-suppressed', caughtUnder: ['PULL-12'] }, run(0, report([])), PGLITE);
    const control = judgeControl(run(0, report([])));
    const failing = mutantsReport(control, [caught, survived], [], 'in-process PGlite');
    expect(failing).toMatchObject({ caught: 1, passed: false });
    const table = mutantTable(failing);
    expect(table).toMatch(/push-not-atomic\s+PUSH-6\s+caught\s+PUSH-6\s+-\s+in-process PGlite\s+1\.2 s/);
    expect(table).toMatch(/echo-not-suppressed\s+PULL-12\s+survived/);
    expect(table).toContain('1 of 2 variants caught under their requirements (default budget, servers on in-process PGlite)');
    expect(mutantsReport(control, [caught], [], 'in-process PGlite').passed).toBe(true);
    // A variant that needs PostgreSQL in a run without one is not run, and the run does not pass.
    const horizon = notRun({ ...variant, name: 'cursor-reads-past-horizon', caughtUnder: ['PULL-3'], database: 'postgresql' }, '/r');
    const withoutPostgres = mutantsReport(control, [caught, horizon], [], 'in-process PGlite');
    expect(withoutPostgres).toMatchObject({ caught: 1, passed: false });
    expect(mutantTable(withoutPostgres)).toMatch(/cursor-reads-past-horizon\s+PULL-3\s+not run\s+needs PostgreSQL .*--database-url or set DATABASE_URL/);
    expect(mutantsReport(judgeControl(run(1, report([{ id: 'PULL-3' }]))), [caught], [], 'in-process PGlite').passed).toBe(false);
  });
});
