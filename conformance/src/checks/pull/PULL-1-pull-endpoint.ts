import { PULL_PAGE_SIZE } from '../../../../spec/generated/constants.js';
import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { TABLE } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PULL-1',
  slug: 'query-validated',
  description: 'alice pulls with a valid query (200, pull-response schema), then without collection, with a malformed collection, limit 0, PULL_PAGE_SIZE + 1 and "ten": 400 REQUEST_INVALID_PARAMETER each',
  async run({ alice }) {
    await alice.mustPull({ collection: TABLE, limit: PULL_PAGE_SIZE });
    const invalid = [{}, { collection: 'no spaces allowed' }, { collection: TABLE, limit: 0 }, { collection: TABLE, limit: PULL_PAGE_SIZE + 1 }, { collection: TABLE, limit: 'ten' }];
    for (const query of invalid) expectError(await alice.pull(query), 'REQUEST_INVALID_PARAMETER', 'PULL-1');
  },
});
