// Per-field encryption as the store's FieldCodec: the one place that decides which values are
// encrypted (CRYPT-7) and how, used by the store for every write and read and by the record helpers.
import type { FieldCodec, FieldPlace } from '../store/field-codec.js';
import { personalSpaceOf } from '../store/store-context.js';
import type { CryptoKey } from './crypto-key.js';
import type { EncryptedFieldRegistry } from './encrypted-fields.js';
import { decryptValue, encryptValue, type EncryptionVersion } from './field-cipher.js';

// The prefix every personal space id shares: the store's own definition (SPACE-13), not a copy.
const PERSONAL_SPACE_PREFIX = personalSpaceOf('');

/** CRYPT-7: personal records are encrypted; records of shared spaces stay plaintext. */
export function isPersonalSpace(spaceId: string): boolean {
  return spaceId.startsWith(PERSONAL_SPACE_PREFIX);
}

export interface FieldEncryptionOptions {
  /** The user's vault key (AES-GCM-256), see importVaultKey. */
  readonly key: CryptoKey;
  readonly registry: EncryptedFieldRegistry;
  /** Written format; 2 unless a first-generation client of the same account must read (CRYPT-4). */
  readonly version?: EncryptionVersion;
}

/**
 * The codec of a client that encrypts: registered fields of personal records are encrypted on
 * write; registered fields are decrypted on read whatever their space, so that an `enc:` value
 * never reaches the application as plaintext (CRYPT-8). Decoding throws a CryptError; the store
 * keeps merging the wire value and reports it (CRYPT-11).
 */
export function fieldEncryption({ key, registry, version = 2 }: FieldEncryptionOptions): FieldCodec {
  return {
    encode: (value: unknown, place: FieldPlace) =>
      registry.encrypts(place.table, place.field) && isPersonalSpace(place.spaceId)
        ? encryptValue(value, key, place, version)
        : Promise.resolve(value),
    decode: (value: unknown, place: FieldPlace) =>
      registry.encrypts(place.table, place.field) ? decryptValue(value, key, place) : Promise.resolve(value),
  };
}
