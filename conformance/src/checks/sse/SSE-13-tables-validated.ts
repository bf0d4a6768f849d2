import { MAX_COLLECTIONS_PER_STREAM } from '../../../../spec/generated/constants.js';
import { expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import type { PullParams } from '../../user-client.js';

const tables = (count: number) => Array.from({ length: count }, (_, index) => `t${index}`).join(',');

const REFUSED: Array<[string, PullParams]> = [
  ['no collections', {}],
  ['empty collections', { collections: '' }],
  ['a name starting with a digit', { collections: 'tasks,1tasks' }],
  ['a name with a space', { collections: 'tasks, lists' }],
  ['an empty name between commas', { collections: 'tasks,,lists' }],
  ['a name of 65 characters', { collections: `t${'x'.repeat(64)}` }],
  [`${MAX_COLLECTIONS_PER_STREAM + 1} tables`, { collections: tables(MAX_COLLECTIONS_PER_STREAM + 1) }],
];

export const check = defineCheck({
  requirement: 'SSE-13',
  slug: 'tables-validated',
  description: `alice opens streams with no, empty, malformed and ${MAX_COLLECTIONS_PER_STREAM + 1} collections: 400 REQUEST_INVALID_PARAMETER each; ${MAX_COLLECTIONS_PER_STREAM} tables open a stream`,
  async run({ alice, record }) {
    for (const [what, params] of REFUSED) {
      record.note(`collections: ${what}`);
      expectError((await alice.openStream(params)).exchange, 'REQUEST_INVALID_PARAMETER', 'SSE-13');
    }
    (await alice.mustOpenStream({ collections: tables(MAX_COLLECTIONS_PER_STREAM) }, { requirement: 'SSE-13' })).close();
  },
});
