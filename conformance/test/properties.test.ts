import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDatabaseTargets } from '../../reference-server/test/support/database-targets.js';
import { rewritingDatabase, type RewritingDatabase } from '../../reference-server/test/support/rewriting-database.js';
import { startTestServer, type TestServer } from '../../reference-server/test/support/test-server.js';
import type { Check } from '../src/check.js';
import type { CheckOutcome } from '../src/check-outcome.js';
import { runChecks } from '../src/check-runner.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../properties/fault-proxy.js';
import { parseReplay, type PropertyBudget } from '../properties/property-budget.js';
import { isPropertyCheck, withPropertyBudget } from '../properties/property-check.js';
import { VARIANTS } from '../mutants/variants.js';
import { REFERENCE_SHORT_PERIODS } from '../src/reference-target.js';

const PROPERTY_CHECKS = ALL_CHECKS.filter(isPropertyCheck);
const SMALL: PropertyBudget = { runs: 1, maxCommands: 8, timeLimitMs: 40_000 };
/** Enough runs to meet a seeded bug: fast-check stops at the first failure. */
const HUNT: PropertyBudget = { runs: 25, maxCommands: 8, timeLimitMs: 40_000 };

function run(checks: readonly Check[], baseUrl: string, server: TestServer, seed: number): Promise<CheckOutcome[]> {
  return runChecks(checks, { baseUrl, auth: server.auth, seed, runTag: `p${Date.now().toString(36)}`, checkTimeoutMs: 120_000, concurrency: 8 });
}

function describeFailures(outcomes: readonly CheckOutcome[]): string {
  return outcomes.flatMap((outcome) => outcome.failures.map((failure) => `${outcome.checkId}: ${failure.requirement} expected ${failure.expected}, got ${failure.actual}`)).join('\n\n');
}

/** The numbered steps of a property failure, as its message prints them. */
function stepsOf(actual: string): string[] {
  return actual.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe.each(serverDatabaseTargets())('the model-based properties against the reference server on $label', (target) => {
  let server: TestServer;
  const proxies: FaultProxy[] = [];
  // The periods of the in-process reference server: short membership caches keep the revocation
  // waits short (SPACE-7 allows any TTL up to the bound), a short auth deadline the silent sockets' (WS-3).
  beforeAll(async () => {
    server = await startTestServer(target, { env: { ...REFERENCE_SHORT_PERIODS } });
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await server?.close();
  });

  /** The server behind a proxy that rewrites requests: one behaviour of the server broken from outside. */
  async function broken(rewrite: FaultProxyOptions['rewrite']): Promise<string> {
    const proxy = await startFaultProxy(server.url, { rewrite });
    proxies.push(proxy);
    return proxy.url;
  }

  it('PULL-3 PULL-12 SPACE-12 SSE-9 SSE-4 WS-8 WS-3 SPACE-4 PUSH-8 SPACE-8 LWW-8 every property check is registered and holds for the reference server', async () => {
    expect(PROPERTY_CHECKS.map((check) => check.id)).toEqual([
      'PULL-3/model-exactly-once',
      'PULL-3/model-concurrent-pushes',
      'PULL-12/model-echo-suppression',
      'PUSH-8/model-retry-and-atomicity',
      'SSE-9/model-co-members-live',
      'WS-8/model-co-members-notified',
      'LWW-8/model-convergence-ties-and-skew',
      'SPACE-4/model-non-member-writes',
      'SPACE-8/model-revocation',
      'SPACE-12/model-outsider-learns-nothing',
    ]);
    const outcomes = await run(withPropertyBudget(PROPERTY_CHECKS, SMALL), server.url, server, 11);
    expect(outcomes.map((outcome) => outcome.status), describeFailures(outcomes)).toEqual(PROPERTY_CHECKS.map(() => 'passed'));
  });

  it('PULL-12 a server whose pulls ignore the reader\'s client id is caught, shrunk to at most 8 plain steps, with its seed and replay path', async () => {
    // Without X-Client-Id nothing is suppressed (PULL-13): the server relays every writer's own changes back to it.
    const url = await broken((request) => (request.path.includes('/pull?') ? { ...request, headers: { ...request.headers, 'x-client-id': undefined } } : request));
    const [outcome] = await run(withPropertyBudget(PROPERTY_CHECKS.filter((check) => check.requirement === 'PULL-12'), HUNT), url, server, 5);
    expect(outcome!.status).toBe('failed');
    const failure = outcome!.stoppedBy!;
    expect(failure.requirement, failure.actual).toBe('PULL-12');
    const steps = stepsOf(failure.actual);
    expect(steps.length, failure.actual).toBeGreaterThan(0);
    expect(steps.length, failure.actual).toBeLessThanOrEqual(8);
    expect(failure.actual).toMatch(/fast-check seed -?\d+, path [\d:]+/);
    expect(failure.actual).toMatch(/replay: mana-conformance run --only PULL-12\/model-echo-suppression --seed 5 --replay [\d:]+@/);
    // The transcript is that of the shrunk run, replayed once.
    expect(outcome!.transcript.some((entry) => entry.kind === 'http' && entry.request.url.includes('/pull?'))).toBe(true);
    // --seed 5 --replay <path> reproduces exactly that counterexample, in one run.
    const replay = parseReplay(/--replay (\S+)/.exec(failure.actual)![1]!)!;
    const [replayed] = await run(withPropertyBudget(PROPERTY_CHECKS.filter((check) => check.requirement === 'PULL-12'), { ...HUNT, replay }), url, server, 5);
    expect(replayed!.stoppedBy?.requirement).toBe('PULL-12');
    expect(stepsOf(replayed!.stoppedBy!.actual)).toEqual(steps);
  });

  it('PULL-3 a search cut short by its time limit is NOT CHECKED with the runs it made, never passed', async () => {
    const check = PROPERTY_CHECKS.find((candidate) => candidate.id === 'PULL-3/model-exactly-once')!;
    const [outcome] = await run(withPropertyBudget([check], { runs: 1000, maxCommands: 8, timeLimitMs: 1500 }), server.url, server, 5);
    expect(outcome!.status, describeFailures([outcome!])).toBe('not-checkable');
    expect(outcome!.reason).toMatch(/interrupted at the 1500 ms time limit after \d+ of 1000 runs|stopped after 0 runs/);
  });

  it('PULL-3 a replay that no longer fails is that one run, and passes', async () => {
    const check = PROPERTY_CHECKS.find((candidate) => candidate.id === 'PULL-3/model-exactly-once')!;
    // A shrink path: fast-check would go on through the path's other shrinks after a passing run.
    const [outcome] = await run(withPropertyBudget([check], { ...HUNT, replay: { path: '5:0' } }), server.url, server, 5);
    expect(outcome!.status, describeFailures([outcome!])).toBe('passed');
    expect(outcome!.transcript.some((entry) => entry.kind === 'note' && /^1 run of at most 8 commands/.test(entry.text)), JSON.stringify(outcome!.transcript)).toBe(true);
  });

  /** The property of `requirement` against a broken server fails under `violated`, in at most 8 steps, one of which says `step`. */
  async function expectCaught(url: string, requirement: string, violated: string, step: string): Promise<void> {
    const [outcome] = await run(withPropertyBudget(PROPERTY_CHECKS.filter((check) => check.requirement === requirement), HUNT), url, server, 5);
    const failure = outcome!.stoppedBy!;
    expect(failure.requirement, failure.actual).toBe(violated);
    const steps = stepsOf(failure.actual);
    expect(steps.length, failure.actual).toBeLessThanOrEqual(8);
    expect(steps.some((line) => line.includes(step)), failure.actual).toBe(true);
  }

  it('PUSH-8 a server that forgets push ids stores a resent push twice: caught with the resend as a step', async () => {
    const url = await broken((request) => {
      if (request.method !== 'POST' || !request.path.startsWith('/sync/')) return request;
      const body = JSON.parse(request.body) as Record<string, unknown>;
      delete body.pushId;
      return { ...request, body: JSON.stringify(body) };
    });
    await expectCaught(url, 'PUSH-8', 'PUSH-8', 'resends the same pushId');
  });

  it('SSE-5 a server that ignores Last-Event-ID repeats a cut stream from the beginning: caught with the cut as a step', async () => {
    const url = await broken((request) => (request.path.includes('/stream?') ? { ...request, headers: { ...request.headers, 'last-event-id': undefined } } : request));
    await expectCaught(url, 'SSE-9', 'SSE-5', 'the proxy cuts');
  });

  it('SSE-4 a cut stream whose resume id a pull does not continue after is caught before it resumes, with the cut as a step', async () => {
    // Only a cut stream's check pulls notes: from the beginning, as if the event's id pointed before the event.
    const url = await broken((request) => (request.path.includes('/pull?') && request.path.includes('collection=notes') ? { ...request, path: request.path.replace(/([?&])since=[^&]*&?/, '$1') } : request));
    await expectCaught(url, 'SSE-9', 'SSE-4', 'the proxy cuts');
  });

  // PGlite runs one transaction at a time, so a read past the horizon equals a read up to it there.
  it.runIf(target.label !== 'PGlite')('PULL-3 a server whose reads pass the xmin horizon loses a push that commits late: caught by the concurrent pushes, in at most 8 steps (PostgreSQL only: PGlite runs one transaction at a time)', async () => {
    // The edit of the mutant of the same name, applied to every statement on its way to the database.
    const [edit] = VARIANTS.find((variant) => variant.name === 'cursor-reads-past-horizon')!.edits;
    let database: RewritingDatabase | undefined;
    const late = await startTestServer(target, { auth: server.auth, env: { MEMBERSHIP_CACHE_TTL_SECONDS: '1' }, wrapDatabase: (db) => (database = rewritingDatabase(db, (sql) => sql.replace(edit.search, edit.replace))) });
    try {
      const [outcome] = await run(withPropertyBudget(PROPERTY_CHECKS.filter((check) => check.id === 'PULL-3/model-concurrent-pushes'), HUNT), late.url, late, 5);
      expect(database!.rewritten()).toBeGreaterThan(0);
      const failure = outcome!.stoppedBy!;
      expect(failure.requirement, failure.actual).toBe('PULL-3');
      expect(failure.actual).toMatch(/missing w\d+/);
      const steps = stepsOf(failure.actual);
      expect(steps.length, failure.actual).toBeGreaterThan(0);
      expect(steps.length, failure.actual).toBeLessThanOrEqual(8);
      expect(steps.some((step) => step.includes('at once:')), failure.actual).toBe(true);
    } finally {
      await late.close();
    }
  });
});
