// Random damage to an archive's bytes: single bytes flipped (as backup-corruption.test.ts does to the
// reader alone), spans overwritten, bytes inserted or deleted (everything after them shifts), a span repeated,
// two bytes swapped, the file cut short. Each is a value fast-check can shrink and print.
import fc from 'fast-check';

export type Corruption =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'overwrite'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'truncate'; readonly length: number };

export function corruptionOf(size: number): fc.Arbitrary<Corruption> {
  const at = fc.nat({ max: size - 1 });
  const other = fc.nat({ max: size - 1 });
  const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 });
  const length = fc.integer({ min: 1, max: 64 });
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('overwrite' as const), at, bytes }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes }),
    fc.record({ kind: fc.constant('delete' as const), at, length }),
    fc.record({ kind: fc.constant('repeat' as const), at, length }),
    fc.record({ kind: fc.constant('swap' as const), at, with: other }).filter((swap) => swap.at !== swap.with),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat({ max: size - 1 }) }),
  );
}

export function corrupt(original: Uint8Array, corruption: Corruption): Uint8Array<ArrayBuffer> {
  const bytes = Array.from(original);
  switch (corruption.kind) {
    case 'flip':
      bytes[corruption.at]! ^= corruption.mask;
      break;
    case 'overwrite':
      corruption.bytes.forEach((byte, index) => {
        if (corruption.at + index < bytes.length) bytes[corruption.at + index] = byte;
      });
      break;
    case 'insert':
      bytes.splice(corruption.at, 0, ...corruption.bytes);
      break;
    case 'delete':
      bytes.splice(corruption.at, corruption.length);
      break;
    case 'repeat':
      bytes.splice(corruption.at, 0, ...bytes.slice(corruption.at, corruption.at + corruption.length));
      break;
    case 'swap':
      [bytes[corruption.at], bytes[corruption.with]] = [bytes[corruption.with]!, bytes[corruption.at]!];
      break;
    case 'truncate':
      bytes.length = corruption.length;
      break;
  }
  return new Uint8Array(bytes);
}

/** The offsets a same-length corruption changed; undefined when the length changed (everything after moved). */
export function changedOffsets(original: Uint8Array, corrupted: Uint8Array): number[] | undefined {
  if (original.length !== corrupted.length) return undefined;
  return [...original.keys()].filter((index) => original[index] !== corrupted[index]);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
