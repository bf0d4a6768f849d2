import { formatCanonicalInstant, parseInstant } from '../../../spec/src/instant.js';
import { stampOf, type Stamp } from '../../../spec/src/stamp-order.js';
import type { HlcTimestamp } from '../clock/hybrid-logical-clock.js';

/** The writer of a change: a user and one of its clients (section 1 of the spec). */
export interface Writer {
  readonly userId: string;
  readonly clientId: string;
}

/**
 * What a replica keeps of the winning write of one field: the value as it travels on the wire (a
 * ciphertext for an encrypted field, LWW-17) and the four other parts of its stamp (LWW-5).
 */
export interface FieldMeta extends Writer {
  readonly value: unknown;
  /** Canonical instant (LWW-2) of the write. */
  readonly at: string;
  readonly c: number;
}

/** The per-field state of one record, by field name. */
export type RecordMeta = Readonly<Record<string, FieldMeta>>;

/** The field whose winning value marks a record deleted (LWW-13). */
export const DELETED_AT_FIELD = 'deletedAt';

export function stampOfMeta(meta: FieldMeta): Stamp {
  return stampOf(meta, meta);
}

export function isSameWriter(a: Writer, b: Writer): boolean {
  return a.userId === b.userId && a.clientId === b.clientId;
}

/** LWW-13: deleted while the winning `deletedAt` is not null; a later `deletedAt = null` restores. */
export function isDeleted(meta: RecordMeta): boolean {
  const deletedAt = meta[DELETED_AT_FIELD];
  return deletedAt !== undefined && deletedAt.value !== null;
}

/** The clock reading of a field write, for the receive rule of LWW-7. */
export function hlcOf(write: { readonly at: string; readonly c: number }): HlcTimestamp {
  const l = parseInstant(write.at);
  if (l === null) throw new RangeError(`not an instant: ${write.at}`);
  return { l, c: write.c };
}

/** The wire form (`at`, `c`) of a clock reading. */
export function wireStampOf(hlc: HlcTimestamp): { at: string; c: number } {
  return { at: formatCanonicalInstant(hlc.l), c: hlc.c };
}
