import { MAX_JSON_DEPTH } from '../../../../spec/generated/constants.js';
import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

export const check = defineCheck({
  requirement: 'PUSH-16',
  slug: 'deep-nesting',
  description: 'alice pushes a value nested MAX_JSON_DEPTH + 1 and 100,000 levels deep: 400 REQUEST_INVALID_BODY each, and /health still answers',
  async run({ alice, uniqueId, health }) {
    for (const depth of [MAX_JSON_DEPTH + 1, 100_000]) {
      const body = `{"changes":[{"table":"tasks","id":"${uniqueId('task')}","op":"insert","data":{"deep":${nested(depth)}}}]}`;
      expectError(await alice.push({}, { rawBody: body }), 'REQUEST_INVALID_BODY', 'PUSH-16');
    }
    await health();
  },
});
