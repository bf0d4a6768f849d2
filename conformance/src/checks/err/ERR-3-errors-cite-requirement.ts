import { ERROR_CODES, type ErrorCode } from '../../../../spec/generated/error-codes.js';
import { expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { fail } from '../../failure.js';
import { provokeErrors } from './error-triggers.js';

export const check = defineCheck({
  requirement: 'ERR-3',
  slug: 'errors-cite-requirement',
  description: 'provokes ten refusals: each error body names in `requirement` the requirement the table gives its code',
  async run(ctx) {
    for (const exchange of await provokeErrors(ctx)) {
      const error = (exchange.json as { error?: { code?: ErrorCode; requirement?: string } } | undefined)?.error;
      if (error?.code === undefined) fail('ERR-1', 'a JSON error body', `${exchange.method} ${exchange.url} → ${exchange.text.slice(0, 200)}`);
      const due = ERROR_CODES[error.code]?.requirement;
      expectTrue(due !== undefined && error.requirement === due, 'ERR-3', `requirement ${due ?? '(of the code)'}`, () => `${exchange.method} ${exchange.url} → ${exchange.text.slice(0, 200)}`);
    }
  },
});
