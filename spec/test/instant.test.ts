import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeInstant, formatCanonicalInstant, parseInstant } from '../src/instant.js';
import { validatorFor } from '../src/schema-registry.js';
import { EXAMPLES_DIR } from '../src/spec-paths.js';

function examples(schema: string, kind: 'valid' | 'invalid'): string[] {
  const dir = join(EXAMPLES_DIR, schema, kind);
  return readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as string);
}

describe('instants (LWW-1, LWW-2, LWW-3)', () => {
  const isInstant = validatorFor('instant');
  const isCanonical = validatorFor('canonical-instant');

  it('LWW-1 parseInstant accepts exactly what instant.schema.json accepts, on every example', () => {
    for (const text of examples('instant', 'valid')) expect(parseInstant(text), text).not.toBeNull();
    for (const text of examples('instant', 'invalid')) expect(parseInstant(text), text).toBeNull();
  });

  it('LWW-1 parseInstant and instant.schema.json agree on generated date-times', () => {
    const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const text = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(digits(1).chain(() => fc.integer({ min: 1, max: 10 }).chain(digits))), fc.constantFrom('Z', '+01:00', '-05:30', '+23:59', '', 'z', '+0100'))
      .map(([y, mo, d, h, mi, s, frac, off]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === null ? '' : `.${frac}`}${off}`);
    fc.assert(
      fc.property(text, (t) => {
        expect(parseInstant(t) !== null, t).toBe(isInstant(t));
      }),
    );
  });

  it('LWW-1 parseInstant agrees with the schema on leap seconds, hour 24 and offset ranges', () => {
    for (const t of [
      '2026-12-31T23:59:60Z', '2026-11-23T10:05:60Z', '2026-11-23T24:00:00Z', '2026-11-23T10:05:00+24:00',
      '2026-11-23T10:05:00+23:60', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '0000-01-01T00:00:00Z',
      '2026-11-23T10:05:00-00:00', '2026-11-23T10:59:60+01:00', '2026-12-31T22:59:60-01:00',
    ]) {
      expect(parseInstant(t) !== null, t).toBe(isInstant(t));
    }
  });

  it('LWW-3 instants are floored to the millisecond and offsets applied', () => {
    expect(parseInstant('2026-11-23T10:05:00.123999999Z')).toBe(Date.UTC(2026, 10, 23, 10, 5, 0, 123));
    expect(parseInstant('2026-11-23T11:05:00.5+01:00')).toBe(Date.UTC(2026, 10, 23, 10, 5, 0, 500));
    expect(parseInstant('2026-11-23T04:35:00-05:30')).toBe(Date.UTC(2026, 10, 23, 10, 5, 0, 0));
    expect(parseInstant('1969-12-31T23:59:59.9999Z')).toBe(-1);
  });

  it('LWW-2 the canonical form is what canonical-instant.schema.json accepts, and round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }), (ms) => {
        const text = formatCanonicalInstant(ms);
        expect(isCanonical(text), text).toBe(true);
        expect(parseInstant(text)).toBe(ms);
      }),
    );
  });

  it('LWW-2 string order of canonical instants is time order, unlike mixed-precision strings', () => {
    const a = '2026-11-23T10:05:00Z';
    const b = '2026-11-23T10:05:00.500Z';
    expect(a > b).toBe(true); // the first web client's string comparison gets this backwards
    expect(canonicalizeInstant(a)! < canonicalizeInstant(b)!).toBe(true);
  });
});
