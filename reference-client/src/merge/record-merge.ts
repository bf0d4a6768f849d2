import type { ServerChange } from '../../../spec/generated/types.js';
import { compareStamps } from '../../../spec/src/stamp-order.js';
import { isSameWriter, stampOfMeta, type FieldMeta, type RecordMeta, type Writer } from './field-meta.js';

/** A local write that had not been pushed yet and lost to an incoming write (LWW-16). */
export interface FieldConflict {
  readonly field: string;
  /** The local write that lost. */
  readonly local: FieldMeta;
  /** The incoming write that won. */
  readonly incoming: FieldMeta;
}

export interface MergeOutcome {
  readonly meta: RecordMeta;
  /** The fields whose incoming write won, in the change's order. */
  readonly won: readonly string[];
  readonly conflicts: readonly FieldConflict[];
}

export interface LocalView {
  /** This replica's own writer: its writes coming back (echoes) never count as conflicts. */
  readonly self: Writer;
  /** Fields of the record with a local write that is not yet acknowledged by the server. */
  readonly pending: readonly string[];
}

/**
 * Merges one server change into a record's per-field state, field by field (LWW-4): an incoming write
 * replaces the held one if and only if its stamp is greater (LWW-5). Inserts, updates and deletes
 * (a write of `deletedAt`, LWW-13) all merge this way, so an insert is an upsert (LWW-14), a change
 * for an unknown record creates it (LWW-15), and a change applied again, an echo of our own writer
 * included, changes nothing: its stamp equals the held one.
 */
export function mergeServerChange(current: RecordMeta | undefined, change: ServerChange, local: LocalView): MergeOutcome {
  const meta: Record<string, FieldMeta> = { ...current };
  const won: string[] = [];
  const conflicts: FieldConflict[] = [];
  const writer: Writer = { userId: change.userId, clientId: change.clientId };
  for (const [field, write] of Object.entries(change.fields)) {
    const incoming: FieldMeta = { value: write.value, at: write.at, c: write.c, ...writer };
    const held = meta[field];
    if (held !== undefined) {
      if (compareStamps(stampOfMeta(incoming), stampOfMeta(held)) <= 0) continue;
      if (local.pending.includes(field) && isSameWriter(held, local.self) && !isSameWriter(writer, local.self)) {
        conflicts.push({ field, local: held, incoming });
      }
    }
    meta[field] = incoming;
    won.push(field);
  }
  return { meta, won, conflicts };
}
