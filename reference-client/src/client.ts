import { MAX_COLLECTIONS_PER_STREAM } from '../../spec/generated/constants.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import type { WallClock } from './clock/hybrid-logical-clock.js';
import { ClientEvents, type ClientEventListener, type ClientEventName, type SyncState } from './client-events.js';
import { ClientError } from './errors.js';
import type { LiveConnection, LiveHost } from './live/live-host.js';
import { SseLive, type SseLiveOptions } from './live/sse-live.js';
import { WsLive, type WsLiveOptions } from './live/ws-live.js';
import type { FieldCodec } from './store/field-codec.js';
import type { TablesConfig } from './store/local-database.js';
import { LocalStore, type AppRecord, type ListOptions, type LocalStoreOptions } from './store/local-store.js';
import { HttpTransport, type TokenSource } from './sync/http-transport.js';
import type { RetryPolicy, Sleep } from './sync/retry.js';
import { SyncEngine } from './sync/sync-engine.js';

export interface ClientOptions {
  /** Base URL of the server, e.g. `https://sync.example.com` (paths `/sync/...` and `/ws` are added). */
  readonly serverUrl: string;
  /** The user's JWT, or a function returning a current one (called before every request). */
  readonly token: TokenSource;
  readonly appId: string;
  /** The `sub` of the token: the writer's user id in every stamp, and the owner of `_personal:<userId>`. */
  readonly userId: string;
  /** This installation's id; by default a UUID created once and kept in the local database. */
  readonly clientId?: string;
  /** The synced tables, e.g. `{ tasks: { indexes: ['done'] }, lists: {} }`. */
  readonly tables: TablesConfig;
  /** IndexedDB to use (`new IDBFactory()` of fake-indexeddb in Node); default the global one. */
  readonly indexedDB?: LocalStoreOptions['indexedDB'];
  readonly IDBKeyRange?: LocalStoreOptions['IDBKeyRange'];
  /** Default `mana-sync:<appId>:<userId>`. */
  readonly databaseName?: string;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** How `start()` follows the server: SSE stream (default), the unified WebSocket, or not at all. */
  readonly live?: 'sse' | 'ws' | false;
  readonly sse?: SseLiveOptions;
  readonly ws?: WsLiveOptions;
  /** Per-field encoding (encryption, section 11); default values travel as they are. */
  readonly codec?: FieldCodec;
  readonly wallClock?: WallClock;
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
  /** The data schema version of this client's changes (PUSH-13). */
  readonly schemaVersion?: number;
}

/** A mana-sync client of one app for one user on one device. */
export class SyncClient {
  private readonly events = new ClientEvents();
  private readonly engine: SyncEngine;

  private constructor(
    readonly store: LocalStore,
    options: ClientOptions,
  ) {
    const transport = new HttpTransport({
      serverUrl: options.serverUrl,
      appId: options.appId,
      clientId: store.self.clientId,
      token: options.token,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    this.engine = new SyncEngine({
      store,
      transport,
      events: this.events,
      ...(options.retry === undefined ? {} : { retryPolicy: options.retry }),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.schemaVersion === undefined ? {} : { schemaVersion: options.schemaVersion }),
      ...liveOf(options),
    });
  }

  static async create(options: ClientOptions): Promise<SyncClient> {
    if (!validatorFor('app-id')(options.appId)) throw new ClientError('CLIENT_INVALID_CONFIG', `${JSON.stringify(options.appId)} is not an app id of app-id.schema.json`);
    if (!validatorFor('user-id')(options.userId)) throw new ClientError('CLIENT_INVALID_CONFIG', `${JSON.stringify(options.userId)} is not a user id of user-id.schema.json`);
    if (options.clientId !== undefined && !validatorFor('client-id')(options.clientId)) {
      throw new ClientError('CLIENT_INVALID_CONFIG', `${JSON.stringify(options.clientId)} is not a client id of client-id.schema.json`);
    }
    const tableCount = Object.keys(options.tables).length;
    if (tableCount === 0) throw new ClientError('CLIENT_INVALID_CONFIG', 'no table to sync');
    if ((options.live ?? 'sse') === 'sse' && tableCount > MAX_COLLECTIONS_PER_STREAM) {
      throw new ClientError('CLIENT_INVALID_CONFIG', `one stream carries at most ${MAX_COLLECTIONS_PER_STREAM} tables (SSE-13); use live: 'ws'`);
    }
    const store = await LocalStore.open(options);
    return new SyncClient(store, options);
  }

  get appId(): string {
    return this.store.appId;
  }

  get userId(): string {
    return this.store.self.userId;
  }

  get clientId(): string {
    return this.store.self.clientId;
  }

  get state(): SyncState {
    return this.engine.currentState;
  }

  on<K extends ClientEventName>(name: K, listener: ClientEventListener<K>): () => void {
    return this.events.on(name, listener);
  }

  /** Creates a record (an upsert when `values.id` exists, LWW-14); `spaceId` defaults to personal. */
  async insert(table: string, values: Readonly<Record<string, unknown>>): Promise<AppRecord> {
    return this.local(table, await this.store.insert(table, values));
  }

  async update(table: string, id: string, values: Readonly<Record<string, unknown>>): Promise<AppRecord> {
    return this.local(table, await this.store.update(table, id, values));
  }

  /** A soft delete (LWW-13); `update(table, id, { deletedAt: null })` restores. */
  async delete(table: string, id: string): Promise<AppRecord> {
    return this.local(table, await this.store.delete(table, id));
  }

  get(table: string, id: string): Promise<AppRecord | undefined> {
    return this.store.get(table, id);
  }

  list(table: string, options?: ListOptions): Promise<AppRecord[]> {
    return this.store.list(table, options);
  }

  /** Pushes queued changes and applies the server's changes until both sides are caught up. */
  sync(): Promise<void> {
    return this.engine.sync();
  }

  /** Pulls tables (default: all) from their cursors. */
  pull(tables: readonly string[] = this.store.tableNames): Promise<void> {
    return this.engine.pull(tables);
  }

  /** Syncs, then follows the server live and pushes every local write; retries while offline. */
  start(): void {
    this.engine.start();
  }

  /** Stops live mode and cancels requests in flight; queued changes stay queued. */
  stop(): Promise<void> {
    return this.engine.stop();
  }

  /** Stops and closes the local database. */
  async close(): Promise<void> {
    await this.engine.stop();
    this.store.close();
  }

  private local(table: string, record: AppRecord): AppRecord {
    this.events.emit('change', [{ table, id: record.id }], 'local');
    return record;
  }
}

function liveOf(options: ClientOptions): { live?: (host: LiveHost) => LiveConnection } {
  switch (options.live ?? 'sse') {
    case 'sse':
      return { live: (host) => new SseLive(host, options.sse) };
    case 'ws':
      return { live: (host) => new WsLive(host, options.ws) };
    default:
      return {};
  }
}

/** Opens the local store of a client and returns the client (see ClientOptions). */
export function createClient(options: ClientOptions): Promise<SyncClient> {
  return SyncClient.create(options);
}
