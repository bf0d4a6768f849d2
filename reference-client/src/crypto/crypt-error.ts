// Errors of per-field encryption. They carry a stable code so that the store and the application
// decide by code, and the place of the value so that a report names what could not be read.

export const CRYPT_ERROR_CODES = {
  CRYPT_MALFORMED_VALUE: 'the value starts with "enc:" but is not an encrypted value (CRYPT-8)',
  CRYPT_AUTHENTICATION_FAILED: 'the encrypted value does not authenticate under this key and place (CRYPT-8)',
  CRYPT_INVALID_KEY: 'the key cannot be used for AES-GCM-256 field encryption (CRYPT-1)',
  CRYPT_FIELD_NOT_ENCRYPTABLE: 'the field carries protocol data that the server must read (CRYPT-7)',
} as const;

export type CryptErrorCode = keyof typeof CRYPT_ERROR_CODES;

/** The table, record id and field a value belongs to: what `enc:2` binds (CRYPT-2). */
export interface ValuePlace {
  readonly table: string;
  readonly id: string;
  readonly field: string;
}

export class CryptError extends Error {
  override readonly name = 'CryptError';

  constructor(
    readonly code: CryptErrorCode,
    detail: string,
    readonly place?: ValuePlace,
    options?: ErrorOptions,
  ) {
    const where = place === undefined ? '' : ` at ${place.table}/${place.id}.${place.field}`;
    super(`${CRYPT_ERROR_CODES[code]}${where}: ${detail}`, options);
  }
}

export function isCryptError(error: unknown, code?: CryptErrorCode): error is CryptError {
  return error instanceof CryptError && (code === undefined || error.code === code);
}
