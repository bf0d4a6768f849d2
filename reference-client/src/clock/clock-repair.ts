// LWW-18: a push refused with 422 LWW_CLOCK_AHEAD (LWW-12) means this writer's clock ran ahead. Its
// refused stamps reached no other replica, so the clock may go back: to the wall clock, but never
// below a stamp it has received, since every received stamp was accepted by a server and a write made
// after applying it must still be stamped above it (LWW-7).

import type { HlcTimestamp } from './hybrid-logical-clock.js';

/**
 * The state of a repaired clock at wall-clock time pt: l = max(pt, the greatest received stamp's l),
 * c = 0. When the received stamp's l is the greater, the state is that stamp itself (its c, not 0):
 * with c = 0 the next write, (l, 1), would sort below a received (l, cm) with cm > 1, which LWW-7
 * forbids. The next local tick then stamps strictly above both.
 */
export function repairedClockState(received: HlcTimestamp, pt: number): HlcTimestamp {
  const wall = Math.floor(pt);
  return received.l >= wall ? { l: received.l, c: received.c } : { l: wall, c: 0 };
}
