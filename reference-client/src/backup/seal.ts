// The passphrase seal of a `.mana` archive (BACKUP-6 to BACKUP-10): PBKDF2-SHA256 to 32 key bytes,
// AES-GCM-256 over the inner ZIP, and a key check value that tells a wrong passphrase from tampering.
import {
  BACKUP_IV_BYTES,
  BACKUP_KEY_CHECK_BYTES,
  BACKUP_KEY_CHECK_LABEL,
  BACKUP_SALT_BYTES,
} from '../../../spec/generated/constants.js';
import type { BackupPassphrase } from '../../../spec/generated/types.js';
import { decodeBase64Url, encodeBase64Url } from '../crypto/base64.js';
import type { CryptoKey } from '../crypto/crypto-key.js';
import { BackupTamperedError, BackupWrongPassphraseError, BackupWrongPassphraseOrTamperedError } from './backup-errors.js';
import { sha256Hex } from './sha256-hex.js';

const utf8 = new TextEncoder();
const subtle = globalThis.crypto.subtle;

interface SealKey {
  readonly key: CryptoKey;
  readonly keyCheck: Uint8Array<ArrayBuffer>;
}

/** BACKUP-7 and BACKUP-10: the AES key and the key check value of a passphrase. */
async function deriveSealKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<SealKey> {
  // The passphrase is used as given, without Unicode normalization (BACKUP-7).
  const material = await subtle.importKey('raw', utf8.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256);
  const key = await subtle.importKey('raw', bits, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const mac = await subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const check = await subtle.sign('HMAC', mac, utf8.encode(BACKUP_KEY_CHECK_LABEL));
  return { key, keyCheck: new Uint8Array(check, 0, BACKUP_KEY_CHECK_BYTES) };
}

export interface SealedData {
  readonly passphrase: BackupPassphrase;
  readonly sealed: Uint8Array<ArrayBuffer>;
}

/** Seals an inner ZIP under a passphrase with a fresh salt and IV (BACKUP-7). */
export async function seal(innerZip: Uint8Array<ArrayBuffer>, passphrase: string, kdfIterations: number): Promise<SealedData> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(BACKUP_SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(BACKUP_IV_BYTES));
  const { key, keyCheck } = await deriveSealKey(passphrase, salt, kdfIterations);
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, innerZip));
  return {
    passphrase: {
      kdf: 'PBKDF2-SHA256',
      kdfIterations,
      kdfSaltBase64: encodeBase64Url(salt),
      cipher: 'AES-GCM-256',
      ivBase64: encodeBase64Url(iv),
      plaintextSha256: await sha256Hex(innerZip),
      keyCheck: encodeBase64Url(keyCheck),
    },
    sealed,
  };
}

/**
 * The inner ZIP of `data.sealed`. With a key check, a wrong passphrase is told from altered data
 * (BACKUP-10); without one (first web client) a failed tag can be either. The block's iteration
 * count has been bounded by the manifest's schema before this derives anything (BACKUP-7).
 */
export async function unseal(sealed: Uint8Array<ArrayBuffer>, block: BackupPassphrase, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  const { key, keyCheck } = await deriveSealKey(passphrase, decodeBase64Url(block.kdfSaltBase64), block.kdfIterations);
  const expected = block.keyCheck === undefined ? undefined : decodeBase64Url(block.keyCheck);
  if (expected !== undefined && !keyCheck.every((byte, index) => byte === expected[index])) {
    throw new BackupWrongPassphraseError('the key check value does not match this passphrase');
  }
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: decodeBase64Url(block.ivBase64) }, key, sealed));
  } catch (error) {
    if (expected === undefined) {
      throw new BackupWrongPassphraseOrTamperedError('data.sealed does not authenticate and the archive has no key check', { cause: error });
    }
    throw new BackupTamperedError('data.sealed does not authenticate although the passphrase is right', { cause: error });
  }
}
