import { expect } from 'vitest';
import type { ServerChange, SseChangesEvent } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import type { SyncTestClient } from './sync-client.js';

/** One event as a client parses it (WHATWG "Server-sent events"): name, id and the joined data lines. */
export interface SseMessage {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

const validChanges = validatorFor('sse-changes-event');
const validError = validatorFor('error');

/** A stream read with fetch, as a browser must (the EventSource API cannot send Authorization). */
export class SseConnection {
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #abort: AbortController;
  #buffer = '';
  /** Where the search for the next newline resumes: a long event is scanned once, not once per chunk. */
  #scanned = 0;
  #fields: { event?: string; id?: string; data: string[] } = { data: [] };
  /** Every `retry:` value seen, in order. */
  readonly retries: number[] = [];
  /** Characters received so far. */
  received = 0;

  private constructor(
    readonly response: Response,
    abort: AbortController,
  ) {
    this.#abort = abort;
    this.#reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Opens the stream and checks it is one (SSE-1); a refusal fails with its body. */
  static async open(url: string, headers: Record<string, string>): Promise<SseConnection> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.status !== 200) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
    return new SseConnection(response, abort);
  }

  /** The next event, or 'end' when the server ended the stream; fails after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<SseMessage | 'end'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await this.#nextBefore(timeout);
    } finally {
      clearTimeout(timer);
    }
  }

  async #nextBefore(timeout: Promise<never>): Promise<SseMessage | 'end'> {
    for (;;) {
      const newline = this.#buffer.indexOf('\n', this.#scanned);
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        this.#scanned = 0;
        const message = this.#line(line);
        if (message !== undefined) return message;
        continue;
      }
      const chunk = await Promise.race([this.#reader.read(), timeout]);
      // An incomplete event at the end is discarded, as the WHATWG parser does.
      if (chunk.done) return 'end';
      this.#scanned = this.#buffer.length;
      this.received += chunk.value.length;
      this.#buffer += chunk.value;
    }
  }

  /** The next `changes` event (heartbeats skipped), checked against its schema and SSE-4. */
  async nextChanges(timeoutMs?: number): Promise<SseChangesEvent & { id: string }> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message === 'end') throw new Error('the stream ended before a changes event');
      if (message.event === 'heartbeat') continue;
      expect(message.event, message.data).toBe('changes');
      const data: unknown = JSON.parse(message.data);
      expect(validChanges(data), describeSchemaErrors(validChanges.errors).join('; ')).toBe(true);
      const event = data as SseChangesEvent;
      expect(message.id, 'SSE-4 the id is the syncedUntil').toBe(event.syncedUntil);
      return { ...event, id: message.id! };
    }
  }

  /** Changes events until `count` changes arrived; returns the changes and the last event id. */
  async changes(count: number, timeoutMs?: number): Promise<{ changes: ServerChange[]; lastId: string }> {
    const changes: ServerChange[] = [];
    let lastId = '';
    while (changes.length < count) {
      const event = await this.nextChanges(timeoutMs);
      changes.push(...event.changes);
      lastId = event.id;
    }
    return { changes, lastId };
  }

  /** The next `error` event's code (checked against error.schema.json, without id: SSE-4, SSE-14), then the end. */
  async errorThenEnd(timeoutMs?: number): Promise<string> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message === 'end') throw new Error('the stream ended without an error event');
      if (message.event !== 'error') continue;
      expect(message.id).toBeUndefined();
      const body: unknown = JSON.parse(message.data);
      expect(validError(body), describeSchemaErrors(validError.errors).join('; ')).toBe(true);
      expect(await this.next(timeoutMs)).toBe('end');
      return (body as { error: { code: string } }).error.code;
    }
  }

  close(): void {
    this.#abort.abort();
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') {
      const { event, id, data } = this.#fields;
      this.#fields = { data: [] };
      if (data.length === 0) return undefined;
      return { event: event ?? 'message', id, data: data.join('\n') };
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.#fields.event = value;
    else if (field === 'id') this.#fields.id = value;
    else if (field === 'data') this.#fields.data.push(value);
    else if (field === 'retry') this.retries.push(Number(value));
    return undefined;
  }
}

/** The stream URL of an app and its tables. */
export function streamUrl(client: SyncTestClient, appId: string, query: Record<string, string>): string {
  return `${client.server.url}/sync/${appId}/stream?${new URLSearchParams(query).toString()}`;
}

/** Opens a stream as this device (its token, its client id header). */
export async function openStream(client: SyncTestClient, appId: string, query: Record<string, string>, headers: Record<string, string> = {}): Promise<SseConnection> {
  return SseConnection.open(streamUrl(client, appId, query), client.headers(headers));
}
