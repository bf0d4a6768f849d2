import { MAX_JSON_DEPTH } from '../../../spec/generated/constants.js';
import { ClientError } from '../errors.js';

// A field value nests inside the push body: body → changes → change → fields → field → value, five
// levels, so a value may nest MAX_JSON_DEPTH - 5 levels deep (PUSH-16).
const VALUE_DEPTH_BUDGET = MAX_JSON_DEPTH - 5;

/**
 * Refuses, at the local write, a value that the wire cannot carry unchanged or a server must refuse:
 * anything that is not JSON data (undefined, functions, Dates, NaN), U+0000 in any string (PUSH-15)
 * and nesting beyond the push limit (PUSH-16). Caught here, the application learns of it at once,
 * instead of the whole push being refused later.
 */
export function assertWireValue(value: unknown, where: string, depth = 1): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new ClientError('CLIENT_INVALID_WRITE', `${where} contains U+0000 (PUSH-15)`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ClientError('CLIENT_INVALID_WRITE', `${where} is ${value}, which JSON cannot carry`);
    return;
  }
  if (typeof value !== 'object') throw new ClientError('CLIENT_INVALID_WRITE', `${where} is a ${typeof value}, not JSON data`);
  if (depth > VALUE_DEPTH_BUDGET) throw new ClientError('CLIENT_INVALID_WRITE', `${where} nests deeper than a push allows (PUSH-16)`);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertWireValue(item, `${where}[${index}]`, depth + 1));
    return;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new ClientError('CLIENT_INVALID_WRITE', `${where} is not a plain object (a Date or class instance changes in JSON)`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) throw new ClientError('CLIENT_INVALID_WRITE', `${where} has a member name with U+0000 (PUSH-15)`);
    assertWireValue(item, `${where}.${key}`, depth + 1);
  }
}
