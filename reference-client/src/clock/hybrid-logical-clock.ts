// The hybrid logical clock of LWW-7. Every field write is stamped (l, c): l an instant in whole
// milliseconds, c a counter within it. Stamps of one writer strictly increase, and a write made after
// a received change was applied is stamped above it, whatever the wall clock does (jumps back, runs
// minutes ahead and returns), so a causally later write wins under LWW-5.

import { HLC_COUNTER_MAX } from '../../../spec/generated/constants.js';
import { repairedClockState } from './clock-repair.js';

/** A clock reading, which is also the state of the clock: the last stamp it issued or received. */
export interface HlcTimestamp {
  /** Whole milliseconds since the epoch. */
  readonly l: number;
  readonly c: number;
}

/** The physical clock, in milliseconds since the epoch (`Date.now` unless a test injects another). */
export type WallClock = () => number;

export const HLC_ZERO: HlcTimestamp = { l: 0, c: 0 };

/** The order of clock readings: by l, then by c. */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  return a.l - b.l || a.c - b.c;
}

function greaterOf(a: HlcTimestamp, b: HlcTimestamp): HlcTimestamp {
  return compareHlc(a, b) >= 0 ? a : b;
}

// LWW-7: a counter that would exceed the maximum advances l by one millisecond and restarts at 0, so
// the stamp still increases and still fits the wire's counter range.
function settle(l: number, c: number): HlcTimestamp {
  return c > HLC_COUNTER_MAX ? { l: l + 1, c: 0 } : { l, c };
}

/** LWW-7, local write at wall-clock time pt: l' = max(l, pt); c' = c + 1 if l' = l, else 0. */
export function tickLocal(state: HlcTimestamp, pt: number): HlcTimestamp {
  const l = Math.max(state.l, Math.floor(pt));
  return settle(l, l === state.l ? state.c + 1 : 0);
}

/**
 * LWW-7, applying a received stamp (lm, cm) at wall-clock time pt: l' = max(l, lm, pt); c' is
 * max(c, cm) + 1 if l' = l = lm, c + 1 if only l' = l, cm + 1 if only l' = lm, else 0.
 */
export function tickReceive(state: HlcTimestamp, received: HlcTimestamp, pt: number): HlcTimestamp {
  const l = Math.max(state.l, received.l, Math.floor(pt));
  if (l === state.l && l === received.l) return settle(l, Math.max(state.c, received.c) + 1);
  if (l === state.l) return settle(l, state.c + 1);
  if (l === received.l) return settle(l, received.c + 1);
  return { l, c: 0 };
}

/**
 * A clock over an injectable wall clock. Its state is what a writer persists (the local store keeps it
 * in the transaction of every write), so that a reload resumes above every stamp already issued.
 * Beside its state it keeps the greatest stamp it has received: the floor of a repair (LWW-18), which
 * must never go below a stamp another replica may have seen.
 */
export class HybridLogicalClock {
  private current: HlcTimestamp;
  private greatestReceived: HlcTimestamp;

  constructor(
    private readonly wallClock: WallClock = Date.now,
    state: HlcTimestamp = HLC_ZERO,
    received: HlcTimestamp = HLC_ZERO,
  ) {
    this.current = state;
    this.greatestReceived = received;
  }

  /** The last stamp issued or received. */
  get state(): HlcTimestamp {
    return this.current;
  }

  /** The greatest stamp taken in by `receive`. */
  get received(): HlcTimestamp {
    return this.greatestReceived;
  }

  /** The stamp of a new local write. */
  now(): HlcTimestamp {
    this.current = tickLocal(this.current, this.wallClock());
    return this.current;
  }

  /** Takes in the stamp of an applied change, so that later local writes are stamped above it. */
  receive(stamp: HlcTimestamp): HlcTimestamp {
    this.greatestReceived = greaterOf(this.greatestReceived, { l: stamp.l, c: stamp.c });
    this.current = tickReceive(this.current, stamp, this.wallClock());
    return this.current;
  }

  /** LWW-18: brings a clock that ran ahead back to the wall clock, never below a received stamp. */
  repair(): HlcTimestamp {
    this.current = repairedClockState(this.greatestReceived, this.wallClock());
    return this.current;
  }
}
