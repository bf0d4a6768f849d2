// BACKUP-16: an import drops `userId`, `spaceId` and `authorId`, places every row in the importing
// user's personal space, encrypts the registered fields under the importing account's key (so an
// archive of one account restores into another: no key travels), skips and reports unknown tables,
// and writes all rows or none.
import type { BackupManifest, BackupRow } from '../../../spec/generated/types.js';
import type { FieldEncryptionOptions } from '../crypto/field-encryption.js';
import { decryptRecord, encryptRecord, type SpacedRecord } from '../crypto/record-cipher.js';
import { personalSpaceOf } from '../store/store-context.js';
import { readBackupArchive } from './archive-reader.js';
import { step, type BackupProgressListener } from './backup-progress.js';
import type { BackupTarget, ImportedRow } from './backup-store.js';
import { mapInBatches } from './batches.js';
import type { BackupLimits } from './reader-limits.js';

// The previous owner's identity: the importing user's own ids take their place.
const STRIPPED_MEMBERS = ['userId', 'spaceId', 'authorId'] as const;

export interface ImportBackupOptions extends FieldEncryptionOptions {
  /** Opens a sealed archive. */
  readonly passphrase?: string;
  /** Lower limits than the spec's, for tests. */
  readonly limits?: Partial<BackupLimits>;
  readonly onProgress?: BackupProgressListener;
}

export interface ImportReport {
  readonly manifest: BackupManifest;
  readonly sealed: boolean;
  /** BACKUP-11: whether the seal authenticated the manifest; false for unsealed and first-client archives. */
  readonly manifestAuthenticated: boolean;
  /** Rows written, by table. */
  readonly imported: Readonly<Record<string, number>>;
  /** Rows of tables this client does not know, by table: not written (BACKUP-16). */
  readonly skippedTables: Readonly<Record<string, number>>;
  /** Entries the reader ignored (BACKUP-2). */
  readonly ignoredEntries: readonly string[];
}

/** A row of the archive as the target writes it: the old owner's ids dropped, in `spaceId`, encrypted for the importer. */
async function importedRow(row: BackupRow, table: string, spaceId: string, fieldsPlaintext: boolean, options: ImportBackupOptions): Promise<ImportedRow> {
  const { key, registry, version } = options;
  const fields: Record<string, unknown> = { ...row };
  for (const member of STRIPPED_MEMBERS) delete fields[member];
  let values: SpacedRecord = { ...fields, id: row.id, spaceId };
  if (!fieldsPlaintext) {
    // The archive kept ciphertext: only the account that wrote it can read it, with its own key.
    const { record, failures } = await decryptRecord(values, { table, key, registry });
    if (failures[0] !== undefined) throw failures[0].error;
    values = record;
  }
  return { values, wire: await encryptRecord(values, { table, key, registry, version }) };
}

/**
 * Imports a `.mana` archive into the target. Everything that can fail (reading, verifying,
 * decrypting, encrypting) happens before the target is called, and the target writes atomically,
 * so a failure leaves the local store as it was.
 */
export async function importBackup(archive: Uint8Array<ArrayBuffer>, target: BackupTarget, options: ImportBackupOptions): Promise<ImportReport> {
  const { onProgress } = options;
  const contents = await readBackupArchive(archive, {
    passphrase: options.passphrase,
    schemaVersion: target.schemaVersion,
    limits: options.limits,
    onProgress,
  });
  const known = new Set(await target.knownTables());
  const spaceId = personalSpaceOf(target.userId);
  // Maps, not object literals: a table may be named "__proto__" (table-name.schema.json allows it),
  // which an assignment to a plain object would swallow instead of reporting (BACKUP-16).
  const imported = new Map<string, number>();
  const skippedTables = new Map<string, number>();
  const rowsByTable = new Map<string, ImportedRow[]>();
  const total = [...contents.tables].reduce((sum, [table, rows]) => sum + (known.has(table) ? rows.length : 0), 0);
  let done = 0;
  onProgress?.({ stage: 'encrypt', done, total });
  for (const [table, rows] of contents.tables) {
    if (!known.has(table)) {
      skippedTables.set(table, rows.length);
      continue;
    }
    const before = done;
    const prepared = await mapInBatches(
      rows,
      (row) => importedRow(row, table, spaceId, contents.manifest.fieldsPlaintext, options),
      (batch) => {
        done = before + batch;
        onProgress?.({ stage: 'encrypt', done, total });
      },
    );
    rowsByTable.set(table, prepared);
    imported.set(table, prepared.length);
  }
  await step(onProgress, 'write', () => target.importAtomically(rowsByTable));
  return {
    manifest: contents.manifest,
    sealed: contents.sealed,
    manifestAuthenticated: contents.manifestAuthenticated,
    imported: Object.fromEntries(imported),
    skippedTables: Object.fromEntries(skippedTables),
    ignoredEntries: contents.ignoredEntries,
  };
}
