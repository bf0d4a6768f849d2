import { Dexie, type DexieOptions, type Table } from 'dexie';
import type { Change } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { ClientError } from '../errors.js';
import type { RecordMeta } from '../merge/field-meta.js';

/** How the application declares one synced table. */
export interface TableOptions {
  /** Fields to index for queries (Dexie indexes on `values.<field>`). */
  readonly indexes?: readonly string[];
}

/** The synced tables of an app, by table name. */
export type TablesConfig = Readonly<Record<string, TableOptions>>;

/** One record as the local store keeps it. */
export interface StoredRecord {
  id: string;
  /** SPACE-13: every record belongs to a space, fixed at creation (SPACE-5). */
  spaceId: string;
  /** The application's values of the winning writes (decoded, see FieldCodec). */
  values: Record<string, unknown>;
  /** The winning write of every field: wire value and stamp (LWW-5, LWW-17). */
  meta: RecordMeta;
  /** Fields written locally and not yet acknowledged by the server (LWW-16). */
  pending: string[];
}

/** A local change waiting to be pushed; `pushId` is set once it is part of a push (PUSH-10). */
export interface OutboxEntry {
  seq?: number;
  change: Change;
  pushId?: string;
}

/** A push the server refused with a status that forbids resending it (ERR-10), kept for the app. */
export interface RejectedPush {
  seq?: number;
  pushId: string;
  changes: Change[];
  status: number | undefined;
  code: string;
  message: string;
  rejectedAt: string;
}

// Internal tables start with "$", which no synced table name can (`table-name.schema.json`).
const OUTBOX = '$outbox';
const STATE = '$state';
const REJECTED = '$rejected';

export interface LocalDatabaseOptions {
  readonly name: string;
  readonly tables: TablesConfig;
  /** The IndexedDB to use; in Node, a `new IDBFactory()` of fake-indexeddb per simulated device. */
  readonly indexedDB?: DexieOptions['indexedDB'];
  readonly IDBKeyRange?: DexieOptions['IDBKeyRange'];
}

function schemaOf(tables: TablesConfig): Record<string, string> {
  const validTable = validatorFor('table-name');
  const validField = validatorFor('field-name');
  const stores: Record<string, string> = { [OUTBOX]: '++seq', [STATE]: '', [REJECTED]: '++seq' };
  for (const [table, options] of Object.entries(tables)) {
    if (!validTable(table)) throw new ClientError('CLIENT_INVALID_CONFIG', `${JSON.stringify(table)} is not a table name of table-name.schema.json`);
    const indexes = options.indexes ?? [];
    for (const field of indexes) {
      // Dexie reads "." as a key path and "+&*[]," as schema syntax.
      if (!validField(field) || /[.+&*[\],\s]/.test(field)) {
        throw new ClientError('CLIENT_INVALID_CONFIG', `table ${table}: "${field}" cannot be indexed`);
      }
    }
    stores[table] = ['id', 'spaceId', ...indexes.map((field) => `values.${field}`)].join(', ');
  }
  return stores;
}

/** The Dexie database of one client: a table per synced table, and the client's own state. */
export class LocalDatabase {
  readonly dexie: Dexie;
  readonly tableNames: readonly string[];

  constructor(options: LocalDatabaseOptions) {
    const stores = schemaOf(options.tables);
    this.tableNames = Object.keys(options.tables);
    this.dexie = new Dexie(options.name, {
      ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }),
      ...(options.IDBKeyRange === undefined ? {} : { IDBKeyRange: options.IDBKeyRange }),
    });
    this.dexie.version(1).stores(stores);
  }

  hasTable(table: string): boolean {
    return this.tableNames.includes(table);
  }

  records(table: string): Table<StoredRecord, string> {
    if (!this.hasTable(table)) throw new ClientError('CLIENT_UNKNOWN_TABLE', table);
    return this.dexie.table(table);
  }

  get outbox(): Table<OutboxEntry, number> {
    return this.dexie.table(OUTBOX);
  }

  get state(): Table<unknown, string> {
    return this.dexie.table(STATE);
  }

  get rejected(): Table<RejectedPush, number> {
    return this.dexie.table(REJECTED);
  }
}
