import { MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH } from '../../../../spec/generated/constants.js';
import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'OPS-6',
  slug: 'limits-accepted',
  description: 'alice pushes exactly MAX_CHANGES_PER_PUSH inserts, then a body of exactly MAX_BODY_BYTES bytes: both 200',
  async run({ alice }) {
    const response = await alice.mustPush({ changes: Array.from({ length: MAX_CHANGES_PER_PUSH }, (_, i) => insertChange(`r${i}`, { i })) }, { requirement: 'OPS-6' });
    expectEqual(response.accepted, MAX_CHANGES_PER_PUSH, 'OPS-6', 'accepted');
    const prefix = '{"changes":[],"padding":"';
    const suffix = '"}';
    await alice.mustPush({}, { rawBody: `${prefix}${'x'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length)}${suffix}`, requirement: 'OPS-6' });
  },
});
