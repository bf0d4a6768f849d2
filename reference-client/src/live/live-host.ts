import type { SseChangesEvent } from '../../../spec/generated/types.js';
import type { HttpTransport } from '../sync/http-transport.js';
import type { RetryPolicy, Sleep } from '../sync/retry.js';

/** What a live connection (SSE or WebSocket) needs from the sync engine that runs it. */
export interface LiveHost {
  readonly transport: HttpTransport;
  readonly tables: readonly string[];
  readonly retryPolicy: RetryPolicy;
  readonly sleep: Sleep;
  /** Aborts when the client stops. */
  readonly signal: AbortSignal;
  /** Where a stream without a resume position starts: the app cursor. */
  appCursor(): Promise<string | undefined>;
  /** PULL-11: the server can no longer serve the cursor. */
  resetCursors(): Promise<void>;
  /** Applies one stream event with its cursor, in order with every other sync operation. */
  applyStreamEvent(event: SseChangesEvent, id: string): Promise<void>;
  /** WS-15: pulls these tables from their cursors. */
  pull(tables: readonly string[]): Promise<void>;
  /** The connection is up (state online; queued changes get pushed). */
  connected(): void;
  /** The connection failed or dropped; it is being re-established. */
  disconnected(error: unknown): void;
}

/** A live connection: started once, reconnecting on its own until stopped. */
export interface LiveConnection {
  /** Resolves when the connection is stopped for good. */
  run(): Promise<void>;
}
