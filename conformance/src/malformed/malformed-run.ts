import fc from 'fast-check';
import type { PushResponse } from '../../../spec/generated/types.js';
import { describeExchange, type Exchange } from '../exchange.js';
import type { Failure } from '../failure.js';
import type { TranscriptRecorder } from '../transcript.js';
import { APP_PLACEHOLDER, BAD_REQUEST_CLIENT_ID, bodyOf, describeBadRequest, type BadRequest } from './bad-request.js';
import { badRequest } from './bad-requests.js';
import { refusalFailures } from './refusal-verdict.js';
import { sendRawRequest } from './send-raw-request.js';

/** A server and one user of it, for whom bad requests are sent into an app the user never wrote to. */
export interface MalformedTarget {
  baseUrl: string;
  appId: string;
  /** A valid bearer token of the user. */
  bearer: () => Promise<string>;
  recorder?: TranscriptRecorder;
  /** Failure bound of one request. */
  timeoutMs?: number;
}

export interface MalformedRunOptions {
  cases: number;
  seed: number;
  /** Shrink a failing case to a smaller one (slower; tests want it, a suite run does not). */
  shrink: boolean;
}

export interface MalformedFailure {
  request: BadRequest;
  failures: Failure[];
  /** fast-check's path of the case: `{ seed, path }` replays exactly it. */
  path: string;
}

export interface MalformedRunResult {
  /** Bad requests sent, shrinking included. */
  sent: number;
  /** Bad requests answered with a 5xx. */
  serverErrors: number;
  seed: number;
  failure?: MalformedFailure;
}

class CaseFailed extends Error {
  constructor(readonly failures: Failure[]) {
    super(failures.map((failure) => `${failure.requirement}: expected ${failure.expected}, got ${failure.actual}`).join('\n'));
  }
}

const PROBE_CLIENT_ID = `${BAD_REQUEST_CLIENT_ID}-probe`;

/**
 * Sends `cases` generated bad requests. Every one must be refused as the spec says (refusalFailures),
 * must store nothing (ERR-4, PUSH-3, PUSH-6: an empty push of the same user from the previous
 * probe's cursor, reading as another device and so seeing every table of the app, returns no change) and must leave the server healthy
 * (GET /health answers 200 "ok").
 */
export async function runMalformedCases(target: MalformedTarget, options: MalformedRunOptions): Promise<MalformedRunResult> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  const token = await target.bearer();
  let sent = 0;
  let serverErrors = 0;
  // Each probe reads on from the last one's cursor, so that it sees only what the last case stored
  // (PULL-6: the cursor never passes a change that was not yet readable).
  let cursor = '';
  const send = (request: { method: string; target: string; headers: Record<string, string>; body?: Buffer }): Promise<Exchange> =>
    sendRawRequest(target.baseUrl, { ...request, target: request.target.replaceAll(APP_PLACEHOLDER, target.appId) }, timeoutMs, target.recorder);

  async function runCase(request: BadRequest): Promise<void> {
    sent++;
    const body = bodyOf(request);
    const exchange = await send({ method: request.method, target: request.target, headers: { ...request.headers, ...(request.bearer ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body }) });
    if (exchange.status >= 500) serverErrors++;
    const failures = refusalFailures(request, exchange);
    const probe = await send({
      method: 'POST',
      target: `/sync/${APP_PLACEHOLDER}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-client-id': PROBE_CLIENT_ID },
      body: Buffer.from(JSON.stringify({ changes: [], since: cursor })),
    });
    const delta = probe.status === 200 ? (probe.json as PushResponse) : undefined;
    if (delta !== undefined) cursor = delta.syncedUntil;
    if (delta === undefined || delta.serverChanges.length > 0) {
      failures.push({ requirement: 'ERR-4', expected: 'nothing stored by a bad request: an empty push from the last cursor returns no change', actual: describeExchange(probe) });
    }
    const health = await send({ method: 'GET', target: '/health', headers: {} });
    if (health.status !== 200 || (health.json as { status?: unknown } | undefined)?.status !== 'ok') {
      failures.push({ requirement: 'ERR-4', expected: 'the server still healthy: GET /health 200 with status "ok"', actual: describeExchange(health) });
    }
    if (failures.length > 0) throw new CaseFailed(failures);
  }

  const details = await fc.check(fc.asyncProperty(badRequest, runCase), { seed: options.seed, numRuns: options.cases, endOnFailure: !options.shrink });
  if (!details.failed) return { sent, serverErrors, seed: options.seed };
  const [request] = details.counterexample ?? [];
  const error = details.errorInstance;
  const failures = error instanceof CaseFailed ? error.failures : [{ requirement: 'ERR-4' as const, expected: 'every bad request answered', actual: error instanceof Error ? error.message : String(error) }];
  return { sent, serverErrors, seed: options.seed, ...(request === undefined ? {} : { failure: { request, failures, path: details.counterexamplePath ?? '' } }) };
}

/** The failure of a run as one paragraph: the case, what went wrong, and how to replay it. */
export function describeMalformedFailure(result: MalformedRunResult): string {
  const { failure } = result;
  if (failure === undefined) return `${result.sent} bad requests, ${result.serverErrors} answered with a 5xx, seed ${result.seed}: all refused as the spec says`;
  const lines = failure.failures.map((one) => `  ${one.requirement}: expected ${one.expected}; got ${one.actual}`);
  return [`bad request (seed ${result.seed}, path "${failure.path}"): ${describeBadRequest(failure.request)}`, ...lines].join('\n');
}
