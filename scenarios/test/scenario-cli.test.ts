import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDatabaseTargets } from '../../reference-server/test/support/database-targets.js';
import { startTestServer, type TestServer } from '../../reference-server/test/support/test-server.js';
import { cli } from '../../conformance/test/support/cli-process.js';
import { SCENARIOS } from '../src/scenario-registry.js';
import { startBreakingProxy } from './support/breaking-proxy.js';

// A failure bound only: each child process starts tsx, and the in-process run PGlite, which takes
// tens of seconds on a loaded two-core machine.
const CHILD_PROCESSES_MS = 120_000;

describe('mana-conformance scenario (the real command)', () => {
  it('--list prints every scenario with its requirements and summary, and runs nothing', async () => {
    const { code, stdout } = await cli(['scenario', '--list']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(SCENARIOS.map((scenario) => scenario.name));
    expect(lines[0]).toMatch(/^shared-space\s+SPACE-2 .*alice writes a record into a space .*\[needs: shared-space\]$/);
  });

  it('exits 2 saying what to fix: no name, an unknown name, tokens without a target, a target without tokens, an unreachable target', async () => {
    const token = (sub: string) => `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.c2ln`;
    const [unnamed, unknown, strayToken, tokenless, unreachable] = await Promise.all([
      cli(['scenario']),
      cli(['scenario', 'nope']),
      cli(['scenario', 'legacy-ws', '--token-a', 'x']),
      cli(['scenario', 'legacy-ws', '--target', 'http://127.0.0.1:9']),
      cli(['scenario', 'legacy-ws', '--target', 'http://127.0.0.1:9', '--token-a', token('a'), '--token-b', token('b')]),
    ]);
    expect(unnamed).toMatchObject({ code: 2, stderr: expect.stringContaining('name a scenario') as unknown });
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining(`unknown scenario "nope"; the scenarios are ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`) as unknown });
    expect(strayToken).toMatchObject({ code: 2, stderr: expect.stringContaining('--token-a needs --target') as unknown });
    expect(tokenless).toMatchObject({ code: 2, stderr: expect.stringContaining('--target needs --token-a and --token-b') as unknown });
    expect(unreachable).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot reach http://127.0.0.1:9/health') as unknown });
  }, CHILD_PROCESSES_MS);

  it('PUSH-1 LWW-10 runs a scenario against the in-process reference server: every step printed, exit 0', async () => {
    const { code, stdout, stderr } = await cli(['scenario', 'first-server-flow']);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('the reference server on embedded PGlite');
    expect(stdout).toMatch(/ {2}5\. PASS {2}client A pulls tasks since its saved syncedUntil\n +expected: .+\n +actual: .+"at":"2025-06-01T10:05:00.000Z"/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('first-server-flow: PASSED (7 steps passed)');
  }, CHILD_PROCESSES_MS);
});

describe('mana-conformance scenario --target (a deployment with two users\' tokens)', () => {
  let server: TestServer;
  let tokens: string[];
  beforeAll(async () => {
    server = await startTestServer(serverDatabaseTargets()[0]!);
    tokens = ['--token-a', await server.auth.mint('dep-alice'), '--token-b', await server.auth.mint('dep-bob')];
  });
  afterAll(async () => server?.close());

  it('SPACE-8 a scenario that changes memberships is SKIPPED with the reason, exit 0', async () => {
    const { code, stdout } = await cli(['scenario', 'revocation', '--target', server.url, ...tokens]);
    expect(code).toBe(0);
    expect(stdout).toContain(`against ${server.url} with the tokens of dep-alice (alice, --token-a) and dep-bob (bob, --token-b)`);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^revocation: SKIPPED: it changes memberships at the auth service/);
  });

  it('SPACE-2 shared-space without --space is SKIPPED; with --space it runs, skipping charlie\'s steps with the reason', async () => {
    const without = await cli(['scenario', 'shared-space', '--target', server.url, ...tokens]);
    expect(without.code).toBe(0);
    expect(without.stdout).toContain('shared-space: SKIPPED: it needs a space both users are members of; pass --space <id>');
    // The deployment's auth service grants the memberships and tells the server (SPACE-9), which
    // looked both users up, with no space, while probing the tokens.
    for (const user of ['dep-alice', 'dep-bob']) {
      server.auth.grant(user, 'org-deployment');
      const invalidated = await fetch(`${server.url}/internal/memberships/${user}/invalidate`, { method: 'POST', headers: { 'x-service-key': server.auth.serviceKey } });
      expect(invalidated.status).toBe(204);
    }
    const { code, stdout, stderr } = await cli(['scenario', 'shared-space', '--target', server.url, ...tokens, '--space', 'org-deployment']);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/ {2}8\. SKIP {2}charlie, who is not in the space.*\n +skipped: +it needs a third user/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('shared-space: PASSED (7 steps passed, 2 skipped)');
  });

  it('LWW-10 a failed step exits 1 and names the step', async () => {
    const proxy = await startBreakingProxy(server.url, {
      request: (body) => {
        const changeset = body as { changes?: { fields?: Record<string, Record<string, unknown>> }[] };
        for (const change of changeset.changes ?? []) for (const write of Object.values(change.fields ?? {})) delete write.updatedAt;
        return changeset;
      },
    });
    try {
      const { code, stdout } = await cli(['scenario', 'first-server-flow', '--target', proxy.url, ...tokens]);
      expect(code, stdout).toBe(1);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('first-server-flow: FAILED at step 5: client A pulls tasks since its saved syncedUntil');
    } finally {
      await proxy.close();
    }
  });
});
