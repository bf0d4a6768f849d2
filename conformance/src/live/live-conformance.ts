import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { describeSchemaErrors, validatorFor, type SchemaName } from '../../../spec/src/schema-registry.js';
import { parseJson } from '../exchange.js';
import type { Failure } from '../failure.js';
import type { SseBlock } from './sse-parser.js';

function schemaFailure(schema: SchemaName, text: string, requirement: RequirementId, what: string): Failure | undefined {
  const value = parseJson(text);
  const validate = validatorFor(schema);
  if (value !== undefined && validate(value)) return undefined;
  const actual = value === undefined ? `data that is not JSON: ${text.slice(0, 200)}` : describeSchemaErrors(validate.errors).slice(0, 5).join('; ');
  return { requirement, expected: `${what} matching ${schema}.schema.json`, actual };
}

const EVENT_SCHEMAS: Record<string, { schema: SchemaName; requirement: RequirementId }> = {
  changes: { schema: 'sse-changes-event', requirement: 'SSE-3' },
  heartbeat: { schema: 'sse-heartbeat-event', requirement: 'SSE-6' },
  error: { schema: 'error', requirement: 'SSE-14' },
};

/**
 * What every SSE event is held to, whatever the check: one line of JSON data matching the event's
 * schema (SSE-3, SSE-6, SSE-14), an id equal to `syncedUntil` on changes and no id on the others (SSE-4).
 */
export function sseEventFailures(block: SseBlock): Failure[] {
  const known = block.event === undefined ? undefined : EVENT_SCHEMAS[block.event];
  if (known === undefined) return [];
  const failures: Failure[] = [];
  if (block.data.length !== 1) {
    failures.push({ requirement: known.requirement, expected: `a ${block.event} event with one data line`, actual: `${block.data.length} data lines: ${block.raw.slice(0, 200)}` });
  }
  const data = block.data.join('\n');
  const invalid = schemaFailure(known.schema, data, known.requirement, `${block.event} event data`);
  if (invalid) failures.push(invalid);
  if (block.event === 'changes') {
    const syncedUntil = (parseJson(data) as { syncedUntil?: unknown } | undefined)?.syncedUntil;
    if (block.id === undefined || block.id !== syncedUntil) {
      failures.push({ requirement: 'SSE-4', expected: 'a changes event whose id equals its syncedUntil', actual: `id ${block.id ?? '(none)'}, syncedUntil ${JSON.stringify(syncedUntil)}` });
    }
  } else if (block.id !== undefined) {
    failures.push({ requirement: 'SSE-4', expected: `a ${block.event} event without an id`, actual: `id ${block.id}` });
  }
  return failures;
}

/** Every server message must be a JSON text frame matching ws-server-message.schema.json (WS-1). */
export function wsMessageFailures(text: string): Failure[] {
  const invalid = schemaFailure('ws-server-message', text, 'WS-1', 'a server message');
  return invalid ? [invalid] : [];
}
