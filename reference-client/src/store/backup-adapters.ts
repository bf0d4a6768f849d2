import type { BackupSource, BackupTarget } from '../backup/backup-store.js';
import type { SpacedRecord } from '../crypto/record-cipher.js';
import type { StoredRecord } from './local-database.js';
import { withoutReserved, type LocalStore } from './local-store.js';

/** A stored record with its wire values (what the export decrypts), deleted ones included. */
function wireRowOf(record: StoredRecord): SpacedRecord {
  const wire = Object.fromEntries(Object.entries(record.meta).map(([field, meta]) => [field, meta.value]));
  return { ...wire, id: record.id, spaceId: record.spaceId };
}

/** The local store as the source of a `.mana` export (section 12). */
export function backupSourceOf(store: LocalStore, schemaVersion: number): BackupSource {
  return {
    userId: store.self.userId,
    schemaVersion,
    tables: () => Promise.resolve(store.tableNames.map((table) => ({ appId: store.appId, table }))),
    async *rows(table) {
      for (const record of await store.database.records(table).toArray()) yield wireRowOf(record);
    },
  };
}

/** The local store as the target of a `.mana` import: all rows in one transaction, as local writes. */
export function backupTargetOf(store: LocalStore, schemaVersion: number): BackupTarget {
  return {
    userId: store.self.userId,
    schemaVersion,
    knownTables: () => Promise.resolve(store.tableNames),
    importAtomically: (rowsByTable) =>
      store.writeAll(
        [...rowsByTable].flatMap(([table, rows]) =>
          rows.map((row) => ({
            write: { op: 'insert' as const, table, id: row.values.id, values: withoutReserved(row.values), spaceId: row.values.spaceId },
            encoded: withoutReserved(row.wire),
          })),
        ),
      ),
  };
}
