// BACKUP-15: an export holds the rows of the selected apps' tables that are not deleted, with
// encrypted fields decrypted, exact row counts and the scope of the selection.
import type { AppId, BackupManifest, BackupRow } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import { decryptRecord, type SpacedRecord } from '../crypto/record-cipher.js';
import type { FieldEncryptionOptions } from '../crypto/field-encryption.js';
import { archiveFileName } from './archive-file-name.js';
import { writeBackupArchive } from './archive-writer.js';
import { BackupExportError } from './backup-errors.js';
import { mapInBatches } from './batches.js';
import type { BackupProgressListener } from './backup-progress.js';
import type { BackupSource } from './backup-store.js';

export const PRODUCED_BY = 'mana-sync-reference-client';

export interface ExportBackupOptions extends Pick<FieldEncryptionOptions, 'key' | 'registry'> {
  /** The apps to export (scope `filtered`); every app (scope `full`) when absent. */
  readonly appIds?: readonly AppId[];
  /** Seals the archive (BACKUP-6). */
  readonly passphrase?: string;
  /** BACKUP_KDF_ITERATIONS unless a test needs a faster seal. */
  readonly kdfIterations?: number;
  readonly producedBy?: string;
  /** The export's time; now by default. */
  readonly now?: Date;
  readonly onProgress?: BackupProgressListener;
}

export interface ExportedBackup {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly manifest: BackupManifest;
  /** BACKUP-20. */
  readonly fileName: string;
}

function isDeleted(row: SpacedRecord): boolean {
  return row.deletedAt !== undefined && row.deletedAt !== null;
}

/**
 * A `.mana` archive of the source's rows. A field that cannot be decrypted stops the export with
 * its CryptError (which names table, id and field): an archive that claims plaintext fields must
 * not carry a ciphertext or silently lack a value.
 */
export async function exportBackup(source: BackupSource, options: ExportBackupOptions): Promise<ExportedBackup> {
  const { appIds, key, registry, onProgress } = options;
  if (appIds !== undefined && appIds.length === 0) throw new BackupExportError('cannot write the archive: no app selected');
  const selected = (await source.tables()).filter(({ appId }) => appIds === undefined || appIds.includes(appId));
  const tables = new Map<string, readonly BackupRow[]>();
  for (const { table } of selected) {
    // `data/<table>.jsonl` has no app in its name: two apps' tables of one name cannot share an archive.
    if (tables.has(table)) throw new BackupExportError(`cannot write the archive: two selected apps have a table named ${table}`);
    tables.set(table, []);
  }
  for (const [index, table] of [...tables.keys()].entries()) {
    onProgress?.({ stage: 'collect', done: index, total: tables.size, table });
    const stored: SpacedRecord[] = [];
    for await (const row of source.rows(table)) if (!isDeleted(row)) stored.push(row);
    const decrypted = await mapInBatches(stored, async (row) => {
      const { record, failures } = await decryptRecord(row, { table, key, registry });
      if (failures[0] !== undefined) throw failures[0].error;
      return record;
    });
    tables.set(table, decrypted);
  }
  onProgress?.({ stage: 'collect', done: tables.size, total: tables.size });
  const { bytes, manifest } = await writeBackupArchive({
    manifest: {
      schemaVersion: source.schemaVersion,
      producedBy: options.producedBy ?? PRODUCED_BY,
      exportedAt: formatCanonicalInstant((options.now ?? new Date()).getTime()),
      userId: source.userId,
      scope: appIds === undefined ? { type: 'full' } : { type: 'filtered', appIds: appIds as [AppId, ...AppId[]] },
      fieldsPlaintext: true,
    },
    tables,
    passphrase: options.passphrase,
    kdfIterations: options.kdfIterations,
    onProgress,
  });
  return { bytes, manifest, fileName: archiveFileName(manifest) };
}
