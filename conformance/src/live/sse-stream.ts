import type { ServerChange, SseChangesEvent } from '../../../spec/generated/types.js';
import { parseJson, type Exchange } from '../exchange.js';
import type { Failure } from '../failure.js';
import type { TranscriptRecorder } from '../transcript.js';
import { LiveChannel, type WaitOptions } from './live-channel.js';
import { sseEventFailures } from './live-conformance.js';
import { SseParser, type SseBlock } from './sse-parser.js';

/** An event of a stream with the time it arrived (ms since the check started). */
export interface ReceivedEvent extends SseBlock {
  atMs: number;
}

export interface StreamEnvironment {
  recorder: TranscriptRecorder;
  observe: (failures: Failure[]) => void;
  /** Aborted when the check ends: every stream of the check is closed with it. */
  signal: AbortSignal;
}

/**
 * An open `text/event-stream` response read with fetch's streaming body: every block is recorded in
 * the transcript and held to sseEventFailures; checks wait on the growing list of events.
 * Opened `paused`, nothing is read until `resume()`: the server sees a reader that does not keep up.
 */
export class SseStream extends LiveChannel<ReceivedEvent, string> {
  readonly events: ReceivedEvent[] = [];
  /** Why the stream ended (the server closed it, or a read failed); undefined while it is open. */
  ended: string | undefined;
  /** Text after the last complete block when the stream ended: an event cut in the middle. */
  trailing = '';
  /** Whether the server ended the response (rather than the connection failing or the suite closing it). */
  endedByServer = false;
  private readonly parser = new SseParser();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly controller: AbortController;
  private resumeReading: (() => void) | undefined;

  constructor(
    channel: string,
    readonly response: Response,
    controller: AbortController,
    private readonly env: StreamEnvironment,
    paused: boolean,
  ) {
    super(channel, env.signal);
    this.controller = controller;
    this.reader = response.body!.getReader();
    const started = paused ? new Promise<void>((resolve) => (this.resumeReading = resolve)) : Promise.resolve();
    void started.then(() => this.read());
  }

  resume(): void {
    this.resumeReading?.();
  }

  close(): void {
    this.controller.abort();
  }

  get changeEvents(): ReceivedEvent[] {
    return this.events.filter((event) => event.event === 'changes');
  }

  /** The data of every changes event so far, in order (events whose data is not JSON left out, SSE-3 failures). */
  get changesData(): SseChangesEvent[] {
    return this.changeEvents.flatMap((event) => {
      const data = parseJson(event.data.join('\n')) as SseChangesEvent | undefined;
      return Array.isArray(data?.changes) ? [data] : [];
    });
  }

  /** Every change streamed so far, in order. */
  get changes(): ServerChange[] {
    return this.changesData.flatMap((data) => data.changes);
  }

  /** Resolves once the stream has delivered at least `count` changes. */
  mustReceiveChanges(count: number, options: Omit<WaitOptions, 'waitingFor'> & { waitingFor?: string }): Promise<ServerChange[]> {
    return this.mustReceiveUntil(() => this.changes.length >= count, { waitingFor: `${count} changes`, ...options }).then(() => this.changes);
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) break;
        for (const block of this.parser.feed(decoder.decode(value, { stream: true }))) this.add(block);
      }
      this.endedByServer = true;
      this.finish('the server ended the stream');
    } catch (error) {
      this.finish(this.controller.signal.aborted ? 'closed by the suite' : `reading failed: ${(error as Error).message}`);
    }
  }

  private add(block: SseBlock): void {
    this.env.recorder.live(this.channel, 'received', block.raw);
    this.env.observe(sseEventFailures(block));
    this.events.push({ ...block, atMs: this.env.recorder.elapsedMs() });
    this.arrived();
  }

  private finish(reason: string): void {
    this.trailing = this.parser.pending;
    this.ended = reason;
    this.env.recorder.live(this.channel, 'received', `(end: ${reason}${this.trailing ? `; an unfinished event: ${this.trailing.slice(0, 200)}` : ''})`);
    this.arrived();
  }

  protected describe(): string {
    const events = this.events.map((event) => `${event.event ?? '(no event)'}${event.id ? `#${event.id}` : ''}`).join(', ');
    return `received [${events.slice(0, 600)}]${this.ended ? `, then ended (${this.ended})` : ', still open'}`;
  }

  protected get received(): ReceivedEvent[] {
    return this.events;
  }

  protected get ending(): string | undefined {
    return this.ended;
  }

  /** Resolves with why the stream ended, once it has; fails if it is still open after the bound. */
  mustEnd(options: WaitOptions): Promise<string> {
    return this.waitForEnd(options);
  }
}

export interface StreamOpening {
  /** The answer's status and headers; for a refusal, its body too (held to responseFailures by the caller). */
  exchange: Exchange;
  /** The stream, when the answer was 200 text/event-stream. */
  stream?: SseStream;
}

/** Opens GET `url` as an event stream, recording the request and the answer's head in the transcript. */
export async function openSseStream(env: StreamEnvironment, channel: string, url: string, headers: Record<string, string>, paused: boolean): Promise<StreamOpening> {
  const controller = new AbortController();
  const onCheckEnd = () => controller.abort();
  env.signal.addEventListener('abort', onCheckEnd, { once: true });
  controller.signal.addEventListener('abort', () => env.signal.removeEventListener('abort', onCheckEnd), { once: true });
  const atMs = env.recorder.elapsedMs();
  const request = { method: 'GET', url, headers };
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  } catch (error) {
    env.recorder.http({ atMs, durationMs: env.recorder.elapsedMs() - atMs, request, error: (error as Error).message });
    throw new Error(`GET ${url} got no answer: ${(error as Error).message}`, { cause: error });
  }
  const isStream = response.status === 200 && /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
  const text = isStream ? '' : await response.text();
  env.recorder.http({
    atMs,
    durationMs: env.recorder.elapsedMs() - atMs,
    request,
    response: { status: response.status, headers: Object.fromEntries(response.headers), body: isStream ? `(event stream: its events follow as ${channel})` : text },
  });
  const exchange: Exchange = { method: 'GET', url, status: response.status, headers: response.headers, text, json: parseJson(text) };
  if (!isStream) {
    controller.abort();
    return { exchange };
  }
  return { exchange, stream: new SseStream(channel, response, controller, env, paused) };
}
