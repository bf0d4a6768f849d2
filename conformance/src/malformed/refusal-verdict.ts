import type { ErrorCode } from '../../../spec/generated/error-codes.js';
import { describeExchange, type Exchange } from '../exchange.js';
import type { Failure } from '../failure.js';
import { responseFailures } from '../response-conformance.js';
import { describeExpected, type BadRequest } from './bad-request.js';

/**
 * What is wrong with a server's answer to a bad request: a 5xx (ERR-4), anything but a 4xx, an
 * answer that is not the spec's error body (ERR-1, ERR-2, OPS-10), another code than the one the
 * spec fixes, a missing `details.index` (PUSH-3, PUSH-4) or `Allow` on a 405 (ERR-6). ERR-3 (a
 * SHOULD) is left to its own check.
 */
export function refusalFailures(request: BadRequest, exchange: Exchange): Failure[] {
  const actual = describeExchange(exchange);
  const expected = describeExpected(request.expected);
  if (exchange.status >= 500) return [{ requirement: 'ERR-4', expected: `no 5xx for bad input: ${expected}`, actual }];
  if (exchange.status < 400) return [{ requirement: request.expected.requirement, expected, actual }];
  const failures = responseFailures(exchange, 'other').filter((failure) => failure.requirement !== 'ERR-3');
  if (failures.length > 0) return failures;
  const error = (exchange.json as { error: { code: ErrorCode; details?: { index?: unknown } } }).error;
  const { codes } = request.expected;
  if (codes !== 'any-4xx' && !codes.includes(error.code)) return [{ requirement: request.expected.requirement, expected, actual }];
  if (request.expected.index !== undefined && error.details?.index !== request.expected.index) {
    return [{ requirement: request.expected.requirement, expected: `details.index ${request.expected.index}`, actual }];
  }
  if (exchange.status === 405 && (exchange.headers.get('allow') ?? '') === '') return [{ requirement: 'ERR-6', expected: 'a 405 with an Allow header', actual }];
  return [];
}
