import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type AuthService } from '../src/auth-service/auth-service.js';
import { defineCheck, type CheckDefinition } from '../src/check.js';
import { runChecks } from '../src/check-runner.js';
import { fail, NotCheckable } from '../src/failure.js';

let auth: AuthService;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  auth = await startAuthService();
  // A stand-in target: answers a pull with a plain-text 400, everything else 404 in JSON.
  server = createServer((request, response) => {
    if (request.url?.includes('/pull')) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: 'no', requirement: 'ERR-5' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await auth.close();
  await new Promise((resolve) => server.close(resolve));
});

const options = () => ({ baseUrl, auth, seed: 1, runTag: 't', checkTimeoutMs: 500, concurrency: 4 });
const check = (definition: Partial<CheckDefinition> & Pick<CheckDefinition, 'run'>) =>
  defineCheck({ requirement: 'PUSH-6', slug: 'x', description: 'a check of the runner itself', ...definition });

describe('the check runner', () => {
  it('records a thrown expectation as the failure that stopped the check, with the transcript of its exchanges', async () => {
    const [outcome] = await runChecks([check({ run: async ({ request }) => { await request('GET', '/nope'); fail('PUSH-6', 'nothing stored', '2 changes'); } })], options());
    expect(outcome).toMatchObject({ status: 'failed', stoppedBy: { requirement: 'PUSH-6', expected: 'nothing stored', actual: '2 changes' } });
    expect(outcome!.transcript).toMatchObject([{ kind: 'http', request: { method: 'GET' }, response: { status: 404 } }]);
  });

  it('collects what every answer is held to without stopping the check (a plain-text error fails ERR-1, the check still ends)', async () => {
    const [outcome] = await runChecks([check({ run: async ({ alice }) => { await alice.pull({ collection: 'tasks' }); } })], options());
    expect(outcome!.status).toBe('failed');
    expect(outcome!.stoppedBy).toBeUndefined();
    expect(outcome!.failures.map((f) => f.requirement)).toEqual(['ERR-1', 'ERR-1']);
    expect(outcome!.transcript[0]).toMatchObject({ kind: 'http', request: { headers: { 'x-client-id': 'alice-laptop' } } });
  });

  it('turns NotCheckable into a reason, a timeout into a failure of the check\'s requirement, and a pass into passed', async () => {
    const outcomes = await runChecks(
      [
        check({ slug: 'a', run: () => Promise.reject(new NotCheckable('needs SSE')) }),
        check({ slug: 'b', requirement: 'PULL-3', run: ({ pause }) => pause(5_000) }),
        check({ slug: 'c', run: () => Promise.resolve() }),
      ],
      options(),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['not-checkable', 'failed', 'passed']);
    expect(outcomes[0]!.reason).toBe('needs SSE');
    expect(outcomes[1]!.stoppedBy).toMatchObject({ requirement: 'PULL-3', actual: expect.stringContaining('did not finish within 500 ms') as unknown });
  });

  it('gives a check that waits out a period of the target (a cooldown) at least the time it asks for', async () => {
    const slow = check({ minimumSeconds: (limits) => limits?.jwksRefreshCooldownSeconds ?? 0, run: ({ pause }) => pause(300) });
    const limits = { maxBodyBytes: 1, maxChangesPerPush: 1, pullPageSize: 1, sseHeartbeatSeconds: 1, wsAuthTimeoutSeconds: 1, membershipCacheTtlSeconds: 1, jwksRefreshCooldownSeconds: 1, maxFutureSkewSeconds: 1 };
    expect((await runChecks([slow], { ...options(), checkTimeoutMs: 100, limits }))[0]!.status).toBe('passed');
    expect((await runChecks([slow], { ...options(), checkTimeoutMs: 100 }))[0]!.status).toBe('failed');
  });

  it('runs exclusive checks alone, after every concurrent one, and reports outcomes in the checks\' order', async () => {
    const events: string[] = [];
    let running = 0;
    const tracked = (name: string, exclusive: boolean) =>
      check({
        slug: name,
        exclusive,
        run: async ({ pause }) => {
          running++;
          events.push(`${name}:start:${running}`);
          await pause(20);
          running--;
        },
      });
    const outcomes = await runChecks([tracked('x1', true), tracked('c1', false), tracked('c2', false), tracked('x2', true)], options());
    expect(outcomes.map((o) => o.checkId)).toEqual(['PUSH-6/x1', 'PUSH-6/c1', 'PUSH-6/c2', 'PUSH-6/x2']);
    expect(events.slice(2)).toEqual(['x1:start:1', 'x2:start:1']);
    expect(events.slice(0, 2).sort()).toEqual(['c1:start:1', 'c2:start:2']);
  });

  it('gives every check its own app, users and seeded ids', async () => {
    const seen: string[][] = [];
    await runChecks([check({ slug: 'a', run: (ctx) => { seen.push([ctx.appId, ctx.alice.userId, ctx.uniqueId('t')]); return Promise.resolve(); } }), check({ slug: 'b', run: (ctx) => { seen.push([ctx.appId, ctx.alice.userId, ctx.uniqueId('t')]); return Promise.resolve(); } })], { ...options(), concurrency: 1 });
    expect(seen[0]![0]).not.toBe(seen[1]![0]);
    expect(seen[0]![1]).not.toBe(seen[1]![1]);
    const again: string[] = [];
    await runChecks([check({ slug: 'a', run: (ctx) => { again.push(ctx.uniqueId('t')); return Promise.resolve(); } })], options());
    expect(again[0]).toBe(seen[0]![2]);
  });
});
