import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SSE_HEARTBEAT_SECONDS, SSE_RETRY_MS } from '../../../spec/generated/constants.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { ClientError } from '../errors.js';
import { backoffDelay } from '../sync/retry.js';
import { isCursorReset } from '../sync/sync-context.js';
import type { LiveConnection, LiveHost } from './live-host.js';

export interface SseLiveOptions {
  /** SSE-7: the heartbeat period asked of the server, in seconds. Default SSE_HEARTBEAT_SECONDS. */
  readonly heartbeatSeconds?: number;
  /** SSE-15: silence after which the stream counts as dropped. Default twice the heartbeat period. */
  readonly heartbeatTimeoutMs?: number;
}

/** The stream went silent for twice the heartbeat period (SSE-15). */
class StreamSilent extends Error {}

function parseJson(event: EventSourceMessage): unknown {
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    throw new ClientError('SYNC_INVALID_RESPONSE', `the data of a "${event.event}" event is not JSON`);
  }
}

/**
 * Live mode over the SSE stream (section 4), read with `fetch` so that it carries the bearer token.
 * Every `changes` event is applied with its id as the cursor before the next is read; a dropped
 * stream resumes with `Last-Event-ID` set to the last event applied completely, and a stream silent
 * for twice the heartbeat period counts as dropped (SSE-15).
 */
export class SseLive implements LiveConnection {
  private lastEventId: string | undefined;
  private reconnectDelayMs = SSE_RETRY_MS;
  private readonly heartbeatSeconds: number;
  private readonly silenceLimitMs: number;

  constructor(
    private readonly host: LiveHost,
    options: SseLiveOptions = {},
  ) {
    this.heartbeatSeconds = options.heartbeatSeconds ?? SSE_HEARTBEAT_SECONDS;
    this.silenceLimitMs = options.heartbeatTimeoutMs ?? 2 * this.heartbeatSeconds * 1000;
  }

  async run(): Promise<void> {
    const { host } = this;
    let failures = 0;
    while (!host.signal.aborted) {
      let delay: number;
      try {
        await this.connectOnce();
        failures = 0;
        delay = this.reconnectDelayMs;
      } catch (error) {
        if (host.signal.aborted) return;
        if (isCursorReset(error)) {
          // PULL-11: the position is gone; read again from the beginning.
          await host.resetCursors();
          this.lastEventId = undefined;
          continue;
        }
        host.disconnected(error);
        const retryAfter = error instanceof ClientError ? error.retryAfterMs : undefined;
        delay = error instanceof StreamSilent ? 0 : (retryAfter ?? Math.max(this.reconnectDelayMs, backoffDelay(host.retryPolicy, failures++)));
      }
      try {
        await host.sleep(delay, host.signal);
      } catch {
        return;
      }
    }
  }

  /** One connection, from opening to its end; throws on a failure or a silent stream. */
  private async connectOnce(): Promise<void> {
    const { host } = this;
    const connection = new AbortController();
    let silent = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // Aborting the request does not end a body that is already being read in every fetch (msw's
    // does not), so the reader is cancelled too: its pending read then ends at once.
    const drop = (): void => {
      connection.abort();
      reader?.cancel().catch(() => undefined);
    };
    host.signal.addEventListener('abort', drop, { once: true });
    let silence: ReturnType<typeof setTimeout> | undefined;
    const watch = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        silent = true;
        drop();
      }, this.silenceLimitMs);
    };
    try {
      const since = this.lastEventId === undefined ? ((await host.appCursor()) ?? '') : undefined;
      const response = await host.transport.openStream(
        {
          tables: host.tables,
          heartbeatSeconds: this.heartbeatSeconds,
          ...(this.lastEventId === undefined ? { since } : { lastEventId: this.lastEventId }),
        },
        connection.signal,
      );
      host.connected();
      watch();
      const events: EventSourceMessage[] = [];
      const parser = createParser({
        onEvent: (event) => events.push(event),
        onRetry: (milliseconds) => (this.reconnectDelayMs = milliseconds),
      });
      const decoder = new TextDecoder();
      reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (silent) throw new StreamSilent(`no event for ${this.silenceLimitMs} ms`);
        if (done || host.signal.aborted) return;
        parser.feed(decoder.decode(value, { stream: true }));
        for (const event of events.splice(0)) {
          // Applying can take longer than the silence limit; the watch restarts after it.
          clearTimeout(silence);
          await this.handle(event);
          watch();
        }
      }
    } catch (error) {
      if (silent) throw new StreamSilent(`no event for ${this.silenceLimitMs} ms`);
      throw error;
    } finally {
      clearTimeout(silence);
      drop();
      host.signal.removeEventListener('abort', drop);
    }
  }

  private async handle(event: EventSourceMessage): Promise<void> {
    switch (event.event) {
      case 'changes': {
        const data = parseJson(event);
        const valid = validatorFor('sse-changes-event');
        if (!valid(data)) throw new ClientError('SYNC_INVALID_RESPONSE', `changes event: ${describeSchemaErrors(valid.errors).join('; ')}`);
        // SSE-4: the id equals the event's syncedUntil; a server that omits the id still gave the cursor.
        const id = event.id ?? data.syncedUntil;
        await this.host.applyStreamEvent(data, id);
        this.lastEventId = id;
        return;
      }
      case 'heartbeat': {
        const valid = validatorFor('sse-heartbeat-event');
        if (!valid(parseJson(event))) throw new ClientError('SYNC_INVALID_RESPONSE', 'a heartbeat whose data is not an object');
        return;
      }
      case 'error': {
        const body = parseJson(event);
        const valid = validatorFor('error');
        if (!valid(body)) throw new ClientError('SYNC_INVALID_RESPONSE', `error event: ${describeSchemaErrors(valid.errors).join('; ')}`);
        // SSE-12, SSE-10, SPACE-10: the server ends the stream at a resumable position; reconnecting
        // (with a fresh token from the getter) resumes from the last event applied.
        throw new ClientError('SYNC_SERVER_UNAVAILABLE', `stream error ${body.error.code}: ${body.error.message}`, { serverError: body.error, retryable: true });
      }
      default:
        // Events of later protocol versions are skipped; they still count as signs of life.
        return;
    }
  }
}
