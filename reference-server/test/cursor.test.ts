import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIMESTAMP_SINCE_GRACE_SECONDS } from '../../spec/generated/constants.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import { comparePositions, encodeCursor, LOG_START, parseSince, readOrigin, spaceFingerprint } from '../src/store/cursor.js';

const position = fc.record({
  txid: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
  seq: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }).map(String),
});
const validCursor = validatorFor('cursor');

describe('cursors', () => {
  it('PULL-2 a cursor matches cursor.schema.json and reads back as the position and spaces it encodes', () => {
    fc.assert(
      fc.property(position, fc.array(fc.string()), (at, spaces) => {
        const cursor = encodeCursor(at, spaceFingerprint(spaces));
        expect(validCursor(cursor)).toBe(true);
        expect(parseSince(cursor)).toEqual({ kind: 'cursor', position: at, spaces: spaceFingerprint(spaces) });
      }),
    );
  });

  it('PULL-2 byte order of cursors is position order', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const [x, y] = [encodeCursor(a, '0'.repeat(16)), encodeCursor(b, '0'.repeat(16))];
        expect(Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)))).toBe(comparePositions(a, b));
      }),
    );
  });

  it('PULL-7 PULL-8 PULL-9 since: empty is the beginning, an instant is served from the grace period before it, anything else is invalid', () => {
    expect(parseSince(undefined)).toEqual({ kind: 'beginning' });
    expect(parseSince('')).toEqual({ kind: 'beginning' });
    expect(parseSince('2026-11-23T11:00:00+01:00')).toEqual({ kind: 'timestamp', notBeforeMs: Date.parse('2026-11-23T10:00:00Z') - TIMESTAMP_SINCE_GRACE_SECONDS * 1000 });
    for (const invalid of ['now', '2026-11-23', 'c1.0.0.0', 'C1.0000000000000000.0000000000000000.0000000000000000', 'c1.0000000000000000.8000000000000000.0000000000000000']) {
      expect(parseSince(invalid), invalid).toBeNull();
    }
  });

  it('SPACE-11 a cursor read with other spaces than the user has now starts again from the beginning', () => {
    const at = { txid: '1000', seq: '7' };
    const before = spaceFingerprint(['org-a']);
    const after = spaceFingerprint(['org-a', 'org-b']);
    expect(readOrigin({ kind: 'cursor', position: at, spaces: before }, before)).toEqual({ after: at, notBeforeMs: undefined });
    expect(readOrigin({ kind: 'cursor', position: at, spaces: before }, after)).toEqual({ after: LOG_START, notBeforeMs: undefined });
    expect(spaceFingerprint(['b', 'a', 'a'])).toBe(spaceFingerprint(['a', 'b']));
  });
});
