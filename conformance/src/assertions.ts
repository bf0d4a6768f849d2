import { ERROR_CODES, type ErrorCode } from '../../spec/generated/error-codes.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { canonicalJson } from '../../spec/src/stamp-order.js';
import { describeExchange, type Exchange } from './exchange.js';
import { fail } from './failure.js';

/** The error code of an answer, or undefined when it carries no error body. */
export function errorCodeOf(exchange: Exchange): string | undefined {
  const body = exchange.json as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
}

/**
 * The answer must be the error `code` with the status the error table gives it. The right status
 * with a body that is no error body cannot show its code: that is ERR-1's failure, not the caller's.
 */
export function expectError(exchange: Exchange, code: ErrorCode, requirement: RequirementId): void {
  const status = ERROR_CODES[code].status;
  const actualCode = errorCodeOf(exchange);
  if (exchange.status === status && actualCode === undefined) {
    fail('ERR-1', `a JSON error body with code ${code}`, describeExchange(exchange));
  }
  if (exchange.status !== status || actualCode !== code) {
    fail(requirement, `${status ?? '(stream only)'} ${code}`, describeExchange(exchange));
  }
}

export function expectStatus(exchange: Exchange, status: number, requirement: RequirementId): void {
  if (exchange.status !== status) fail(requirement, `status ${status}`, describeExchange(exchange));
}

/** Equal as JSON values: member order does not count (a server storing jsonb may reorder members). */
export function expectEqual<T>(actual: T, expected: T, requirement: RequirementId, what: string): void {
  const a = actual === undefined ? 'undefined' : canonicalJson(actual);
  const e = expected === undefined ? 'undefined' : canonicalJson(expected);
  if (a !== e) fail(requirement, `${what}: ${e}`, `${what}: ${a}`);
}

export function expectTrue(condition: boolean, requirement: RequirementId, expected: string, actual: () => string): void {
  if (!condition) fail(requirement, expected, actual());
}
