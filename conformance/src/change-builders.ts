import type { Change, ServerChange } from '../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../spec/src/instant.js';

/** The table checks write to unless they need several. */
export const TABLE = 'tasks';

/** An instant `offsetMs` from now, in the canonical form. */
export function instantFromNow(offsetMs = 0): string {
  return formatCanonicalInstant(Date.now() + offsetMs);
}

export function insertChange(id: string, data: Record<string, unknown>, extra: Partial<Change> = {}): Change {
  return { table: TABLE, id, op: 'insert', data, ...extra };
}

/** An update writing each field with the same stamp. */
export function updateChange(id: string, values: Record<string, unknown>, at = instantFromNow(), extra: Partial<Change> = {}): Change {
  const fields = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, at, c: 0 }]));
  return { table: TABLE, id, op: 'update', fields, ...extra };
}

/** `table/id` of each change, in order: what most checks compare. */
export function recordKeys(changes: readonly (Change | ServerChange)[]): string[] {
  return changes.map((change) => `${change.table}/${change.id}`);
}
