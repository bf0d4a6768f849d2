import { describe, expect, it } from 'vitest';
import type { Exchange } from '../src/exchange.js';
import { responseFailures } from '../src/response-conformance.js';

function exchange(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method: 'GET', url: 'http://t/sync/a/pull', status, headers: new Headers(headers), text, json };
}

const requirementsOf = (e: Exchange, kind: Parameters<typeof responseFailures>[1] = 'other') => responseFailures(e, kind).map((f) => f.requirement);

describe('what every answer is held to', () => {
  it('ERR-1 a plain-text error body fails ERR-1', () => {
    expect(requirementsOf(exchange(400, 'bad request', { 'content-type': 'text/plain' }))).toEqual(['ERR-1', 'ERR-1']);
  });

  it('ERR-2 ERR-3 a code sent with another status fails ERR-2; a missing requirement is a SHOULD (ERR-3)', () => {
    expect(requirementsOf(exchange(400, { error: { code: 'AUTH_MISSING_TOKEN', message: 'x', requirement: 'AUTH-1' } }))).toEqual(['ERR-2']);
    expect(requirementsOf(exchange(401, { error: { code: 'AUTH_MISSING_TOKEN', message: 'x' } }))).toEqual(['ERR-3']);
    expect(requirementsOf(exchange(401, { error: { code: 'AUTH_MISSING_TOKEN', message: 'x', requirement: 'AUTH-1' } }))).toEqual([]);
  });

  it('ERR-7 a 503 without Retry-After in seconds', () => {
    const body = { error: { code: 'MEMBERSHIP_UNAVAILABLE', message: 'x', requirement: 'SPACE-10' } };
    expect(requirementsOf(exchange(503, body))).toEqual(['ERR-7']);
    expect(requirementsOf(exchange(503, body, { 'content-type': 'application/json', 'retry-after': '5' }))).toEqual([]);
  });

  it('PULL-1 PULL-15 OPS-10 a pull answer must match its schema, say no-store and be application/json', () => {
    const page = { serverChanges: [], conflicts: [], syncedUntil: 'c1', hasMore: false };
    expect(requirementsOf(exchange(200, page, { 'content-type': 'application/json', 'cache-control': 'no-store' }), 'pull')).toEqual([]);
    expect(requirementsOf(exchange(200, page, { 'content-type': 'text/json' }), 'pull')).toEqual(['OPS-10', 'PULL-15']);
    expect(requirementsOf(exchange(200, { serverChanges: [] }, { 'content-type': 'application/json', 'cache-control': 'no-store' }), 'pull')).toEqual(['PULL-1']);
  });

  it('OPS-1 /health answering 503 keeps its own body, not an error body', () => {
    expect(requirementsOf(exchange(503, { status: 'unavailable' }, { 'content-type': 'application/json', 'retry-after': '1' }), 'health')).toEqual(['OPS-1']);
  });
});
