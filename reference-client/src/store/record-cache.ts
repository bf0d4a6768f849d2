import type { LocalDatabase, StoredRecord } from './local-database.js';

/**
 * The records one transaction reads and writes: loaded with one bulkGet per table and written back
 * with one bulkPut per table, which is what makes applying thousands of changes fast.
 */
export class RecordCache {
  private readonly records = new Map<string, Map<string, StoredRecord | undefined>>();
  private readonly dirty = new Map<string, Set<string>>();

  constructor(private readonly db: LocalDatabase) {}

  async load(keys: Iterable<{ table: string; id: string }>): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const { table, id } of keys) {
      if (this.records.get(table)?.has(id)) continue;
      let ids = wanted.get(table);
      if (ids === undefined) wanted.set(table, (ids = new Set()));
      ids.add(id);
    }
    for (const [table, idSet] of wanted) {
      const ids = [...idSet];
      const found = await this.db.records(table).bulkGet(ids);
      const cached = this.tableOf(table);
      ids.forEach((id, index) => cached.set(id, found[index]));
    }
  }

  /** A loaded record; undefined when it does not exist. */
  get(table: string, id: string): StoredRecord | undefined {
    return this.records.get(table)?.get(id);
  }

  set(table: string, record: StoredRecord): void {
    this.tableOf(table).set(record.id, record);
    let ids = this.dirty.get(table);
    if (ids === undefined) this.dirty.set(table, (ids = new Set()));
    ids.add(record.id);
  }

  async flush(): Promise<void> {
    for (const [table, ids] of this.dirty) {
      const cached = this.tableOf(table);
      await this.db.records(table).bulkPut([...ids].map((id) => cached.get(id)!));
    }
    this.dirty.clear();
  }

  private tableOf(table: string): Map<string, StoredRecord | undefined> {
    let cached = this.records.get(table);
    if (cached === undefined) this.records.set(table, (cached = new Map<string, StoredRecord | undefined>()));
    return cached;
  }
}
