// Opening `data.sealed` for the archive checker with WebCrypto (BACKUP-7, BACKUP-10): PBKDF2-SHA256
// to 32 key bytes, the key check value (HMAC-SHA256 of the label), AES-GCM-256. Written from the
// spec, not from the reference client's seal.
import { BACKUP_KEY_CHECK_BYTES, BACKUP_KEY_CHECK_LABEL } from '../../../spec/generated/constants.js';
import type { BackupPassphrase } from '../../../spec/generated/types.js';

const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();

/** base64url with or without padding (BACKUP-8); the manifest schema has vetted the alphabet. */
export function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text.replace(/=+$/, ''), 'base64url'));
}

export type SealOpening =
  | { readonly kind: 'opened'; readonly innerZip: Uint8Array<ArrayBuffer>; readonly keyCheckMatched: boolean | undefined }
  | { readonly kind: 'wrong passphrase' }
  | { readonly kind: 'authentication failed'; readonly keyCheckMatched: boolean | undefined };

/**
 * Derives the key from the passphrase as given (no normalization, BACKUP-7), compares the key check
 * value when the block has one (BACKUP-10), and decrypts. `keyCheckMatched` is undefined without one.
 */
export async function openSeal(sealed: Uint8Array<ArrayBuffer>, block: BackupPassphrase, passphrase: string): Promise<SealOpening> {
  const material = await subtle.importKey('raw', utf8.encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: base64UrlBytes(block.kdfSaltBase64), iterations: block.kdfIterations }, material, 256);
  let keyCheckMatched: boolean | undefined;
  if (block.keyCheck !== undefined) {
    const mac = await subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const check = new Uint8Array(await subtle.sign('HMAC', mac, utf8.encode(BACKUP_KEY_CHECK_LABEL))).subarray(0, BACKUP_KEY_CHECK_BYTES);
    const expected = base64UrlBytes(block.keyCheck);
    keyCheckMatched = expected.length === check.length && expected.every((byte, index) => byte === check[index]);
    if (!keyCheckMatched) return { kind: 'wrong passphrase' };
  }
  const key = await subtle.importKey('raw', bits, 'AES-GCM', false, ['decrypt']);
  try {
    const innerZip = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: base64UrlBytes(block.ivBase64), tagLength: 128 }, key, sealed));
    return { kind: 'opened', innerZip, keyCheckMatched };
  } catch {
    return { kind: 'authentication failed', keyCheckMatched };
  }
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return Buffer.from(await subtle.digest('SHA-256', bytes)).toString('hex');
}
