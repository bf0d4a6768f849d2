// The reference client's public API: what an app imports, and what docs/writing-a-client.md
// describes. Everything else under src/ is internal and may change without notice.
export { createClient, SyncClient, type ClientOptions } from './client.js';
export type { ClientEventMap, ClientEventName, SyncState } from './client-events.js';
export { ClientError, isClientError, type ClientErrorCode } from './errors.js';
export type { AppRecord, ListOptions } from './store/local-store.js';
export type { TablesConfig } from './store/local-database.js';
export { fieldEncryption, type FieldEncryptionOptions } from './crypto/field-encryption.js';
export { EncryptedFieldRegistry, type EncryptedFieldsConfig } from './crypto/encrypted-fields.js';
export { importVaultKey } from './crypto/vault-key.js';
export { exportBackup, type ExportBackupOptions, type ExportedBackup } from './backup/backup-export.js';
export { importBackup, type ImportBackupOptions, type ImportReport } from './backup/backup-import.js';
export { backupSourceOf, backupTargetOf } from './store/backup-adapters.js';
export { BackupError, isBackupError, type BackupReaderErrorCode } from './backup/backup-errors.js';
