// Whole records through per-field encryption: what the backup export and import use, and what an
// application uses for records it holds outside the store.
import { isCryptError, type CryptError } from './crypt-error.js';
import { fieldEncryption, type FieldEncryptionOptions } from './field-encryption.js';

/** A record as the application sees it: an id, its space and any fields. */
export interface SpacedRecord {
  readonly id: string;
  readonly spaceId: string;
  readonly [field: string]: unknown;
}

export interface RecordCipherOptions extends FieldEncryptionOptions {
  readonly table: string;
}

/** A field that could not be decrypted: it is left out of the record and reported (CRYPT-8, CRYPT-11). */
export interface FieldDecryptionFailure {
  readonly field: string;
  readonly error: CryptError;
}

export interface DecryptedRecord<R extends SpacedRecord> {
  readonly record: R;
  readonly failures: readonly FieldDecryptionFailure[];
}

type FieldOutcome = { readonly keep: true; readonly value: unknown } | { readonly keep: false };

/**
 * The record with every registered field passed through `transform`; the other fields are copied
 * as they are, without a promise each: records have many fields and few of them are encrypted.
 */
async function mapRegisteredFields<R extends SpacedRecord>(
  record: R,
  { table, registry }: RecordCipherOptions,
  transform: (value: unknown, field: string) => Promise<FieldOutcome>,
): Promise<R> {
  const mapped: Record<string, unknown> = { ...record };
  const registered = Object.keys(record).filter((field) => registry.encrypts(table, field));
  const outcomes = await Promise.all(registered.map((field) => transform(record[field], field)));
  registered.forEach((field, index) => {
    const outcome = outcomes[index]!;
    if (outcome.keep) mapped[field] = outcome.value;
    else delete mapped[field];
  });
  return mapped as R;
}

/** The record with its registered fields encrypted when it is personal (CRYPT-7), in a fresh object. */
export function encryptRecord<R extends SpacedRecord>(record: R, options: RecordCipherOptions): Promise<R> {
  const { table } = options;
  const codec = fieldEncryption(options);
  return mapRegisteredFields(record, options, async (value, field) => ({
    keep: true,
    value: await codec.encode(value, { table, id: record.id, field, spaceId: record.spaceId }),
  }));
}

/**
 * The record with its registered fields decrypted. A field that fails is left out and reported with
 * its CryptError; the other fields are still decrypted (CRYPT-11).
 */
export async function decryptRecord<R extends SpacedRecord>(record: R, options: RecordCipherOptions): Promise<DecryptedRecord<R>> {
  const { table } = options;
  const codec = fieldEncryption(options);
  const failures: FieldDecryptionFailure[] = [];
  const decrypted = await mapRegisteredFields(record, options, async (value, field) => {
    try {
      return { keep: true, value: await codec.decode(value, { table, id: record.id, field, spaceId: record.spaceId }) };
    } catch (error) {
      if (!isCryptError(error)) throw error;
      failures.push({ field, error });
      return { keep: false };
    }
  });
  return { record: decrypted, failures };
}
