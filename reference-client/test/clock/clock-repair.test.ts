import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repairedClockState } from '../../src/clock/clock-repair.js';
import { compareHlc, HybridLogicalClock, tickLocal } from '../../src/clock/hybrid-logical-clock.js';
import { loadClock } from '../../src/store/client-state.js';
import { openTestStore } from '../support/local-stores.js';
import { serverChange, T0 } from '../support/server-changes.js';

const NOW = T0;
const HOUR = 3_600_000;

const instant = fc.integer({ min: NOW - 48 * HOUR, max: NOW + 48 * HOUR });
const stamp = fc.record({ l: instant, c: fc.integer({ min: 0, max: 1000 }) });

describe('repairing a clock that ran ahead (LWW-18)', () => {
  it('LWW-18 the reset is l = max(wall clock, greatest received), c = 0', () => {
    expect(repairedClockState({ l: NOW - HOUR, c: 7 }, NOW)).toEqual({ l: NOW, c: 0 });
    expect(repairedClockState({ l: NOW - HOUR, c: 7 }, NOW + 0.9)).toEqual({ l: NOW, c: 0 });
    expect(repairedClockState({ l: 0, c: 0 }, NOW)).toEqual({ l: NOW, c: 0 });
  });

  it('LWW-18 a received stamp ahead of the wall clock is the floor, counter included', () => {
    // (l, 0) would let the next write, (l, 1), sort below the received (l, 5) (LWW-7).
    expect(repairedClockState({ l: NOW + 1000, c: 5 }, NOW)).toEqual({ l: NOW + 1000, c: 5 });
    expect(repairedClockState({ l: NOW, c: 5 }, NOW)).toEqual({ l: NOW, c: 5 });
  });

  it('LWW-18 the reset never goes below a received stamp and never above the wall clock unless a received stamp is', () => {
    fc.assert(
      fc.property(stamp, instant, (received, pt) => {
        const reset = repairedClockState(received, pt);
        expect(compareHlc(reset, received)).toBeGreaterThanOrEqual(0);
        expect(reset.l).toBe(Math.max(pt, received.l));
        if (reset.l > received.l) expect(reset.c).toBe(0);
        // The next write after the repair is stamped strictly above every received stamp.
        expect(compareHlc(tickLocal(reset, pt), received)).toBeGreaterThan(0);
      }),
    );
  });

  it('LWW-18 a clock brings back the stamps it issued ahead, not the greatest stamp it received', () => {
    let wall = NOW + 2 * HOUR;
    const clock = new HybridLogicalClock(() => wall);
    clock.receive({ l: NOW + 10 * 60_000, c: 3 });
    clock.now();
    expect(clock.state.l).toBe(NOW + 2 * HOUR);
    expect(clock.received).toEqual({ l: NOW + 10 * 60_000, c: 3 });

    wall = NOW;
    expect(clock.repair()).toEqual({ l: NOW + 10 * 60_000, c: 3 });
    expect(clock.now()).toEqual({ l: NOW + 10 * 60_000, c: 4 });
    // Received stamps below the one kept do not lower it.
    clock.receive({ l: NOW - HOUR, c: 9 });
    expect(clock.received).toEqual({ l: NOW + 10 * 60_000, c: 3 });
  });

  it('LWW-18 the greatest received stamp is persisted with the clock and survives a reload', async () => {
    const { store, indexedDB } = await openTestStore({ wallClock: () => T0 });
    await store.applyServerChanges([serverChange({ id: 't1', userId: 'bob', clientId: 'bob-phone', fields: { title: { value: 'x', t: 5000, c: 2 } } })]);
    await store.insert('tasks', { title: 'mine' });
    store.close();
    const { store: reloaded } = await openTestStore({ indexedDB, wallClock: () => T0 - HOUR });
    try {
      const clock = await loadClock(reloaded.database, () => T0 - HOUR);
      expect(clock.received).toEqual({ l: T0 + 5000, c: 2 });
      expect(clock.repair()).toEqual({ l: T0 + 5000, c: 2 });
    } finally {
      reloaded.close();
    }
  });
});
