import { expectEqual, expectError } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { insertChange } from '../../change-builders.js';
import { describeExchange } from '../../exchange.js';
import { fail } from '../../failure.js';

export const check = defineCheck({
  requirement: 'PUSH-3',
  slug: 'invalid-json-and-schema',
  description: 'alice pushes truncated JSON, invalid UTF-8, and a changeset whose changes 1 and 2 lack `table`: 400 with details.path and details.index 1; nothing stored',
  async run({ alice, uniqueId }) {
    expectError(await alice.push({}, { rawBody: '{"changes": [' }), 'REQUEST_INVALID_JSON', 'PUSH-3');
    const invalidUtf8 = Buffer.concat([Buffer.from('{"changes":[{"table":"tasks","id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","op":"insert","data":{}}]}')]);
    expectError(await alice.push({}, { rawBody: new Uint8Array(invalidUtf8) }), 'REQUEST_INVALID_JSON', 'PUSH-3');
    const good = insertChange(uniqueId('task'), { title: 'first' });
    const noTable: Record<string, unknown> = { ...insertChange(uniqueId('task'), { title: 'second' }) };
    delete noTable.table;
    const exchange = await alice.push({ changes: [good, noTable as typeof good, { ...noTable, id: uniqueId('task') } as typeof good] });
    expectError(exchange, 'REQUEST_INVALID_BODY', 'PUSH-3');
    const details = (exchange.json as { error: { details?: { path?: unknown; index?: unknown } } }).error.details;
    expectEqual(details?.index, 1, 'PUSH-3', 'details.index');
    if (typeof details?.path !== 'string' || !details.path.startsWith('/changes/1')) fail('PUSH-3', 'details.path a JSON Pointer into /changes/1', describeExchange(exchange));
    const stored = await alice.mustReadAll();
    expectEqual(stored.length, 0, 'PUSH-3', 'changes stored by refused pushes');
  },
});
