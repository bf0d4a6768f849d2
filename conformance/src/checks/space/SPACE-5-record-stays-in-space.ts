import { expectEqual, expectError, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange, updateChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'SPACE-5',
  slug: 'record-stays-in-space',
  description: 'alice inserts a personal record; bob (her co-member in a space) and then alice write that record id into the space: 409 SPACE_MISMATCH each, naming neither alice\'s space nor data; nothing stored',
  async run({ alice, bob, uniqueId, sharedSpace }) {
    const space = sharedSpace(alice, bob);
    const id = uniqueId('task');
    await alice.mustPush({ changes: [insertChange(id, { title: 'secret-title' })] });
    const exchange = await bob.push({ changes: [updateChange(id, { title: 'overwritten' }, undefined, { spaceId: space })] });
    expectError(exchange, 'SPACE_MISMATCH', 'SPACE-5');
    expectTrue(!exchange.text.includes(alice.personalSpace) && !exchange.text.includes('secret-title'), 'SPACE-5', 'an error naming neither the record\'s space nor its data', () => exchange.text);
    expectError(await alice.push({ changes: [updateChange(id, { title: 'moved' }, undefined, { spaceId: space })] }), 'SPACE_MISMATCH', 'SPACE-5');
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.length, 1, 'SPACE-5', 'changes of the record');
  },
});
