// What export and import need from the local store. The Dexie store implements these; tests use an
// in-memory one. Rows are records as the application sees them (`id`, `spaceId`, fields), without
// per-field stamps or other sync metadata.
import type { SpacedRecord } from '../crypto/record-cipher.js';

/** A synced table of the local store and the app it belongs to. */
export interface BackupTable {
  readonly appId: string;
  readonly table: string;
}

export interface BackupSource {
  /** The exporting user (the manifest's `userId`). */
  readonly userId: string;
  /** The schema version of the local database (the manifest's `schemaVersion`). */
  readonly schemaVersion: number;
  tables(): Promise<readonly BackupTable[]>;
  /**
   * Every row of a table as stored: wire values, so registered fields of personal records are
   * encrypted, and deleted rows included with their `deletedAt`. The export decrypts and filters.
   */
  rows(table: string): AsyncIterable<SpacedRecord>;
}

/** A row to import, in the importing user's personal space, in both forms the store keeps. */
export interface ImportedRow {
  /** The application's values (plaintext). */
  readonly values: SpacedRecord;
  /** The wire values: `values` with registered fields encrypted under the importing key (CRYPT-7). */
  readonly wire: SpacedRecord;
}

export interface BackupTarget {
  /** The importing user: rows are placed in their personal space. */
  readonly userId: string;
  /** The schema version of the local database: archives outside its window are refused (BACKUP-14). */
  readonly schemaVersion: number;
  /** The tables this client knows; rows of other tables are skipped and reported (BACKUP-16). */
  knownTables(): Promise<readonly string[]>;
  /**
   * Writes every row as a local write: stamped by this client's clock and queued for push
   * (BACKUP-17), overwriting a row with the same id, all rows or none (BACKUP-16). Both forms are
   * given so that the write needs no WebCrypto inside its transaction (IndexedDB commits a
   * transaction that awaits anything else).
   */
  importAtomically(rowsByTable: ReadonlyMap<string, readonly ImportedRow[]>): Promise<void>;
}
