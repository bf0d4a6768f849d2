import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-2',
  slug: 'non-json-content-type',
  description: 'alice pushes a valid changeset as text/plain and as a form (415 each), then with application/json; charset=utf-8 (200)',
  async run({ alice, uniqueId }) {
    const body = JSON.stringify({ changes: [insertChange(uniqueId('task'), { title: 'x' })] });
    expectError(await alice.push({}, { rawBody: body, contentType: 'text/plain' }), 'UNSUPPORTED_MEDIA_TYPE', 'PUSH-2');
    expectError(await alice.push({}, { rawBody: body, contentType: 'application/x-www-form-urlencoded' }), 'UNSUPPORTED_MEDIA_TYPE', 'PUSH-2');
    await alice.mustPush({}, { rawBody: body, contentType: 'application/json; charset=utf-8' });
  },
});
