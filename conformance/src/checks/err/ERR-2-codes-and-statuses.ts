import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { provokeErrors } from './error-triggers.js';

const EXPECTED = [
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'AUTH_MISSING_TOKEN',
  'AUTH_INVALID_TOKEN',
  'REQUEST_INVALID_PARAMETER',
  'CURSOR_INVALID',
  'REQUEST_INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PUSH_INVALID_OP',
  'PUSH_MISSING_CLIENT_ID',
] as const;

export const check = defineCheck({
  requirement: 'ERR-2',
  slug: 'codes-and-statuses',
  description: 'provokes ten refusals: each answer carries the code of the table for that refusal with the table\'s status',
  async run(ctx) {
    const exchanges = await provokeErrors(ctx);
    for (const [index, exchange] of exchanges.entries()) expectError(exchange, EXPECTED[index]!, 'ERR-2');
  },
});
