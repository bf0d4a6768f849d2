import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { WsServerMessage } from '../../../spec/generated/types.js';
import { parseJson, type Exchange } from '../exchange.js';
import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { LiveChannel, type WaitOptions } from './live-channel.js';
import { LIVE_ANSWER_MS, LIVE_DELIVERY_MS } from './live-bounds.js';
import { wsMessageFailures } from './live-conformance.js';
import type { StreamEnvironment } from './sse-stream.js';

/**
 * The part of `ws`'s client the suite uses (the package ships no type declarations). `ws`, not
 * undici's WebSocket: checks must send binary and oversized frames, see protocol pings (WS-13) and
 * leave them unanswered.
 */
interface WsClient {
  send(data: string | Uint8Array): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'ping', listener: () => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'unexpected-response', listener: (request: { destroy(): void }, response: IncomingMessage) => void): void;
}
type WsClientConstructor = new (url: string, options: { autoPong: boolean }) => WsClient;
const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: WsClientConstructor };

export interface ReceivedMessage {
  atMs: number;
  text: string;
  /** The parsed message; undefined when the frame is not JSON (a WS-1 failure, observed). */
  json: WsServerMessage | undefined;
}

export interface SocketClose {
  code: number;
  reason: string;
  atMs: number;
}

export interface SocketOptions {
  /** Answer the server's protocol pings (default true); false leaves them unanswered (WS-13). */
  autoPong?: boolean;
}

/** One WebSocket of a check: every frame either way, its pings and its close are in the transcript. */
export class LiveSocket extends LiveChannel<ReceivedMessage, SocketClose> {
  readonly messages: ReceivedMessage[] = [];
  /** When each protocol ping of the server arrived (ms since the check started). */
  readonly pings: number[] = [];
  closed: SocketClose | undefined;
  readonly openedAtMs: number;

  constructor(
    channel: string,
    private readonly client: WsClient,
    private readonly env: StreamEnvironment,
  ) {
    super(channel, env.signal);
    this.openedAtMs = env.recorder.elapsedMs();
    client.on('message', (data, isBinary) => {
      const text = isBinary ? `(binary frame, ${data.length} bytes)` : data.toString('utf8');
      env.recorder.live(channel, 'received', text);
      env.observe(isBinary ? [{ requirement: 'WS-1', expected: 'JSON text frames only', actual: text }] : wsMessageFailures(text));
      this.messages.push({ atMs: env.recorder.elapsedMs(), text, json: isBinary ? undefined : (parseJson(text) as WsServerMessage | undefined) });
      this.arrived();
    });
    client.on('ping', () => {
      env.recorder.live(channel, 'received', '(protocol ping)');
      this.pings.push(env.recorder.elapsedMs());
      this.arrived();
    });
    client.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8'), atMs: env.recorder.elapsedMs() };
      env.recorder.live(channel, 'received', `(close ${code}${this.closed.reason ? ` ${this.closed.reason}` : ''})`);
      this.arrived();
    });
    const onCheckEnd = () => client.terminate();
    env.signal.addEventListener('abort', onCheckEnd, { once: true });
    client.on('close', () => env.signal.removeEventListener('abort', onCheckEnd));
  }

  /** Sends a message as a JSON text frame, or `text` as is when given a string. */
  send(message: string | object): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.env.recorder.live(this.channel, 'sent', text);
    this.client.send(text);
  }

  sendBinary(bytes: Uint8Array): void {
    this.env.recorder.live(this.channel, 'sent', `(binary frame, ${bytes.length} bytes)`);
    this.client.send(bytes);
  }

  close(): void {
    this.client.close(1000);
  }

  /** The messages of one type, in order. */
  ofType<T extends WsServerMessage['type']>(type: T): Extract<WsServerMessage, { type: T }>[] {
    return this.messages.flatMap((message) => (message.json?.type === type ? [message.json as Extract<WsServerMessage, { type: T }>] : []));
  }

  /** Sends a ping and resolves at its pong: every message the server sent before it has arrived. */
  async mustPong(requirement: RequirementId = 'WS-4'): Promise<void> {
    const before = this.ofType('pong').length;
    this.send({ type: 'ping' });
    await this.mustReceiveUntil(() => this.ofType('pong').length > before, { withinMs: LIVE_ANSWER_MS, requirement, waitingFor: 'a pong to its ping' });
  }

  /** Resolves once a sync-available of `appId` naming `table` has arrived. */
  mustBeNotified(appId: string, table: string, requirement: RequirementId): Promise<ReceivedMessage[]> {
    return this.mustReceiveUntil(() => this.ofType('sync-available').some((message) => message.appId === appId && message.tables.includes(table)), {
      withinMs: LIVE_DELIVERY_MS,
      requirement,
      waitingFor: `sync-available for ${appId}/${table}`,
    });
  }

  protected describe(): string {
    const texts = this.messages.map((message) => message.text).join(' ');
    return `received [${texts.slice(0, 600)}]${this.closed ? `, then was closed ${this.closed.code} "${this.closed.reason}"` : ', still open'}`;
  }

  protected get received(): ReceivedMessage[] {
    return this.messages;
  }

  protected get ending(): SocketClose | undefined {
    return this.closed;
  }

  /** Resolves with the close once the server closes the socket; fails if it is still open after the bound. */
  mustClose(options: WaitOptions): Promise<SocketClose> {
    return this.waitForEnd(options);
  }

  /** Resolves once `count` protocol pings have arrived. */
  mustBePinged(count: number, options: WaitOptions): Promise<number[]> {
    return this.waitFor(() => (this.pings.length >= count ? this.pings : undefined), { ...options, waitingFor: `receive ${options.waitingFor}` });
  }
}

export interface SocketOpening {
  /** Set when the server refused the upgrade: its HTTP answer. */
  exchange?: Exchange;
  socket?: LiveSocket;
}

/** Opens a WebSocket to `url` (ws:// or wss://); a refused upgrade comes back as its HTTP exchange. */
export function openLiveSocket(env: StreamEnvironment, channel: string, url: string, options: SocketOptions = {}): Promise<SocketOpening> {
  const atMs = env.recorder.elapsedMs();
  const client = new WebSocket(url, { autoPong: options.autoPong ?? true });
  return new Promise<SocketOpening>((resolve, reject) => {
    client.on('open', () => {
      env.recorder.live(channel, 'sent', `(opened ${url})`);
      resolve({ socket: new LiveSocket(channel, client, env) });
    });
    client.on('unexpected-response', (request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        request.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
        env.recorder.http({
          atMs,
          durationMs: env.recorder.elapsedMs() - atMs,
          request: { method: 'GET', url, headers: { upgrade: 'websocket' } },
          response: { status: response.statusCode ?? 0, headers: Object.fromEntries(headers), body: text },
        });
        resolve({ exchange: { method: 'GET', url, status: response.statusCode ?? 0, headers, text, json: parseJson(text) } });
      });
    });
    client.on('error', (error) => {
      env.recorder.live(channel, 'received', `(error: ${error.message})`);
      reject(new Error(`WebSocket ${url} failed: ${error.message}`, { cause: error }));
    });
  });
}
