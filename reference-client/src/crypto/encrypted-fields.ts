import { CryptError } from './crypt-error.js';

// Fields the server or the merge must read in plaintext: the record id, its space (SPACE-1, SPACE-5)
// and the deletion mark (LWW-13). Encrypting one of them would break sync, so it cannot be registered.
const PROTOCOL_FIELDS: ReadonlySet<string> = new Set(['id', 'spaceId', 'deletedAt']);

/** The fields to encrypt, per table, as an application declares them: `{ tasks: ['title', 'notes'] }`. */
export type EncryptedFieldsConfig = Readonly<Record<string, readonly string[]>>;

/** CRYPT-7: the per-table list of fields a client encrypts on records of the user's personal space. */
export class EncryptedFieldRegistry {
  readonly #fields: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(config: EncryptedFieldsConfig) {
    const fields = new Map<string, ReadonlySet<string>>();
    for (const [table, names] of Object.entries(config)) {
      for (const field of names) {
        if (PROTOCOL_FIELDS.has(field)) throw new CryptError('CRYPT_FIELD_NOT_ENCRYPTABLE', `${table}.${field}`);
      }
      fields.set(table, new Set(names));
    }
    this.#fields = fields;
  }

  /** Whether `field` of `table` is encrypted (on personal records). */
  encrypts(table: string, field: string): boolean {
    return this.#fields.get(table)?.has(field) ?? false;
  }
}
