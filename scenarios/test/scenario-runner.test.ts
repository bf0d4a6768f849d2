import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/scenario-runner.js';
import { defineScenario, observed } from '../src/scenario.js';
import { deploymentSetting } from '../src/scenario-setting.js';
import { CollectedOutput } from './support/collected-output.js';

// The runner alone, on a deployment setting that is never contacted (no step here sends a request).
const setting = deploymentSetting('http://deployment.invalid', { alice: { userId: 'ann', token: 't-a' }, bob: { userId: 'ben', token: 't-b' }, space: undefined });

describe('the scenario runner', () => {
  it('SPACE-12 prints a step that needs a third user as SKIP with the reason and goes on; a throwing step fails with the error as what happened', async () => {
    const output = new CollectedOutput();
    const outcome = await runScenario(
      defineScenario({
        name: 'sample',
        summary: 'three steps',
        requirements: ['SPACE-12'],
        needs: [],
        async run({ step }) {
          await step({ title: 'first', expected: 'one', hint: 'none' }, () => Promise.resolve(observed(true, 'one')));
          await step({ title: 'outsider', expected: 'nothing', hint: 'none', needs: 'third-user' }, () => Promise.reject(new Error('must not run')));
          await step({ title: 'throws', expected: 'an answer', hint: 'look at the server log', requirements: ['SPACE-12'] }, () => Promise.reject(new Error('socket hang up')));
          await step({ title: 'never', expected: 'x', hint: 'x' }, () => Promise.resolve(observed(true, 'x')));
        },
      }),
      setting,
      output,
    );
    expect(outcome.steps.map((step) => [step.title, step.status])).toEqual([
      ['first', 'passed'],
      ['outsider', 'skipped'],
      ['throws', 'failed'],
    ]);
    expect(output.text).toContain('  2. SKIP  outsider\n      skipped:  it needs a third user');
    expect(output.text).toContain('  3. FAIL  throws\n      expected: an answer\n      actual:   error: socket hang up\n      hint:     look at the server log\n      spec:     SPACE-12 (MUST NOT) Nothing leaks to outsiders\n');
    expect(output.text.trimEnd().split('\n').at(-1)).toBe('sample: FAILED at step 3: throws');
  });

  it('SPACE-8 skips a scenario whose needs the setting lacks, with every reason, and runs none of it', async () => {
    const output = new CollectedOutput();
    let ran = false;
    const outcome = await runScenario(
      defineScenario({
        name: 'needy',
        summary: 'needs everything',
        requirements: ['SPACE-8'],
        needs: ['membership-changes', 'shared-space'],
        run: () => {
          ran = true;
          return Promise.resolve();
        },
      }),
      setting,
      output,
    );
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ status: 'skipped', steps: [] });
    expect(output.text).toMatch(/needy: SKIPPED: it changes memberships .*; and it needs a space both users are members of; pass --space <id>/);
  });

  it('SPACE-2 reports an error outside the steps as the scenario\'s failure', async () => {
    const output = new CollectedOutput();
    const outcome = await runScenario(
      defineScenario({ name: 'broken', summary: 'fails before its first step', requirements: ['SPACE-2'], needs: [], run: () => Promise.reject(new Error('no shared space')) }),
      setting,
      output,
    );
    expect(outcome).toMatchObject({ status: 'failed', reason: 'an error outside the steps: no shared space' });
    expect(output.text.trimEnd().split('\n').at(-1)).toBe('broken: FAILED at an error outside the steps: no shared space');
  });
});
