import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { compareStamps } from '../../../spec/src/stamp-order.js';
import { HLC_COUNTER_MAX } from '../../../spec/generated/constants.js';
import { HybridLogicalClock, tickLocal, tickReceive, type HlcTimestamp } from '../../src/clock/hybrid-logical-clock.js';

const START = Date.UTC(2026, 10, 23, 10, 5);
const MINUTE = 60_000;

/** A wall clock that replays a script of offsets from START: jumps back, runs minutes ahead, stalls. */
function scriptedClock(offsets: readonly number[]): () => number {
  let i = 0;
  return () => START + offsets[Math.min(i++, offsets.length - 1)]!;
}

const offsets = fc.array(fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }), { minLength: 1, maxLength: 200 });
const lessThan = (a: HlcTimestamp, b: HlcTimestamp): boolean => a.l < b.l || (a.l === b.l && a.c < b.c);

describe('the hybrid logical clock (LWW-7)', () => {
  it('LWW-7 a local write follows the rule: l = max(l, pt); c + 1 when l stays, else 0', () => {
    expect(tickLocal({ l: 100, c: 4 }, 90)).toEqual({ l: 100, c: 5 });
    expect(tickLocal({ l: 100, c: 4 }, 100)).toEqual({ l: 100, c: 5 });
    expect(tickLocal({ l: 100, c: 4 }, 101)).toEqual({ l: 101, c: 0 });
    expect(tickLocal({ l: 100, c: 4 }, 150.9)).toEqual({ l: 150, c: 0 });
  });

  it('LWW-7 receiving follows each case of the rule', () => {
    // l' = l = lm: max(c, cm) + 1
    expect(tickReceive({ l: 100, c: 4 }, { l: 100, c: 9 }, 50)).toEqual({ l: 100, c: 10 });
    // only l' = l: c + 1
    expect(tickReceive({ l: 100, c: 4 }, { l: 90, c: 9 }, 50)).toEqual({ l: 100, c: 5 });
    // only l' = lm: cm + 1
    expect(tickReceive({ l: 100, c: 4 }, { l: 120, c: 9 }, 50)).toEqual({ l: 120, c: 10 });
    // the wall clock is ahead of both: 0
    expect(tickReceive({ l: 100, c: 4 }, { l: 120, c: 9 }, 130)).toEqual({ l: 130, c: 0 });
  });

  it('LWW-7 a counter that would exceed 2147483647 advances l by 1 ms and restarts at 0', () => {
    expect(tickLocal({ l: 100, c: HLC_COUNTER_MAX }, 100)).toEqual({ l: 101, c: 0 });
    expect(tickReceive({ l: 100, c: 1 }, { l: 100, c: HLC_COUNTER_MAX }, 0)).toEqual({ l: 101, c: 0 });
    expect(tickReceive({ l: 90, c: 1 }, { l: 100, c: HLC_COUNTER_MAX }, 0)).toEqual({ l: 101, c: 0 });
    expect(tickReceive({ l: 100, c: HLC_COUNTER_MAX }, { l: 90, c: 1 }, 0)).toEqual({ l: 101, c: 0 });
  });

  it('LWW-7 the counter limit is the maximum of the wire counter (field-change.schema.json)', () => {
    const counter = validatorFor('field-change');
    expect(counter({ value: 1, c: HLC_COUNTER_MAX })).toBe(true);
    expect(counter({ value: 1, c: HLC_COUNTER_MAX + 1 })).toBe(false);
  });

  it('LWW-7 stamps strictly increase under a wall clock that jumps back or runs minutes ahead', () => {
    fc.assert(
      fc.property(offsets, fc.array(fc.boolean(), { maxLength: 200 }), (script, receives) => {
        const clock = new HybridLogicalClock(scriptedClock(script));
        const remote = new HybridLogicalClock(scriptedClock(script.map((offset) => -offset)));
        let previous = clock.state;
        for (const receive of receives) {
          const next = receive ? clock.receive(remote.now()) : clock.now();
          expect(lessThan(previous, next)).toBe(true);
          expect(next.c).toBeLessThanOrEqual(HLC_COUNTER_MAX);
          previous = next;
        }
      }),
    );
  });

  it('LWW-7 a write made after applying a received stamp is greater than it, whatever both wall clocks say', () => {
    fc.assert(
      fc.property(offsets, offsets, fc.array(fc.nat(20), { maxLength: 30 }), (mine, theirs, writesBetween) => {
        const alice = new HybridLogicalClock(scriptedClock(mine));
        const bob = new HybridLogicalClock(scriptedClock(theirs));
        for (const count of writesBetween) {
          let received: HlcTimestamp = { l: 0, c: 0 };
          for (let i = 0; i <= count; i++) received = bob.now();
          alice.receive(received);
          const reply = alice.now();
          expect(lessThan(received, reply)).toBe(true);
          // And under the spec's total order of stamps, whoever the writers are.
          const asStamp = (hlc: HlcTimestamp, userId: string) => ({ t: hlc.l, c: hlc.c, userId, clientId: 'k', value: null });
          expect(compareStamps(asStamp(reply, 'a-alice'), asStamp(received, 'z-bob'))).toBeGreaterThan(0);
          bob.receive(reply);
        }
      }),
    );
  });

  it('LWW-7 a clock restored from its persisted state does not go back after a reload', () => {
    const ahead = new HybridLogicalClock(() => START + 10 * MINUTE);
    const issued = ahead.now();
    const reloaded = new HybridLogicalClock(() => START, ahead.state);
    expect(lessThan(issued, reloaded.now())).toBe(true);
  });
});
