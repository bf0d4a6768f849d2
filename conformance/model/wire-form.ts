import type { Change, ServerChange } from '../../spec/generated/types.js';
import { formatCanonicalInstant, parseInstant } from '../../spec/src/instant.js';
import { canonicalJson } from '../../spec/src/stamp-order.js';
import type { LoggedChange, ModelField, ModelWrite } from './sync-model.js';

// How the model's writes travel (change.schema.json) and how a relayed server change must look
// (server-change.schema.json, LWW-8, LWW-11, SPACE-1). Pure: the properties send and compare, the
// model only states.

/**
 * The wire change of a model write. Every field carries its own stamp (LWW-7: the device chose it);
 * an insert also carries its values in `data`; a delete records its own stamp as `deletedAt` (LWW-13).
 */
export function wireChangeOf(write: ModelWrite, spaceId: string | undefined): Change {
  const base = { table: write.table, id: write.id, origin: write.origin, ...(spaceId === undefined ? {} : { spaceId }) };
  const stamped = Object.fromEntries(Object.entries(write.fields).map(([name, field]) => [name, { value: field.value, at: formatCanonicalInstant(field.t), c: field.c }]));
  switch (write.op) {
    case 'insert':
      return { ...base, op: 'insert', data: Object.fromEntries(Object.entries(write.fields).map(([name, field]) => [name, field.value])), fields: stamped };
    case 'update':
      return { ...base, op: 'update', fields: stamped };
    case 'delete': {
      const stamp = write.fields.deletedAt!;
      return { ...base, op: 'delete', at: formatCanonicalInstant(stamp.t), c: stamp.c, deletedAt: formatCanonicalInstant(stamp.t) };
    }
  }
}

/** The field writes of a delete at `t`: `deletedAt` with the deletion instant as its value (LWW-13). */
export function deleteFields(t: number, c: number): Record<string, ModelField> {
  return { deletedAt: { value: formatCanonicalInstant(t), t, c } };
}

/** A relayed change read back as the model's fields (instants floored to ms, LWW-3); null when a stamp is unreadable. */
export function fieldsOfServerChange(change: ServerChange): Record<string, ModelField> | null {
  const fields: Record<string, ModelField> = {};
  for (const [name, field] of Object.entries(change.fields ?? {})) {
    const t = typeof field?.at === 'string' ? parseInstant(field.at) : null;
    if (t === null) return null;
    fields[name] = { value: field.value, t, c: field.c ?? 0 };
  }
  return fields;
}

/** What differs between a relayed change and the committed change it relays; empty when it is faithful. */
export function relayDifferences(relayed: ServerChange, committed: LoggedChange): string[] {
  const differences: string[] = [];
  for (const key of ['table', 'id', 'op', 'userId', 'clientId', 'spaceId'] as const) {
    if (relayed[key] !== committed[key]) differences.push(`${key} ${JSON.stringify(relayed[key])} instead of ${JSON.stringify(committed[key])}`);
  }
  const fields = relayed.fields ?? {};
  const names = new Set([...Object.keys(fields), ...Object.keys(committed.fields)]);
  for (const name of [...names].sort()) {
    const sent = committed.fields[name];
    const got = fields[name];
    if (sent === undefined) differences.push(`field ${name} that was never written`);
    else if (got === undefined) differences.push(`field ${name} missing`);
    else {
      const t = typeof got.at === 'string' ? parseInstant(got.at) : null;
      if (canonicalJson(got.value) !== canonicalJson(sent.value) || t !== sent.t || (got.c ?? 0) !== sent.c) {
        differences.push(`field ${name} = ${canonicalJson(got.value)} at ${String(got.at)} c=${String(got.c)} instead of ${canonicalJson(sent.value)} at ${formatCanonicalInstant(sent.t)} c=${sent.c}`);
      }
    }
  }
  return differences;
}
