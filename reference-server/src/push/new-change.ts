import type { Change, FieldStamp } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import type { NewChange } from '../store/change-log.js';
import type { ChangeWrites } from './field-writes.js';

/**
 * The change as stored and relayed: every field with its whole stamp in canonical form (LWW-8,
 * LWW-11), missing instants taken from the server's clock at storage (LWW-9), an insert's values in
 * `data`, a delete's instant in `deletedAt` and as the field `deletedAt` (LWW-13).
 */
export function newChangeOf(change: Change, { writes, deletion }: ChangeWrites, spaceId: string, nowMs: number): NewChange {
  const fields: Record<string, FieldStamp> = {};
  for (const write of writes) fields[write.name] = { value: write.value, at: formatCanonicalInstant(write.t ?? nowMs), c: write.c };
  let deletedAt: string | undefined;
  if (deletion !== undefined) {
    const t = deletion.t ?? nowMs;
    deletedAt = formatCanonicalInstant(deletion.recordedT ?? t);
    fields.deletedAt = { value: deletedAt, at: formatCanonicalInstant(t), c: deletion.c };
  }
  return {
    table: change.table,
    id: change.id,
    op: change.op,
    spaceId,
    fields,
    ...(change.op === 'insert' ? { data: Object.fromEntries(writes.map((write) => [write.name, write.value])) } : {}),
    ...(deletedAt === undefined ? {} : { deletedAt }),
    ...('actor' in change ? { actor: change.actor } : {}),
    ...(change.origin === undefined ? {} : { origin: change.origin }),
  };
}
