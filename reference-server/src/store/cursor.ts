import { createHash } from 'node:crypto';
import { TIMESTAMP_SINCE_GRACE_SECONDS } from '../../../spec/generated/constants.js';
import { parseInstant } from '../../../spec/src/instant.js';

/** A position in the change log (Appendix C): the writing transaction and the sequence, as decimal strings. */
export interface LogPosition {
  readonly txid: string;
  readonly seq: string;
}

/** Before every change. */
export const LOG_START: LogPosition = { txid: '0', seq: '0' };

/** Where a read starts, as decided from the `since` (or `Last-Event-ID`) a client sent. */
export type ReadStart =
  /** PULL-7: no `since`, or an empty one. */
  | { readonly kind: 'beginning' }
  /** A cursor this server issued, with the fingerprint of the spaces it was issued for (SPACE-11). */
  | { readonly kind: 'cursor'; readonly position: LogPosition; readonly spaces: string }
  /** PULL-8: an RFC 3339 instant from a client of the first server; served from `notBeforeMs`. */
  | { readonly kind: 'timestamp'; readonly notBeforeMs: number };

// c1.<txid>.<seq>.<spaces>: fixed-width lower-case hex, so byte order is position order (PULL-2).
const CURSOR = /^c1\.([0-9a-f]{16})\.([0-9a-f]{16})\.([0-9a-f]{16})$/;
const MAX_INT8 = (1n << 63n) - 1n;

const hex16 = (decimal: string): string => BigInt(decimal).toString(16).padStart(16, '0');

/**
 * The cursor of a position, read with a set of shared spaces. The fingerprint of the spaces lets a
 * later read notice that the user has gained a space since (SPACE-11): its older changes lie behind
 * the position but were never evaluated as visible.
 */
export function encodeCursor(position: LogPosition, spaces: string): string {
  return `c1.${hex16(position.txid)}.${hex16(position.seq)}.${spaces}`;
}

/** A fingerprint of a set of shared space ids (order and duplicates do not matter). */
export function spaceFingerprint(spaceIds: readonly string[]): string {
  const sorted = [...new Set(spaceIds)].sort();
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * Decides where a read starts (PULL-7, PULL-8, PULL-9): null when `since` is neither empty, nor a
 * cursor of this server, nor an RFC 3339 instant, which the caller answers 400 CURSOR_INVALID.
 */
export function parseSince(since: string | undefined): ReadStart | null {
  if (since === undefined || since === '') return { kind: 'beginning' };
  const cursor = CURSOR.exec(since);
  if (cursor !== null) {
    const txid = BigInt(`0x${cursor[1]!}`);
    const seq = BigInt(`0x${cursor[2]!}`);
    if (seq > MAX_INT8) return null;
    return { kind: 'cursor', position: { txid: txid.toString(), seq: seq.toString() }, spaces: cursor[3]! };
  }
  const instant = parseInstant(since);
  if (instant === null) return null;
  return { kind: 'timestamp', notBeforeMs: instant - TIMESTAMP_SINCE_GRACE_SECONDS * 1000 };
}

/** Where a read actually begins in the log, and the time filter of a timestamp `since`. */
export interface ReadOrigin {
  readonly after: LogPosition;
  readonly notBeforeMs: number | undefined;
}

/**
 * The origin of a read for a user whose shared spaces now have the fingerprint `spaces`. A cursor
 * issued for another set of spaces is read from the beginning (SPACE-11): the changes of a space the
 * user gained lie behind the cursor and were never returned. Merging makes the repeated changes
 * harmless (LWW-6), and unlike 409 CURSOR_RESET it keeps a push of an old client from being refused.
 */
export function readOrigin(start: ReadStart, spaces: string): ReadOrigin {
  switch (start.kind) {
    case 'beginning':
      return { after: LOG_START, notBeforeMs: undefined };
    case 'timestamp':
      return { after: LOG_START, notBeforeMs: start.notBeforeMs };
    case 'cursor':
      return { after: start.spaces === spaces ? start.position : LOG_START, notBeforeMs: undefined };
  }
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  const txid = BigInt(a.txid) - BigInt(b.txid);
  if (txid !== 0n) return txid < 0n ? -1 : 1;
  const seq = BigInt(a.seq) - BigInt(b.seq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}
