import { CRYPT_KEY_BITS } from '../../../spec/generated/constants.js';
import { CryptError } from './crypt-error.js';
import type { CryptoKey } from './crypto-key.js';

/**
 * The AES-GCM key that encrypts fields (the user's vault key) from its raw bytes. The key is not
 * extractable: CRYPT-10 keeps it on the client, and nothing here needs to read it back.
 */
export async function importVaultKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (raw.length * 8 !== CRYPT_KEY_BITS) {
    throw new CryptError('CRYPT_INVALID_KEY', `a vault key has ${CRYPT_KEY_BITS / 8} bytes, not ${raw.length}`);
  }
  return globalThis.crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}
