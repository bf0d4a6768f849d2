import canonicalize from 'canonicalize';
import { parseInstant } from './instant.js';

// The total order of field writes (LWW-5): (t, c, user id, client id, value). Every replica, the
// conformance model and any tool that resolves a conflict must use exactly this order, so it is
// written once, here.

/** The stamp of one field write, with the value it wrote (section 6 of the spec). */
export interface Stamp {
  /** Whole milliseconds since the epoch (LWW-3). */
  t: number;
  /** The writer's hybrid-logical-clock counter; 0 when absent. */
  c: number;
  userId: string;
  clientId: string;
  /** The value as it travels on the wire (LWW-17): a ciphertext for an encrypted field. */
  value: unknown;
}

/** Orders two strings by their UTF-8 bytes, which is the order of their code points. */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    // A supplementary code point occupies two UTF-16 units; both strings had the same one here.
    if (x > 0xffff) i++;
  }
  return Math.sign(a.length - b.length);
}

/** RFC 8785 canonical JSON of a wire value; `undefined` is read as absent, i.e. null. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value ?? null) ?? 'null';
}

/** Negative when `a` loses to `b`, positive when it wins, 0 only for the very same write. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  return (
    compareUtf8(a.userId, b.userId) ||
    compareUtf8(a.clientId, b.clientId) ||
    compareUtf8(canonicalJson(a.value), canonicalJson(b.value))
  );
}

/** A field of a server change (`field-stamp.schema.json`) with its writer, as a Stamp. */
export function stampOf(field: { value: unknown; at: string; c: number }, writer: { userId: string; clientId: string }): Stamp {
  const t = parseInstant(field.at);
  if (t === null) throw new RangeError(`not an instant: ${field.at}`);
  return { t, c: field.c, userId: writer.userId, clientId: writer.clientId, value: field.value };
}
