import { once } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerResponse } from 'node:http';
import { SSE_EVENT_MAX_CHANGES, SSE_MAX_BUFFERED_BYTES } from '../../../spec/generated/constants.js';
import type { ErrorCode } from '../../../spec/generated/error-codes.js';
import { runAsUser } from '../db/user-scope.js';
import { isStoreUnavailable } from '../db/store-errors.js';
import { SyncError } from '../errors.js';
import { spaceFingerprint, type ReadStart } from '../store/cursor.js';
import type { SyncContext } from '../sync-context.js';
import { readDelta } from '../sync/delta.js';
import { atInstant } from './expiry-timer.js';
import { changesEvents, errorEvent, HEARTBEAT_EVENT, RETRY_FIELD, type SseEvent } from './sse-events.js';

/** What a stream was asked for, checked by the route before the stream starts (SSE-1). */
export interface StreamRequest {
  readonly appId: string;
  readonly tables: readonly string[];
  readonly userId: string;
  /** The listening device, whose own changes are left out (SSE-8). */
  readonly clientId: string | undefined;
  /** Last-Event-ID, else since, else the beginning (SSE-2, SSE-5). */
  readonly start: ReadStart;
  readonly heartbeatSeconds: number;
  readonly tokenExpiresAtMs: number;
}

/**
 * Where a stream stands: the position after its last read and the spaces that read was evaluated
 * with; undefined before the first read, when the start is the client's and only its cursor's
 * fingerprint tells the spaces it was issued with.
 */
interface StreamPosition {
  readonly start: ReadStart;
  readonly spaceIds: readonly string[] | undefined;
}

/**
 * One open SSE stream. It never holds changes of its own: a committed push (or a membership change)
 * only wakes it, and it then reads the log through the horizon reader from its position, so the
 * hand-over from backlog to live delivery loses and repeats nothing (SSE-2) and nothing is sent
 * before a pull would return it (PUSH-18). Wake-ups during a read coalesce into one more read.
 *
 * Memory is bounded (SSE-10): the next read waits until the socket has drained what was written, and
 * unsent data never exceeds SSE_MAX_BUFFERED_BYTES (an event larger than that alone is written only
 * into an empty buffer). A reader that does not drain within two heartbeat periods (when SSE-15 has
 * its client give the stream up anyway) is ended after its last complete event; it resumes from that
 * event's id without loss (SSE-5).
 */
export class SseStream {
  readonly #context: SyncContext;
  readonly #request: StreamRequest;
  readonly #raw: ServerResponse;
  readonly #log: FastifyBaseLogger;
  readonly #stallLimitMs: number;
  readonly #cleanups: Array<() => void> = [];
  #position: StreamPosition;
  #wanted = false;
  #reading = false;
  #ended = false;

  constructor(context: SyncContext, request: StreamRequest, raw: ServerResponse, log: FastifyBaseLogger) {
    this.#context = context;
    this.#request = request;
    this.#raw = raw;
    this.#log = log;
    this.#stallLimitMs = 2 * request.heartbeatSeconds * 1000;
    this.#position = { start: request.start, spaceIds: undefined };
  }

  /** Writes the head and `retry:`, subscribes, and reads the backlog; `headers` are fastify's (CORS). */
  start(headers: Record<string, string | string[] | number | undefined>): void {
    const { appId, tables, userId } = this.#request;
    this.#raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back.
      'x-accel-buffering': 'no',
    });
    this.#raw.write(RETRY_FIELD);
    const connection = this.#context.connections.open('sse', userId);
    const watched = new Set(tables);
    // Subscribed before the first read: a push committed during the backlog read wakes another read.
    this.#cleanups.push(
      () => connection.close(),
      this.#context.feed.onCommitted((push) => {
        if (push.appId === appId && push.writes.some((write) => watched.has(write.table))) this.wake();
      }),
      // SPACE-8, SPACE-11: a membership change is applied by the next read.
      this.#context.memberships.onInvalidated((changed) => {
        if (changed === userId) this.wake();
      }),
      atInstant(this.#request.tokenExpiresAtMs, () => this.end('AUTH_TOKEN_EXPIRED', 'the token has expired; reconnect with a fresh token and Last-Event-ID')),
      this.#every(this.#request.heartbeatSeconds * 1000, () => this.#writeBounded(HEARTBEAT_EVENT)),
    );
    this.#raw.once('close', () => this.#release());
    this.wake();
  }

  /** Asks for a read from the stream's position; coalesces with a read in progress. */
  wake(): void {
    this.#wanted = true;
    if (!this.#reading) void this.#readWhileWanted();
  }

  /** Ends the stream with an `error` event (SSE-14) after the last complete event. */
  end(code: ErrorCode, message: string): void {
    if (this.#ended) return;
    this.#writeBounded(errorEvent(code, message));
    this.#finish();
  }

  async #readWhileWanted(): Promise<void> {
    this.#reading = true;
    try {
      while (this.#wanted && !this.#ended) {
        this.#wanted = false;
        if (this.#raw.writableNeedDrain && !(await this.#drained())) return this.#tooSlow();
        if (await this.#readOnce()) this.#wanted = true;
      }
    } catch (error) {
      this.#failWith(error);
    } finally {
      this.#reading = false;
    }
  }

  /** One read of at most SSE_EVENT_MAX_CHANGES changes; true when more backlog follows. */
  async #readOnce(): Promise<boolean> {
    const { appId, tables, userId, clientId } = this.#request;
    // SPACE-8, SPACE-10: memberships as of now (cached within the bound); an outage ends the stream.
    const spaceIds = await this.#context.memberships.spacesOf(userId);
    const scope = { userId, spaceIds };
    const start = this.#startFor(spaceIds);
    const delta = await runAsUser(this.#context.db, this.#context.layout, scope, (tx) =>
      readDelta(tx, scope, { appId, tables, start, clientId, limit: SSE_EVENT_MAX_CHANGES }),
    );
    if (this.#ended) return false;
    for (const event of changesEvents(delta)) {
      if (!(await this.#writeWhenRoom(event))) return false;
    }
    this.#position = { start: { kind: 'cursor', position: delta.next, spaces: spaceFingerprint(spaceIds) }, spaceIds };
    return delta.hasMore;
  }

  /**
   * The start of a read with the user's current spaces. A space lost changes nothing behind the
   * position: the read continues there. A space gained has history behind it (SPACE-11): the read
   * keeps the old spaces' fingerprint, which makes readDelta start from the beginning. The client's
   * own cursor (the first read) is left to readDelta, which compares its fingerprint: a cursor
   * issued before a gain, by a pull or another stream, must not pass for one of the current spaces.
   */
  #startFor(spaceIds: readonly string[]): ReadStart {
    const { start, spaceIds: before } = this.#position;
    if (start.kind !== 'cursor' || before === undefined || spaceIds.some((space) => !before.includes(space))) return start;
    return { kind: 'cursor', position: start.position, spaces: spaceFingerprint(spaceIds) };
  }

  /** Writes a changes event once the unsent data leaves room for it; false when the stream ended instead. */
  async #writeWhenRoom(event: SseEvent): Promise<boolean> {
    const bytes = Buffer.byteLength(event.text);
    while (this.#raw.writableLength > 0 && this.#raw.writableLength + bytes > SSE_MAX_BUFFERED_BYTES) {
      if (!(await this.#drained())) {
        this.#tooSlow();
        return false;
      }
      if (this.#ended) return false;
    }
    if (this.#ended) return false;
    this.#raw.write(event.text);
    return true;
  }

  /** Writes a small event now, or ends the stream as too slow when it would exceed the bound. */
  #writeBounded(event: SseEvent): void {
    if (this.#ended) return;
    if (this.#raw.writableLength + Buffer.byteLength(event.text) > SSE_MAX_BUFFERED_BYTES) return this.#tooSlow();
    this.#raw.write(event.text);
  }

  /** Whether the socket drained within the stall limit (or the stream ended meanwhile). */
  async #drained(): Promise<boolean> {
    // Aborted at the stall limit, and once settled, so that a stream draining often leaves no listeners behind.
    const settled = new AbortController();
    const stall = setTimeout(() => settled.abort(), this.#stallLimitMs);
    const waits = [once(this.#raw, 'drain', { signal: settled.signal }), once(this.#raw, 'close', { signal: settled.signal })];
    try {
      await Promise.race(waits);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(stall);
      for (const wait of waits) wait.catch(() => undefined);
      settled.abort();
    }
  }

  #tooSlow(): void {
    if (this.#ended) return;
    const event = errorEvent('SSE_READER_TOO_SLOW', 'the stream was not read fast enough; resume with Last-Event-ID');
    // The error event is optional (SSE-10): it is sent only while it fits within the bound.
    if (this.#raw.writableLength + Buffer.byteLength(event.text) <= SSE_MAX_BUFFERED_BYTES) this.#raw.write(event.text);
    this.#finish();
    // A reader that reads nothing would hold the buffer forever: after another stall period the
    // socket goes; its client discards the incomplete event and resumes from its last id.
    const abandon = setTimeout(() => this.#raw.destroy(), this.#stallLimitMs);
    abandon.unref();
    this.#raw.once('close', () => clearTimeout(abandon));
  }

  #failWith(error: unknown): void {
    if (error instanceof SyncError) return this.end(error.code, error.message);
    if (isStoreUnavailable(error)) return this.end('STORE_UNAVAILABLE', 'the database cannot be reached; reconnect later with Last-Event-ID');
    this.#log.error({ err: error instanceof Error ? { type: error.name, message: error.message } : { type: typeof error } }, 'a stream read failed unexpectedly');
    this.end('INTERNAL_ERROR', 'the server failed unexpectedly');
  }

  #every(periodMs: number, tick: () => void): () => void {
    const timer = setInterval(tick, periodMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  #finish(): void {
    if (this.#ended) return;
    this.#release();
    this.#raw.end();
  }

  #release(): void {
    this.#ended = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }
}
