import type { HealthLimits, ServerChange } from '../../spec/generated/types.js';
import { DEVICES, Replica, USERS, type DeviceName, type DeviceRef, type SyncModel, type UserName } from '../model/sync-model.js';
import { LIVE_DELIVERY_MS } from '../src/live/live-bounds.js';
import { membershipWaitMs } from '../src/live/membership-wait.js';
import type { AuthService } from '../src/auth-service/auth-service.js';
import { hostileTokens, type HostileToken } from '../src/auth-service/hostile-tokens.js';
import { ExpectationFailure, type Failure } from '../src/failure.js';
import type { SseStream } from '../src/live/sse-stream.js';
import type { LiveSocket } from '../src/live/ws-socket.js';
import type { TranscriptRecorder } from '../src/transcript.js';
import type { UserClient } from '../src/user-client.js';
import type { Chain } from './delivery-checks.js';
import type { FaultProxy } from './fault-proxy.js';

/** One device's cursor chain (PULL-3) and the replica it builds from its own writes and what the chain delivers. */
export interface DeviceState {
  ref: DeviceRef;
  client: UserClient;
  clientId: string;
  /** The last cursor the server gave this device; undefined: from the beginning (PULL-7). */
  cursor: string | undefined;
  chain: Chain;
  replica: Replica;
}

/** One SSE stream of a device, across the resumes of its chain of event ids (SSE-5). */
export interface StreamState {
  ref: DeviceRef;
  stream: SseStream;
  /** Changes of earlier connections of this chain (before a cut). */
  earlier: ServerChange[];
  /** The id of the last complete changes event before the last cut (SSE-4). */
  lastEventId: string | undefined;
  /** The tables it streams (SSE-1: `collections`). */
  tables: readonly string[];
  /** The cursor the stream was opened from; a resume sends it again, as EventSource reuses its URL (SSE-5: Last-Event-ID wins). */
  since: string | undefined;
  resumed: boolean;
  /** How many changes of this chain have been checked. */
  checked: number;
  chain: Chain;
}

/** One authenticated WebSocket of a device (WS-8, WS-10, WS-11). */
export interface SocketState {
  ref: DeviceRef;
  socket: LiveSocket;
  /** Pushes this socket must be notified of: visible to its user, not written by its own device. */
  duePushes: number;
  /** The tables of those pushes. */
  dueTables: Set<string>;
  /** Pushes of its own device (never notified when it named its client id, WS-10). */
  ownPushes: number;
  /** Pushes its user may not read (never notified, WS-11). */
  unreadablePushes: number;
}

/** The table every write of a model run goes to, and the one devices pull. */
export const PROPERTY_TABLE = 'tasks';

/**
 * A second table, written only when a stream is cut and streamed only by streams opened from the
 * beginning: one read of such a stream then yields events of two tables (SSE-3), so that the event
 * before the cut is not its read's last, whose id a server may get wrong alone (SSE-4).
 */
export const NOTES_TABLE = 'notes';

export const newChain = (reader: DeviceRef): Chain => ({ reader, delivered: new Set(), lastSeq: 0, resync: false });

export const deviceKey = (ref: DeviceRef): string => `${ref.user}/${ref.device}`;

/** The real side of a model run: the server behind the fault proxy, six devices, their streams and sockets. */
export class SyncSystem {
  readonly devices = new Map<string, DeviceState>();
  readonly streams = new Map<string, StreamState>();
  readonly sockets = new Map<string, SocketState>();
  /** Sockets opened and never authenticated (WS-3). */
  readonly silentSockets: { ref: DeviceRef; socket: LiveSocket }[] = [];
  private pushes = 0;
  private readonly hostile = new Map<string, Promise<HostileToken[]>>();

  constructor(
    readonly appId: string,
    readonly table: string,
    readonly clients: Record<UserName, UserClient>,
    readonly clientIds: Record<UserName, Record<DeviceName, string>>,
    readonly auth: AuthService,
    readonly proxy: FaultProxy,
    readonly limits: HealthLimits | undefined,
    readonly recorder: TranscriptRecorder,
    /** Failures every answer is held to, collected by the clients (responseFailures). */
    readonly observed: Failure[],
    readonly request: (method: string, path: string, headers: Record<string, string>) => Promise<number>,
    readonly pause: (ms: number) => Promise<void>,
  ) {
    for (const user of USERS) {
      for (const device of DEVICES) {
        const ref = { user, device };
        this.devices.set(deviceKey(ref), { ref, client: clients[user], clientId: clientIds[user][device], cursor: undefined, chain: newChain(ref), replica: new Replica() });
      }
    }
  }

  device(ref: DeviceRef): DeviceState {
    return this.devices.get(deviceKey(ref))!;
  }

  /** The hostile token matrix against a user, built once per run (it generates keys, an RSA one among them). */
  hostileTokensAgainst(userId: string): Promise<HostileToken[]> {
    let tokens = this.hostile.get(userId);
    if (tokens === undefined) this.hostile.set(userId, (tokens = hostileTokens(this.auth.signingKey, userId)));
    return tokens;
  }

  nextPushId(ref: DeviceRef): string {
    return `${this.appId}-${ref.device}-p${++this.pushes}`;
  }

  /**
   * Makes a membership change take effect: the invalidate endpoint (SPACE-9) makes the next request
   * use a fresh answer at once; open streams and sockets get the spec's bound (SPACE-8, WS-14): the
   * live bound after an invalidation, else the target's membership cache (SPACE-7). With `tell`
   * false the target is not told and only the cache's bound applies.
   */
  async applyMembership(model: SyncModel, user: UserName, tell = true): Promise<void> {
    if (!tell) {
      const waitMs = membershipWaitMs(this.limits);
      this.recorder.note(`waiting ${waitMs} ms for the target's membership cache to expire (it was not told of ${user}'s change)`);
      await this.pause(waitMs);
      return;
    }
    const status = await this.request('POST', `/internal/memberships/${encodeURIComponent(model.userId(user))}/invalidate`, { 'x-service-key': this.auth.serviceKey });
    const liveOpen = [...this.streams.values(), ...this.sockets.values()].some((live) => live.ref.user === user);
    if (status === 204 && !liveOpen) return;
    const waitMs = status === 204 ? Math.min(LIVE_DELIVERY_MS, membershipWaitMs(this.limits)) : membershipWaitMs(this.limits);
    this.recorder.note(`waiting ${waitMs} ms for the target to apply ${user}'s membership change${status === 204 ? ' to open streams and sockets' : ' (no invalidate endpoint)'}`);
    await this.pause(waitMs);
  }

  /** Throws the first failure an answer was held to (response conformance: schemas, headers, error bodies). */
  throwObserved(): void {
    const failure = this.observed.shift();
    if (failure !== undefined) throw new ExpectationFailure(failure);
  }
}
