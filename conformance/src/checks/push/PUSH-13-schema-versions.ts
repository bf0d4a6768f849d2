import { CURRENT_SCHEMA_VERSION } from '../../../../spec/generated/constants.js';
import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';

export const check = defineCheck({
  requirement: 'PUSH-13',
  slug: 'schema-versions',
  description: 'alice pushes with schemaVersion absent, 0 and 1 (each relayed as 1) and CURRENT_SCHEMA_VERSION + 1 (422 SCHEMA_VERSION_UNSUPPORTED)',
  async run({ alice, uniqueId }) {
    await alice.mustPush({ changes: [insertChange(uniqueId('task'), { v: 'absent' })] });
    await alice.mustPush({ schemaVersion: 0, changes: [insertChange(uniqueId('task'), { v: 0 })] });
    await alice.mustPush({ schemaVersion: 1, changes: [insertChange(uniqueId('task'), { v: 1 })] });
    expectError(await alice.push({ schemaVersion: CURRENT_SCHEMA_VERSION + 1, changes: [insertChange(uniqueId('task'), { v: 2 })] }), 'SCHEMA_VERSION_UNSUPPORTED', 'PUSH-13');
    const pulled = await alice.mustReadAll();
    expectEqual(pulled.map((change) => change.schemaVersion), [1, 1, 1], 'PUSH-13', 'schemaVersion of the stored changes');
  },
});
