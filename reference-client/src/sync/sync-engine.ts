import type { SseChangesEvent } from '../../../spec/generated/types.js';
import type { ClientEvents, SyncState } from '../client-events.js';
import { isClientError } from '../errors.js';
import type { LiveConnection, LiveHost } from '../live/live-host.js';
import type { LocalStore } from '../store/local-store.js';
import type { ApplyResult } from '../store/server-changes.js';
import type { HttpTransport } from './http-transport.js';
import { pullTable } from './pull.js';
import { pushAndCatchUp } from './push-cycle.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep as realSleep, type RetryPolicy, type Sleep } from './retry.js';
import { SerialQueue } from './serial-queue.js';
import type { SyncContext } from './sync-context.js';

export interface SyncEngineOptions {
  readonly store: LocalStore;
  readonly transport: HttpTransport;
  readonly events: ClientEvents;
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Injectable so that tests can observe delays (Retry-After, backoff) without waiting them out. */
  readonly sleep?: Sleep;
  readonly schemaVersion?: number;
  /** Builds the live connection of `start()`; none keeps the client to pushes on local writes. */
  readonly live?: (host: LiveHost) => LiveConnection;
}

function stateAfter(error: unknown): SyncState {
  if (isClientError(error, 'SYNC_STOPPED')) return 'idle';
  if (isClientError(error) && error.retryable) return 'offline';
  return 'error';
}

/**
 * Runs the protocol for one client: pushes and pulls, one at a time (SerialQueue); in started mode
 * also a live connection, a push after every local write, and retries while offline.
 */
export class SyncEngine {
  private readonly queue = new SerialQueue();
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;
  private controller = new AbortController();
  private state: SyncState = 'idle';
  private started: { live: Promise<void> | undefined; unsubscribe: () => void } | undefined;
  private pushQueued = false;
  private backgroundFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pullQueued: { tables: Set<string>; done: Promise<void> } | undefined;

  constructor(private readonly options: SyncEngineOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
    this.sleep = options.sleep ?? realSleep;
  }

  get currentState(): SyncState {
    return this.state;
  }

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  /** Pushes every queued change and applies the server's changes until nothing more is waiting. */
  sync(): Promise<void> {
    return this.queue.run(() => this.tracked(() => pushAndCatchUp(this.context())));
  }

  /** Pulls these tables from their cursors; calls made while one is waiting join it. */
  pull(tables: readonly string[]): Promise<void> {
    if (this.pullQueued !== undefined) {
      for (const table of tables) this.pullQueued.tables.add(table);
      return this.pullQueued.done;
    }
    const wanted = new Set(tables);
    const done = this.queue.run(() => {
      this.pullQueued = undefined;
      return this.tracked(async () => {
        for (const table of wanted) await pullTable(this.context(), table);
      });
    });
    this.pullQueued = { tables: wanted, done };
    return done;
  }

  /** Syncs now, then keeps syncing: live connection, a push after each local write, retries. */
  start(): void {
    if (this.started !== undefined) return;
    const unsubscribe = this.options.store.onLocalWrite(() => this.pushInBackground());
    this.started = { live: undefined, unsubscribe };
    const live = this.options.live;
    const initial = this.sync().catch((error: unknown) => this.retryLater(error));
    if (live !== undefined) this.started.live = initial.then(() => live(this.liveHost()).run());
  }

  /** Stops live mode and cancels requests in flight; queued changes stay in the outbox. */
  async stop(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    started?.unsubscribe();
    clearTimeout(this.retryTimer);
    this.controller.abort();
    await started?.live;
    await this.queue.idle();
    this.controller = new AbortController();
    this.backgroundFailures = 0;
    this.setState('idle', undefined);
  }

  private context(): SyncContext {
    const { store, transport, events, schemaVersion } = this.options;
    return {
      store,
      transport,
      retry: { policy: this.policy, sleep: this.sleep, signal: this.controller.signal },
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
      applied: (result) => this.reportApplied(result),
      rejected: (push, error) => events.emit('push-rejected', push, error),
    };
  }

  private reportApplied(result: ApplyResult): void {
    const { events } = this.options;
    for (const conflict of result.conflicts) events.emit('conflict', conflict);
    for (const failure of result.decodeFailures) events.emit('decode-error', failure);
    if (result.changed.length > 0) events.emit('change', result.changed, 'remote');
  }

  private async tracked(operation: () => Promise<void>): Promise<void> {
    this.setState('syncing', undefined);
    try {
      await operation();
      this.setState('online', undefined);
    } catch (error) {
      this.setState(stateAfter(error), error);
      throw error;
    }
  }

  private setState(state: SyncState, error: unknown): void {
    if (state === this.state && error === undefined) return;
    this.state = state;
    this.options.events.emit('state', state, error);
  }

  private pushInBackground(): void {
    if (this.pushQueued || this.started === undefined) return;
    this.pushQueued = true;
    clearTimeout(this.retryTimer);
    this.queue
      .run(() => {
        this.pushQueued = false;
        return this.tracked(() => pushAndCatchUp(this.context()));
      })
      .then(
        () => (this.backgroundFailures = 0),
        (error: unknown) => this.retryLater(error),
      );
  }

  /** Offline queueing: while started, a push that failed for a reason that may pass is tried again. */
  private retryLater(error: unknown): void {
    if (this.started === undefined || !isClientError(error) || !error.retryable) return;
    const delay = error.retryAfterMs ?? backoffDelay(this.policy, this.backgroundFailures++);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.pushInBackground(), delay);
  }

  private liveHost(): LiveHost {
    const { store, transport } = this.options;
    return {
      transport,
      tables: store.tableNames,
      retryPolicy: this.policy,
      sleep: this.sleep,
      signal: this.controller.signal,
      appCursor: () => store.appCursor(),
      resetCursors: () => store.resetCursors(),
      applyStreamEvent: (event: SseChangesEvent, id: string) =>
        this.queue.run(async () => {
          const advance = { cursor: id, app: true, tables: store.tableNames };
          this.reportApplied(await store.applyServerChanges(event.changes, { advance }));
        }),
      // Failures are reported through the state; the next notification or reconnection pulls again.
      pull: (tables) => this.pull(tables).catch(() => undefined),
      connected: () => {
        this.setState('online', undefined);
        void store.outboxSize().then((size) => size > 0 && this.pushInBackground());
      },
      disconnected: (error) => {
        if (!this.controller.signal.aborted) this.setState(stateAfter(error), error);
      },
    };
  }
}
