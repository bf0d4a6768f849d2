import { MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH } from '../../../../spec/generated/constants.js';
import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-14',
  slug: 'body-and-change-limits',
  description: 'alice pushes MAX_CHANGES_PER_PUSH + 1 tiny inserts (413 PUSH_TOO_MANY_CHANGES) and a body of MAX_BODY_BYTES + 1 bytes (413 REQUEST_TOO_LARGE); nothing stored',
  async run({ alice }) {
    const tooMany = Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, (_, i) => insertChange(`r${i}`, {}));
    expectError(await alice.push({ changes: tooMany }), 'PUSH_TOO_MANY_CHANGES', 'PUSH-14');
    const prefix = '{"changes":[],"padding":"';
    const suffix = '"}';
    const padding = 'x'.repeat(MAX_BODY_BYTES + 1 - prefix.length - suffix.length);
    expectError(await alice.push({}, { rawBody: `${prefix}${padding}${suffix}` }), 'REQUEST_TOO_LARGE', 'PUSH-14');
    const stored = await alice.mustReadAll();
    expectEqual(stored.length, 0, 'PUSH-14', 'changes stored by refused pushes');
  },
});
