import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChange } from '../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../spec/src/instant.js';
import { serverDatabaseTargets } from '../../reference-server/test/support/database-targets.js';
import { startTestServer, type TestServer } from '../../reference-server/test/support/test-server.js';
import type { AuthService } from '../../conformance/src/auth-service/auth-service.js';
import { scenarioNamed } from '../src/scenario-registry.js';
import { runScenario, type ScenarioOutcome } from '../src/scenario-runner.js';
import { builtInSetting } from '../src/scenario-setting.js';
import { CollectedOutput } from './support/collected-output.js';
import { startBreakingProxy, type BreakingRules } from './support/breaking-proxy.js';

// Each scenario against a server variant that breaks the behaviour one of its steps exercises: the
// scenario must fail at exactly that step, print what it expected, what it saw and a hint, and run
// no later step. The variants are proxies in front of the reference server (or the reference server
// with a membership source that never forgets), on PGlite: the database plays no part in them.
const [pglite] = serverDatabaseTargets();

/** Rewrites every server change of a push or pull response. */
function eachServerChange(body: unknown, rewrite: (change: ServerChange) => ServerChange | undefined): unknown {
  const response = body as { serverChanges?: ServerChange[] };
  if (!Array.isArray(response.serverChanges)) return body;
  return { ...response, serverChanges: response.serverChanges.map(rewrite).filter((change) => change !== undefined) };
}

const isShared = (change: ServerChange) => !change.spaceId.startsWith('_personal:');

/** Changes one character of an `enc:` value's ciphertext, keeping its format. */
function tamper(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('enc:')) return value;
  const at = value.lastIndexOf('.') + 1 || value.length - 4;
  return `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
}

async function runAgainst(url: string, auth: AuthService, name: string, label: string): Promise<{ outcome: ScenarioOutcome; text: string }> {
  const output = new CollectedOutput();
  const outcome = await runScenario(scenarioNamed(name)!, builtInSetting(url, auth, label), output);
  return { outcome, text: output.text };
}

function expectFailedAt(run: { outcome: ScenarioOutcome; text: string }, step: number, titlePart: string): void {
  const { outcome, text } = run;
  expect(outcome.status, text).toBe('failed');
  expect(outcome.steps.map((each) => each.status), text).toEqual([...Array.from({ length: step - 1 }, () => 'passed'), 'failed']);
  const failed = outcome.steps.at(-1)!;
  expect(failed.title, text).toContain(titlePart);
  expect(text).toMatch(new RegExp(`${step}\\. FAIL  .*\\n +expected: .+\\n +actual: .+\\n +hint: .+\\n +spec: +[A-Z]+-\\d+ \\((MUST|SHOULD|MUST NOT)\\)`));
  expect(text.trimEnd().split('\n').at(-1)).toBe(`${outcome.name}: FAILED at step ${step}: ${failed.title}`);
}

describe(`the scenarios against broken server variants (reference server on ${pglite!.label})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(pglite!);
  });
  afterAll(async () => server?.close());

  async function throughProxy(name: string, rules: BreakingRules, label: string) {
    const proxy = await startBreakingProxy(server.url, rules);
    try {
      return await runAgainst(proxy.url, server.auth, name, label);
    } finally {
      await proxy.close();
    }
  }

  it('SPACE-2 shared-space fails at bob\'s pull against a server whose reads drop co-members\' space rows', async () => {
    const run = await throughProxy(
      'shared-space',
      { response: (body, sender) => eachServerChange(body, (change) => (isShared(change) && change.userId !== sender.userId ? undefined : change)) },
      'a server that serves space rows to their authors only',
    );
    expectFailedAt(run, 3, 'bob\'s phone pulls and holds alice\'s task');
  });

  it('SSE-9 shared-space fails at bob\'s stream against a server that streams changes to their author only', async () => {
    const run = await throughProxy(
      'shared-space',
      {
        sseEvent: (event, sender) => {
          if (event.event !== 'changes') return event;
          const { changes } = JSON.parse(event.data) as { changes: ServerChange[] };
          return changes.some((change) => change.userId !== sender.userId) ? undefined : event;
        },
      },
      'a server that streams changes to their author only, as the first server did',
    );
    expectFailedAt(run, 4, 'bob\'s laptop receives the task over its open SSE stream');
  });

  it('LWW-8 offline-merge fails at the reconnect against a server that restamps writes with its own clock', async () => {
    const run = await throughProxy(
      'offline-merge',
      {
        response: (body) =>
          eachServerChange(body, (change) => ({
            ...change,
            fields: Object.fromEntries(Object.entries(change.fields).map(([field, write]) => [field, { ...write, at: formatCanonicalInstant(Date.now()), c: 0 }])),
          })),
      },
      'a server that restamps every relayed write with its receive time',
    );
    expectFailedAt(run, 4, 'both reconnect and sync');
    expect(run.text).toMatch(/actual: +alice holds \{"title":"Trip to Lisbon".*bob holds \{"title":"Trip to Porto"/);
  });

  it('CRYPT-9 backup-restore fails at alice\'s phone against a server that alters ciphertexts it relays', async () => {
    const run = await throughProxy(
      'backup-restore',
      { response: (body) => eachServerChange(body, (change) => ({ ...change, fields: Object.fromEntries(Object.entries(change.fields).map(([field, write]) => [field, { ...write, value: tamper(write.value) }])) })) },
      'a server that changes one character of every encrypted value it relays',
    );
    expectFailedAt(run, 2, 'alice\'s phone, holding her key, syncs and reads her tasks');
  });

  it('WS-9 legacy-ws fails at the legacy socket against a server that serves /ws/{appId} like the unified /ws', async () => {
    const run = await throughProxy('legacy-ws', { webSocketPath: () => '/ws' }, 'a server whose legacy endpoint carries every app');
    expectFailedAt(run, 4, 'the old phone on /ws/');
  });

  it('LWW-10 first-server-flow fails at A\'s pull against a server that ignores updatedAt, as the first server did', async () => {
    const run = await throughProxy(
      'first-server-flow',
      {
        request: (body) => {
          const changeset = body as { changes?: { fields?: Record<string, Record<string, unknown>> }[] };
          for (const change of changeset.changes ?? []) for (const write of Object.values(change.fields ?? {})) delete write.updatedAt;
          return changeset;
        },
      },
      'a server that drops the updatedAt stamp of field writes',
    );
    expectFailedAt(run, 5, 'client A pulls tasks since its saved syncedUntil');
  });
});

describe(`revocation against a server that never forgets a membership (reference server on ${pglite!.label})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    // The server's membership lookups answer from the first answer each user got: a revocation,
    // invalidated or not, never reaches it.
    const firstAnswers = new Map<string, string>();
    const staleFetch: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('/memberships')) return fetch(input, init);
      const kept = firstAnswers.get(url) ?? (await (await fetch(input, init)).text());
      firstAnswers.set(url, kept);
      return new Response(kept, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    server = await startTestServer(pglite!, { deps: { fetch: staleFetch } });
  });
  afterAll(async () => server?.close());

  it('SPACE-8 revocation fails at "stop carrying them" against a server that serves memberships from a stale copy', async () => {
    const run = await runAgainst(server.url, server.auth, 'revocation', 'a server that serves memberships from a stale copy');
    expectFailedAt(run, 3, 'bob\'s open stream and socket stop carrying them');
    expect(run.text).toMatch(/actual: +round \d+, written \d+ ms after the revocation \(bound 5000 ms\): laptop \(SSE\) HOLDS the task/);
  });
});
