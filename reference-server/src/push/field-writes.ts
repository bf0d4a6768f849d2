import type { Change, FieldChange } from '../../../spec/generated/types.js';
import { parseInstant } from '../../../spec/src/instant.js';

/** One field write of a pushed change with its stamp resolved (LWW-9, LWW-10); `t` null: stamp with the server clock. */
export interface FieldWrite {
  readonly name: string;
  readonly value: unknown;
  readonly t: number | null;
  readonly c: number;
}

// The instants a canonical form can hold (LWW-2): the years 0000 to 9999 in UTC.
const EARLIEST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant of the wire in whole milliseconds (LWW-3), or null when absent, not an instant (a record
 * value need not be one) or outside the years the canonical form can hold.
 */
export function instantOf(value: unknown): number | null {
  const t = typeof value === 'string' ? parseInstant(value) : null;
  return t !== null && t >= EARLIEST_MS && t <= LATEST_MS ? t : null;
}

const firstInstant = (candidates: readonly unknown[]): number | null => {
  for (const candidate of candidates) {
    const t = instantOf(candidate);
    if (t !== null) return t;
  }
  return null;
};

/** The field writes of one pushed change, and for a delete the write of `deletedAt` (LWW-13). */
export interface ChangeWrites {
  readonly writes: readonly FieldWrite[];
  /** delete: the stamp of the `deletedAt` write and the instant the client recorded (null: the stamp's own time). */
  readonly deletion?: { readonly t: number | null; readonly c: number; readonly recordedT: number | null };
}

/**
 * Every field a change writes, each with the stamp the spec assigns (LWW-9): the field's `at`, its
 * `updatedAt` (LWW-10), the change's `at`, for an insert the record's `updatedAt` then `createdAt`,
 * for a delete its `deletedAt`; else the server's clock. The counter is the field's `c`, else the
 * change's, else 0. An insert writes every member of `data`, a member of `fields` overriding it with
 * its own stamp; a delete writes `deletedAt` besides any other `fields`.
 */
export function changeWritesOf(change: Change): ChangeWrites {
  const changeLevel: unknown[] = [change.at];
  if (change.op === 'insert') changeLevel.push(change.data?.updatedAt, change.data?.createdAt);
  if (change.op === 'delete') changeLevel.push(change.deletedAt);
  const write = (name: string, value: unknown, field: FieldChange | undefined): FieldWrite => ({
    name,
    value,
    t: firstInstant([field?.at, field?.updatedAt, ...changeLevel]),
    c: field?.c ?? change.c ?? 0,
  });
  const { deletedAt: deletedAtField, ...fields } = change.fields ?? {};
  const writes = new Map<string, FieldWrite>();
  if (change.op === 'insert') {
    for (const [name, value] of Object.entries(change.data ?? {})) writes.set(name, write(name, value, undefined));
  }
  if (deletedAtField !== undefined && change.op !== 'delete') writes.set('deletedAt', write('deletedAt', deletedAtField.value, deletedAtField));
  for (const [name, field] of Object.entries(fields)) writes.set(name, write(name, field.value, field));
  if (change.op !== 'delete') return { writes: [...writes.values()] };
  const stamp = write('deletedAt', null, deletedAtField);
  return { writes: [...writes.values()], deletion: { t: stamp.t, c: stamp.c, recordedT: firstInstant([deletedAtField?.value, change.deletedAt]) } };
}
