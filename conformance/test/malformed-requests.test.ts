import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../spec/generated/constants.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import type { Exchange } from '../src/exchange.js';
import { bodyOf, type BadRequest } from '../src/malformed/bad-request.js';
import { badRequest } from '../src/malformed/bad-requests.js';
import { refusalFailures } from '../src/malformed/refusal-verdict.js';

const SEED = 20261123;
const samples = fc.sample(badRequest, { seed: SEED, numRuns: 3000 });
const codesOf = (request: BadRequest) => (request.expected.codes === 'any-4xx' ? [] : request.expected.codes);
const validChangeset = validatorFor('changeset');

describe('the generator of bad requests', () => {
  it('ERR-4 covers every endpoint, every code the spec fixes for bad input, and faults masked by ERR-11', () => {
    expect(new Set(samples.map((request) => request.endpoint))).toEqual(new Set(['push', 'pull', 'stream', 'ws-upgrade', 'other']));
    const codes = new Set(samples.flatMap(codesOf));
    for (const code of ['REQUEST_INVALID_JSON', 'REQUEST_INVALID_BODY', 'REQUEST_INVALID_PARAMETER', 'PUSH_INVALID_OP', 'PUSH_MISSING_CLIENT_ID', 'CURSOR_INVALID', 'AUTH_MISSING_TOKEN', 'AUTH_INVALID_TOKEN', 'ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED', 'REQUEST_TOO_LARGE', 'PUSH_TOO_MANY_CHANGES', 'UNSUPPORTED_MEDIA_TYPE', 'SCHEMA_VERSION_UNSUPPORTED', 'LWW_CLOCK_AHEAD', 'PUSH_UNSTORABLE_VALUE', 'SPACE_PERSONAL_FORBIDDEN', 'SPACE_NOT_MEMBER'] as const) {
      expect(codes, code).toContain(code);
    }
    expect(samples.filter((request) => request.expected.requirement === 'ERR-11').length).toBeGreaterThan(100);
  });

  it('PUSH-14 only the bodies meant to be over the limit are larger than MAX_BODY_BYTES; every other stays small', () => {
    for (const request of samples.slice(0, 600)) {
      const length = bodyOf(request)?.length ?? 0;
      const oversized = request.faults.some((fault) => fault.includes('MAX_BODY_BYTES +'));
      expect({ fault: request.faults.join('; '), over: length > MAX_BODY_BYTES }).toEqual({ fault: request.faults.join('; '), over: oversized });
      if (!oversized) expect(length).toBeLessThan(1 << 20);
    }
  });

  it('PUSH-3 PUSH-4 a push refused for its schema breaks changeset.schema.json; one refused later in ERR-11\'s order matches it', () => {
    const pushes = samples.filter((request) => request.endpoint === 'push' && request.body !== undefined && request.body.length === 1 && typeof request.body[0] === 'string');
    const schemaRefused = pushes.filter((request) => request.expected.index !== undefined);
    const laterRefused = pushes.filter((request) => codesOf(request).some((code) => ['SCHEMA_VERSION_UNSUPPORTED', 'LWW_CLOCK_AHEAD', 'PUSH_UNSTORABLE_VALUE', 'SPACE_NOT_MEMBER', 'SPACE_PERSONAL_FORBIDDEN'].includes(code)));
    expect(schemaRefused.length).toBeGreaterThan(50);
    expect(laterRefused.length).toBeGreaterThan(20);
    for (const request of schemaRefused) expect(validChangeset(JSON.parse(request.body![0] as string)), request.faults.join('; ')).toBe(false);
    for (const request of laterRefused) expect(validChangeset(JSON.parse(request.body![0] as string)), request.faults.join('; ')).toBe(true);
  });
});

describe('the verdict on an answer to a bad request', () => {
  const request: BadRequest = {
    endpoint: 'push',
    faults: ['op "merge"'],
    method: 'POST',
    target: '/sync/{app}',
    headers: {},
    bearer: true,
    expected: { codes: ['PUSH_INVALID_OP'], requirement: 'PUSH-4', index: 2 },
  };
  const answer = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }): Exchange => ({
    method: 'POST',
    url: 'http://server.invalid/sync/app',
    status,
    headers: new Headers(headers),
    text: typeof body === 'string' ? body : JSON.stringify(body),
    json: typeof body === 'string' ? undefined : body,
  });
  const refusal = (code: string, details: object) => ({ error: { code, message: 'refused', requirement: 'PUSH-4', details } });

  it('ERR-4 ERR-1 PUSH-4 accepts the right refusal and names the requirement of each wrong one', () => {
    expect(refusalFailures(request, answer(400, refusal('PUSH_INVALID_OP', { index: 2 })))).toEqual([]);
    expect(refusalFailures(request, answer(500, { error: { code: 'INTERNAL_ERROR', message: 'x', requirement: 'ERR-8' } })).map((f) => f.requirement)).toEqual(['ERR-4']);
    expect(refusalFailures(request, answer(200, { accepted: 1 })).map((f) => f.requirement)).toEqual(['PUSH-4']);
    expect(refusalFailures(request, answer(400, 'bad request', { 'content-type': 'text/plain' })).map((f) => f.requirement)).toContain('ERR-1');
    expect(refusalFailures(request, answer(400, refusal('REQUEST_INVALID_BODY', { index: 2 }))).map((f) => f.requirement)).toEqual(['PUSH-4']);
    expect(refusalFailures(request, answer(400, refusal('PUSH_INVALID_OP', { index: 0 }))).map((f) => f.expected)).toEqual(['details.index 2']);
  });

  it('ERR-6 a 405 must carry Allow', () => {
    const wrongMethod: BadRequest = { ...request, expected: { codes: ['METHOD_NOT_ALLOWED'], requirement: 'ERR-6' } };
    const body = { error: { code: 'METHOD_NOT_ALLOWED', message: 'no', requirement: 'ERR-6' } };
    expect(refusalFailures(wrongMethod, answer(405, body)).map((f) => f.requirement)).toEqual(['ERR-6']);
    expect(refusalFailures(wrongMethod, answer(405, body, { 'content-type': 'application/json', allow: 'POST, OPTIONS' }))).toEqual([]);
  });
});
