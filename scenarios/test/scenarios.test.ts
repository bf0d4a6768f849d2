import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from '../../reference-server/test/support/database-targets.js';
import { startTestServer, type TestServer } from '../../reference-server/test/support/test-server.js';
import { SCENARIOS } from '../src/scenario-registry.js';
import { runScenario } from '../src/scenario-runner.js';
import { builtInSetting } from '../src/scenario-setting.js';
import { CollectedOutput } from './support/collected-output.js';

if (POSTGRES_URL === undefined) console.warn(`scenarios.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

// Every scenario, every step, against the reference server on each database it runs on, with the
// built-in auth service: nothing may be skipped there.
describe.each(serverDatabaseTargets())('the scenarios against the reference server on $label', (target) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(target);
  });
  afterAll(async () => server?.close());

  for (const scenario of SCENARIOS) {
    it(`${scenario.requirements.join(' ')} ${scenario.name}: every step passes`, async () => {
      const output = new CollectedOutput();
      const outcome = await runScenario(scenario, builtInSetting(server.url, server.auth, `the reference server on ${target.label}`), output);
      expect(outcome.status, output.text).toBe('passed');
      expect(outcome.steps.length, output.text).toBeGreaterThan(3);
      expect(outcome.steps.filter((step) => step.status !== 'passed'), output.text).toEqual([]);
      expect(output.text.trimEnd().split('\n').at(-1)).toBe(`${scenario.name}: PASSED (${outcome.steps.length} steps passed)`);
    });
  }
});
