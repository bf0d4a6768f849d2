// One encrypted field value (section 11): `enc:1` byte-compatible with the first web client, `enc:2`
// bound to its table, record id and field by AES-GCM associated data.
import { CRYPT_IV_BYTES } from '../../../spec/generated/constants.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { CryptoKey } from './crypto-key.js';
import { CryptError, type ValuePlace } from './crypt-error.js';

/** The format a writer writes: 2 by default (CRYPT-4), 1 while a first-generation client reads too. */
export type EncryptionVersion = 1 | 2;

const PREFIX = 'enc:';
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** CRYPT-8: only a string with the `enc:` prefix is an encrypted value; everything else is plaintext. */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** CRYPT-2: the associated data of `enc:2`, the JSON array without whitespace. */
function associatedData(place: ValuePlace): Uint8Array<ArrayBuffer> {
  return utf8.encode(JSON.stringify(['enc:2', place.table, place.id, place.field]));
}

function aesGcm(iv: Uint8Array<ArrayBuffer>, version: EncryptionVersion, place: ValuePlace) {
  return version === 1 ? { name: 'AES-GCM', iv } : { name: 'AES-GCM', iv, additionalData: associatedData(place) };
}

/**
 * The wire value of a field value. `null` and `undefined` pass through (CRYPT-6); every other JSON
 * value is encrypted whole, as the JSON text of the value, under a fresh random IV (CRYPT-5).
 */
export async function encryptValue<V>(
  value: V,
  key: CryptoKey,
  place: ValuePlace,
  version: EncryptionVersion = 2,
): Promise<V extends null | undefined ? V : string> {
  type Result = V extends null | undefined ? V : string;
  if (value === null || value === undefined) return value as Result;
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(CRYPT_IV_BYTES));
  let sealed: ArrayBuffer;
  try {
    sealed = await globalThis.crypto.subtle.encrypt(aesGcm(iv, version, place), key, utf8.encode(JSON.stringify(value)));
  } catch (error) {
    throw new CryptError('CRYPT_INVALID_KEY', String(error), place, { cause: error });
  }
  return `${PREFIX}${version}:${encodeBase64(iv)}.${encodeBase64(new Uint8Array(sealed))}` as Result;
}

/**
 * The application value of a wire value. Values without the `enc:` prefix pass through; an `enc:`
 * value that is malformed or does not authenticate, under this key and, for `enc:2`, at this place,
 * throws a CryptError and never yields plaintext (CRYPT-3, CRYPT-8).
 */
export async function decryptValue(value: unknown, key: CryptoKey, place: ValuePlace): Promise<unknown> {
  if (!isEncryptedValue(value)) return value;
  if (!validatorFor('encrypted-value')(value)) {
    throw new CryptError('CRYPT_MALFORMED_VALUE', 'does not match encrypted-value.schema.json', place);
  }
  // The schema fixes the shape: "enc:", one version digit, ":", 16 base64 characters of IV, ".", ciphertext.
  const version: EncryptionVersion = value[4] === '1' ? 1 : 2;
  const iv = decodeBase64(value.slice(6, 22));
  const ciphertext = decodeBase64(value.slice(23));
  // Non-zero padding bits decode to the same bytes; only the canonical text is the value written.
  if (encodeBase64(ciphertext) !== value.slice(23)) {
    throw new CryptError('CRYPT_MALFORMED_VALUE', 'the base64 of the ciphertext is not canonical', place);
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await globalThis.crypto.subtle.decrypt(aesGcm(iv, version, place), key, ciphertext);
  } catch (error) {
    // WebCrypto reports a failed tag as OperationError; anything else means the key cannot decrypt.
    const code = error instanceof DOMException && error.name === 'OperationError' ? 'CRYPT_AUTHENTICATION_FAILED' : 'CRYPT_INVALID_KEY';
    throw new CryptError(code, `enc:${version} value`, place, { cause: error });
  }
  try {
    return JSON.parse(strictUtf8.decode(plaintext)) as unknown;
  } catch (error) {
    // Authentic, but not what a writer produces: the writer was faulty, not the transport.
    throw new CryptError('CRYPT_MALFORMED_VALUE', 'the plaintext is not UTF-8 JSON text', place, { cause: error });
  }
}
