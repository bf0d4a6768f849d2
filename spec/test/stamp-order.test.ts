import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, compareStamps, compareUtf8, stampOf, type Stamp } from '../src/stamp-order.js';

const stamp: fc.Arbitrary<Stamp> = fc.record({
  t: fc.integer({ min: 0, max: 5 }),
  c: fc.integer({ min: 0, max: 2 }),
  userId: fc.constantFrom('alice', 'bob', 'Bob', 'bö', '😀', 'b\uffff'),
  clientId: fc.constantFrom('web', 'phone', 'laptop'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
});

describe('the total order of stamps (LWW-5)', () => {
  it('LWW-5 the spec worked example: equal instants and counters are decided by the user id', () => {
    const alice = stampOf({ value: 'a', at: '2026-11-23T10:05:00.000Z', c: 0 }, { userId: 'alice', clientId: 'laptop' });
    const bob = stampOf({ value: 'b', at: '2026-11-23T10:05:00Z', c: 0 }, { userId: 'bob', clientId: 'phone' });
    expect(compareStamps(alice, bob)).toBeLessThan(0);
    expect(compareStamps(bob, alice)).toBeGreaterThan(0);
  });

  it('LWW-5 the parts decide in order: instant, counter, user, client, value', () => {
    const base: Stamp = { t: 10, c: 5, userId: 'b', clientId: 'k', value: 'v' };
    expect(compareStamps({ ...base, t: 11, c: 0, userId: 'a' }, base)).toBeGreaterThan(0);
    expect(compareStamps({ ...base, c: 6, userId: 'a' }, base)).toBeGreaterThan(0);
    expect(compareStamps({ ...base, userId: 'c', clientId: 'a' }, base)).toBeGreaterThan(0);
    expect(compareStamps({ ...base, clientId: 'l', value: 'a' }, base)).toBeGreaterThan(0);
    expect(compareStamps({ ...base, value: 'w' }, base)).toBeGreaterThan(0);
    expect(compareStamps({ ...base }, base)).toBe(0);
  });

  it('LWW-5 the order is total: antisymmetric, transitive, and 0 only for equal writes', () => {
    fc.assert(
      fc.property(stamp, stamp, stamp, (a, b, c) => {
        // === rather than toBe: toBe tells +0 from -0.
        expect(Math.sign(compareStamps(a, b)) === -Math.sign(compareStamps(b, a))).toBe(true);
        if (compareStamps(a, b) <= 0 && compareStamps(b, c) <= 0) expect(compareStamps(a, c)).toBeLessThanOrEqual(0);
        if (compareStamps(a, b) === 0) {
          expect([a.t, a.c, a.userId, a.clientId, canonicalJson(a.value)]).toEqual([b.t, b.c, b.userId, b.clientId, canonicalJson(b.value)]);
        }
      }),
    );
  });

  it('LWW-5 user and client ids compare by UTF-8 bytes, not UTF-16 units', () => {
    // U+FFFF sorts before U+1F600 in UTF-8 and code points, after it in UTF-16 units.
    expect(compareUtf8('\uffff', '😀')).toBeLessThan(0);
    expect('\uffff' < '😀').toBe(false);
    expect(compareUtf8('ab', 'abc')).toBeLessThan(0);
    expect(compareUtf8('B', 'a')).toBeLessThan(0);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });

  it('LWW-17 values compare as canonical JSON, so member order does not matter', () => {
    expect(canonicalJson({ b: 1, a: [1.0, 'x'] })).toBe('{"a":[1,"x"],"b":1}');
    const left: Stamp = { t: 1, c: 0, userId: 'u', clientId: 'k', value: { b: 1, a: 2 } };
    expect(compareStamps(left, { ...left, value: { a: 2, b: 1 } })).toBe(0);
  });
});
