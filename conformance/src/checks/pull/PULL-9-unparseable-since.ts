import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-9',
  slug: 'unparseable-since',
  description: 'alice pulls with since "yesterday", "c1.zz" and "2026-13-45T99:00:00Z": 400 CURSOR_INVALID each',
  async run({ alice }) {
    for (const since of ['yesterday', 'c1.zz', '2026-13-45T99:00:00Z']) expectError(await alice.pull({ collection: TABLE, since }), 'CURSOR_INVALID', 'PULL-9');
  },
});
