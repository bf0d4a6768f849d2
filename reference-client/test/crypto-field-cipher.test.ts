import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CryptError, isCryptError } from '../src/crypto/crypt-error.js';
import type { CryptoKey } from '../src/crypto/crypto-key.js';
import { decryptValue, encryptValue, isEncryptedValue } from '../src/crypto/field-cipher.js';
import { importVaultKey } from '../src/crypto/vault-key.js';
import { randomVaultKey } from './support/field-keys.js';

const KEY_BYTES = Uint8Array.from({ length: 32 }, (_, index) => index);
const IV_BYTES = Uint8Array.from({ length: 12 }, (_, index) => 0xa0 + index);
const VALUE = { title: 'Milk', done: false, n: 1 };
const PLACE = { table: 'tasks', id: 'task-1', field: 'title' };
// Written down once from node:crypto (below), so that a change of either side shows.
const ENC1_VECTOR = 'enc:1:oKGio6Slpqeoqaqr.nToIRDGnZ51YR8q6axHi8lLINn73lXgK/WJV41OJGyPoRzo6pg1hpIPNFGGcTZixU7iF';
const ENC2_VECTOR = 'enc:2:oKGio6Slpqeoqaqr.nToIRDGnZ51YR8q6axHi8lLINn73lXgK/WJV41OJGyPoRzpf43n/+0/tG5TisvT2G3lG';

/** What the first web client writes, computed with Node's own AES-GCM, not WebCrypto. */
function nodeEncrypt(value: unknown, iv: Uint8Array, aad?: string, plaintext = JSON.stringify(value)): string {
  const cipher = createCipheriv('aes-256-gcm', KEY_BYTES, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `enc:${aad === undefined ? 1 : 2}:${Buffer.from(iv).toString('base64')}.${sealed.toString('base64')}`;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The same bytes in a non-canonical base64: a padding bit of the last character set. */
function nonCanonical(value: string): string {
  expect(value.endsWith('==')).toBe(true);
  const at = value.length - 3;
  return value.slice(0, at) + BASE64[BASE64.indexOf(value[at]!) ^ 1]! + value.slice(at + 1);
}

function fixedIv(): void {
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    (array as unknown as Uint8Array).set(IV_BYTES);
    return array;
  });
}

async function decryptError(value: unknown, key: CryptoKey, place = PLACE): Promise<CryptError> {
  try {
    const result = await decryptValue(value, key, place);
    throw new Error(`expected a CryptError, got the value ${JSON.stringify(result)}`);
  } catch (error) {
    if (!isCryptError(error)) throw error;
    return error;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('enc:1 and enc:2 field values', () => {
  it('CRYPT-1 enc:1 is byte for byte the first web client format (fixed key, IV and value)', async () => {
    expect(nodeEncrypt(VALUE, IV_BYTES)).toBe(ENC1_VECTOR);
    const key = await importVaultKey(KEY_BYTES);
    fixedIv();
    expect(await encryptValue(VALUE, key, PLACE, 1)).toBe(ENC1_VECTOR);
    vi.restoreAllMocks();
    expect(await decryptValue(ENC1_VECTOR, key, { table: 'any', id: 'other', field: 'x' })).toEqual(VALUE);
  });

  it('CRYPT-2 enc:2 is enc:1 with the associated data ["enc:2",table,id,field] (fixed vector)', async () => {
    const aad = JSON.stringify(['enc:2', PLACE.table, PLACE.id, PLACE.field]);
    expect(nodeEncrypt(VALUE, IV_BYTES, aad)).toBe(ENC2_VECTOR);
    const key = await importVaultKey(KEY_BYTES);
    fixedIv();
    expect(await encryptValue(VALUE, key, PLACE)).toBe(ENC2_VECTOR);
    vi.restoreAllMocks();
    expect(await decryptValue(ENC2_VECTOR, key, PLACE)).toEqual(VALUE);
  });

  it('CRYPT-1 values the first web client wrote with random IVs decrypt', async () => {
    const key = await importVaultKey(KEY_BYTES);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.uint8Array({ minLength: 12, maxLength: 12 }), async (value, iv) => {
        expect(await decryptValue(nodeEncrypt(value, iv), key, PLACE)).toEqual(value);
      }),
      { seed: 11, numRuns: 100 },
    );
  });

  for (const version of [1, 2] as const) {
    it(`CRYPT-3 CRYPT-6 enc:${version} round-trips every JSON value (fast-check, seed 2026)`, async () => {
      const key = await randomVaultKey();
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const sealed = await encryptValue(value, key, PLACE, version);
          if (value === null) {
            expect(sealed).toBeNull();
            return;
          }
          expect(sealed).toMatch(new RegExp(`^enc:${version}:`));
          expect(await decryptValue(sealed, key, PLACE)).toEqual(value);
        }),
        { seed: 2026, numRuns: 300 },
      );
    });
  }

  it('CRYPT-6 null and undefined pass through unencrypted', async () => {
    const key = await randomVaultKey();
    expect(await encryptValue(null, key, PLACE)).toBeNull();
    expect(await encryptValue(undefined, key, PLACE)).toBeUndefined();
    expect(await decryptValue(null, key, PLACE)).toBeNull();
    expect(await decryptValue(undefined, key, PLACE)).toBeUndefined();
  });

  it('CRYPT-6 false, 0, "" and empty containers are encrypted, not passed through', async () => {
    const key = await randomVaultKey();
    for (const value of [false, 0, '', [], {}]) {
      const sealed = await encryptValue(value, key, PLACE);
      expect(isEncryptedValue(sealed)).toBe(true);
      expect(await decryptValue(sealed, key, PLACE)).toEqual(value);
    }
  });

  it('CRYPT-5 every encryption draws a fresh IV', async () => {
    const key = await randomVaultKey();
    const values = await Promise.all(Array.from({ length: 500 }, () => encryptValue('same', key, PLACE)));
    expect(new Set(values.map((value) => value.slice(6, 22))).size).toBe(500);
  });

  it('CRYPT-8 strings without the enc: prefix, and other JSON values, pass through as plaintext', async () => {
    const key = await randomVaultKey();
    for (const value of ['', 'hello', 'ENC:1:AAAA', ' enc:1:x', 'encrypted', 42, true, { a: 'enc:1:x' }, ['enc:']]) {
      expect(await decryptValue(value, key, PLACE)).toEqual(value);
    }
  });

  it('CRYPT-8 malformed enc: values are decryption errors with code CRYPT_MALFORMED_VALUE', async () => {
    const key = await randomVaultKey();
    const good = await encryptValue('x', key, PLACE);
    const malformed = [
      'enc:',
      'enc:1:',
      'enc:3:' + good.slice(6),
      'enc:1:' + good.slice(7),
      good.replace('.', ':'),
      good.slice(0, 22) + '.' + 'A'.repeat(3),
      good.slice(0, 23) + '!' + good.slice(24),
      good + ' ',
      'enc:1:AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAA',
      nonCanonical(good),
    ];
    for (const value of malformed) {
      const error = await decryptError(value, key);
      expect(error.code, value).toBe('CRYPT_MALFORMED_VALUE');
      expect(error.place).toEqual(PLACE);
    }
  });

  it('CRYPT-8 an authentic value whose plaintext is not JSON is CRYPT_MALFORMED_VALUE, never the raw text', async () => {
    const key = await importVaultKey(KEY_BYTES);
    const error = await decryptError(nodeEncrypt(undefined, IV_BYTES, undefined, 'not json'), key);
    expect(error.code).toBe('CRYPT_MALFORMED_VALUE');
  });

  it('CRYPT-8 any altered character of a value is a decryption error, never a value (fast-check, seed 808)', async () => {
    const key = await randomVaultKey();
    const sealed = await encryptValue({ secret: 'pin 1234' }, key, PLACE);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=.:';
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 6, max: sealed.length - 1 }), fc.constantFrom(...alphabet), async (at, replacement) => {
        fc.pre(sealed[at] !== replacement);
        const altered = sealed.slice(0, at) + replacement + sealed.slice(at + 1);
        const error = await decryptError(altered, key);
        expect(['CRYPT_AUTHENTICATION_FAILED', 'CRYPT_MALFORMED_VALUE']).toContain(error.code);
      }),
      { seed: 808, numRuns: 300 },
    );
  });

  it('CRYPT-8 a value under another key fails with CRYPT_AUTHENTICATION_FAILED', async () => {
    const sealed = await encryptValue('secret', await randomVaultKey(), PLACE);
    expect((await decryptError(sealed, await randomVaultKey())).code).toBe('CRYPT_AUTHENTICATION_FAILED');
  });

  it('CRYPT-3 an enc:2 value moved to another table, record or field fails; enc:1 cannot tell', async () => {
    const key = await randomVaultKey();
    const moves = [
      { ...PLACE, table: 'notes' },
      { ...PLACE, id: 'task-2' },
      { ...PLACE, field: 'notes' },
      // The JSON array keeps parts apart: shifting characters between them changes the data.
      { table: 'tasks', id: 'task-1t', field: 'itle' },
    ];
    const v2 = await encryptValue('secret', key, PLACE, 2);
    const v1 = await encryptValue('secret', key, PLACE, 1);
    for (const place of moves) {
      expect((await decryptError(v2, key, place)).code).toBe('CRYPT_AUTHENTICATION_FAILED');
      expect(await decryptValue(v1, key, place)).toBe('secret');
    }
  });

  it('CRYPT-1 a vault key must have 256 bits', async () => {
    for (const length of [0, 16, 31, 33]) {
      await expect(importVaultKey(new Uint8Array(length))).rejects.toMatchObject({ code: 'CRYPT_INVALID_KEY' });
    }
  });
});
