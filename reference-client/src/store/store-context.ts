import type { WallClock } from '../clock/hybrid-logical-clock.js';
import type { Writer } from '../merge/field-meta.js';
import type { FieldCodec } from './field-codec.js';
import type { LocalDatabase } from './local-database.js';

/** What the store's operations share: the database, this replica's writer, its clock and codec. */
export interface StoreContext {
  readonly db: LocalDatabase;
  readonly self: Writer;
  readonly codec: FieldCodec;
  readonly wallClock: WallClock;
}

/** SPACE-13: the space of a user's personal records. */
export function personalSpaceOf(userId: string): string {
  return `_personal:${userId}`;
}
