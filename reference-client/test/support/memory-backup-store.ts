// An in-memory local store that implements the backup interfaces, as the Dexie store will.
import type { BackupSource, BackupTable, BackupTarget, ImportedRow } from '../../src/backup/backup-store.js';
import type { SpacedRecord } from '../../src/crypto/record-cipher.js';

export class MemoryBackupStore implements BackupSource, BackupTarget {
  /** Wire rows by table and id. */
  #tables: Map<string, Map<string, SpacedRecord>>;
  readonly #appOf: ReadonlyMap<string, string>;
  /** What the last import handed over, for assertions. */
  lastImport: ReadonlyMap<string, readonly ImportedRow[]> | undefined;
  /** Makes the next import fail, as a storage error inside the transaction would. */
  failNextImport: Error | undefined;

  constructor(
    readonly userId: string,
    tables: Readonly<Record<string, string>>,
    readonly schemaVersion = 1,
  ) {
    this.#appOf = new Map(Object.entries(tables));
    this.#tables = new Map(Object.keys(tables).map((table) => [table, new Map<string, SpacedRecord>()]));
  }

  put(table: string, row: SpacedRecord): void {
    const rows = this.#tables.get(table);
    if (rows === undefined) throw new Error(`unknown table ${table}`);
    rows.set(row.id, row);
  }

  row(table: string, id: string): SpacedRecord | undefined {
    return this.#tables.get(table)?.get(id);
  }

  /** Every wire row, by table, for comparing states. */
  snapshot(): Record<string, SpacedRecord[]> {
    return Object.fromEntries([...this.#tables].map(([table, rows]) => [table, [...rows.values()]]));
  }

  tables(): Promise<readonly BackupTable[]> {
    return Promise.resolve([...this.#appOf].map(([table, appId]) => ({ appId, table })));
  }

  async *rows(table: string): AsyncIterable<SpacedRecord> {
    await Promise.resolve();
    yield* this.#tables.get(table)?.values() ?? [];
  }

  knownTables(): Promise<readonly string[]> {
    return Promise.resolve([...this.#tables.keys()]);
  }

  importAtomically(rowsByTable: ReadonlyMap<string, readonly ImportedRow[]>): Promise<void> {
    const failure = this.failNextImport;
    this.failNextImport = undefined;
    const next = new Map([...this.#tables].map(([table, rows]) => [table, new Map(rows)]));
    for (const [table, rows] of rowsByTable) {
      const target = next.get(table);
      if (target === undefined) return Promise.reject(new Error(`unknown table ${table}`));
      for (const { wire } of rows) target.set(wire.id, wire);
    }
    if (failure !== undefined) return Promise.reject(failure);
    this.#tables = next;
    this.lastImport = rowsByTable;
    return Promise.resolve();
  }
}
