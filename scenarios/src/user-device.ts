import type { DexieOptions } from 'dexie';
import * as fakeIndexedDb from 'fake-indexeddb';
import { SyncClient } from '../../reference-client/src/client.js';
import type { WallClock } from '../../reference-client/src/clock/hybrid-logical-clock.js';
import type { RejectedPush, TablesConfig } from '../../reference-client/src/store/local-database.js';
import type { AppRecord } from '../../reference-client/src/store/local-store.js';
import type { FieldCodec } from '../../reference-client/src/store/field-codec.js';
import type { DecodeFailure, RecordConflict } from '../../reference-client/src/store/server-changes.js';
import { ArrivalSignal } from './arrival-signal.js';
import { DeviceNetwork } from './device-network.js';
import { recordingWebSocket, SocketLog, type RecordingSocketOptions } from './recording-socket.js';
import type { Person } from './scenario-setting.js';

// fake-indexeddb declares its classes as the DOM library's IndexedDB types, which this Node project
// does not load; typed here, at one boundary, as what Dexie takes.
const fake = fakeIndexedDb as unknown as {
  IDBFactory: new () => NonNullable<DexieOptions['indexedDB']>;
  IDBKeyRange: NonNullable<DexieOptions['IDBKeyRange']>;
};

/**
 * How long a device may take to open its stream or socket (an initial sync, then the connection).
 * The spec bounds deliveries, not connecting; this is a failure bound, generous for loaded machines.
 */
export const CONNECT_WITHIN_MS = 15_000;

/** The tables every scenario app syncs. */
export const SCENARIO_TABLES: TablesConfig = { tasks: {}, lists: {} };

export interface DeviceOptions {
  readonly appId: string;
  /** How the device follows the server once started: SSE, the WebSocket, or only when told to sync. */
  readonly live?: 'sse' | 'ws' | false;
  /** For `live: 'ws'`: the legacy endpoint and the first web client's way of authenticating. */
  readonly socket?: RecordingSocketOptions;
  readonly codec?: FieldCodec;
  readonly wallClock?: WallClock;
}

/**
 * One device of a person: the reference client on its own IndexedDB (one fake-indexeddb factory per
 * device, never shared), a network the scenario can cut, and a record of what arrived.
 */
export class Device {
  readonly arrivals = new ArrivalSignal();
  readonly network = new DeviceNetwork(this.arrivals);
  readonly socket: SocketLog | undefined;
  readonly conflicts: RecordConflict[] = [];
  readonly rejected: RejectedPush[] = [];
  readonly decodeFailures: DecodeFailure[] = [];
  private client: SyncClient | undefined;

  private constructor(
    readonly person: Person,
    /** `laptop`, `phone`: the client id is `<person>-<device>`. */
    readonly name: string,
    live: DeviceOptions['live'],
  ) {
    this.socket = live === 'ws' ? new SocketLog(this.arrivals) : undefined;
  }

  static async open(serverUrl: string, person: Person, name: string, options: DeviceOptions): Promise<Device> {
    const device = new Device(person, name, options.live ?? false);
    const client = await SyncClient.create({
      serverUrl,
      token: person.token,
      appId: options.appId,
      userId: person.userId,
      clientId: `${person.name}-${name}`,
      tables: SCENARIO_TABLES,
      indexedDB: new fake.IDBFactory(),
      IDBKeyRange: fake.IDBKeyRange,
      fetch: device.network.fetch,
      live: options.live ?? false,
      ...(device.socket === undefined ? {} : { ws: { webSocket: recordingWebSocket(device.socket, options.socket) } }),
      ...(options.codec === undefined ? {} : { codec: options.codec }),
      ...(options.wallClock === undefined ? {} : { wallClock: options.wallClock }),
      // Short backoff: a scenario reports an unreachable server within seconds instead of retrying for minutes.
      retry: { baseDelayMs: 200, maxDelayMs: 2000, maxAttempts: 3 },
    });
    client.on('change', () => device.arrivals.notify());
    client.on('conflict', (conflict) => device.conflicts.push(conflict));
    client.on('push-rejected', (push) => device.rejected.push(push));
    client.on('decode-error', (failure) => device.decodeFailures.push(failure));
    device.client = client;
    return device;
  }

  /** `bob's laptop`. */
  get label(): string {
    return `${this.person.name}'s ${this.name}`;
  }

  get sync(): SyncClient {
    if (this.client === undefined) throw new Error(`${this.label} is not open`);
    return this.client;
  }

  /** The record once `accept` holds for it (by default: once it exists), or undefined after `withinMs`. */
  whenHolding(table: string, id: string, withinMs: number, accept: (record: AppRecord) => boolean = () => true): Promise<AppRecord | undefined> {
    return this.arrivals.eventually(async () => {
      const record = await this.sync.get(table, id);
      return record !== undefined && accept(record) ? record : undefined;
    }, withinMs);
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
