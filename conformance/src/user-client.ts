import type { Changeset, PullQuery, PullResponse, PushResponse, ServerChange } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { AuthService } from './auth-service/auth-service.js';
import { TABLE } from './change-builders.js';
import { describeExchange, sendRecorded, type Exchange, type OutgoingRequest } from './exchange.js';
import { ExpectationFailure, fail, type Failure } from './failure.js';
import { responseFailures, type ExchangeKind } from './response-conformance.js';
import { openSseStream, type SseStream, type StreamOpening } from './live/sse-stream.js';
import { openLiveSocket, type LiveSocket, type SocketOpening, type SocketOptions } from './live/ws-socket.js';
import type { TranscriptRecorder } from './transcript.js';

/** What every user client of one check shares: where the target is and where exchanges go. */
export interface ClientEnvironment {
  baseUrl: string;
  appId: string;
  auth: AuthService;
  recorder: TranscriptRecorder;
  requestTimeoutMs: number;
  /** Failures every answer is held to (responseFailures), collected rather than thrown. */
  observe: (failures: Failure[]) => void;
  /** Resolves after `ms`; the only way a client waits, and only between bounded retries. */
  pause: (ms: number) => Promise<void>;
  /** Aborted when the check ends: its streams and sockets close with it. */
  signal: AbortSignal;
}

export interface RequestOptions {
  /** The X-Client-Id header; null sends none. Default: the user's own client id. */
  clientId?: string | null;
  /** The bearer token; null sends no Authorization header. Default: a fresh valid token. */
  token?: string | null;
  headers?: Record<string, string>;
  appId?: string;
  /** The requirement a must-helper cites when the answer is not 200; default PUSH-1 or PULL-1. */
  requirement?: RequirementId;
}

export interface PushOptions extends RequestOptions {
  /** Sent as is instead of the JSON encoding of the changeset. */
  rawBody?: string | Uint8Array;
  contentType?: string;
}

export type PullParams = Partial<Record<keyof PullQuery, string | number>> & Record<string, string | number | undefined>;

export interface StreamOptions extends RequestOptions {
  lastEventId?: string;
  /** Open the stream without reading it until `resume()` (a reader that does not keep up, SSE-10). */
  paused?: boolean;
}

export interface ConnectOptions extends SocketOptions {
  /** `/ws` (unified, the default) or `/ws/{appId}` (legacy). */
  path?: string;
  /** The clientId of the auth message; null sends none. Default: the user's own client id. */
  clientId?: string | null;
  /** Default: a fresh valid token of the user. */
  token?: string;
}

export interface PullUntilOptions extends RequestOptions {
  /** Failure bound: how long to keep pulling before the predicate counts as never met. */
  withinMs?: number;
  /** What the predicate waits for, for the failure message. */
  waitingFor?: string;
}

/**
 * A named user (alice, bob, charlie) of one check, in the Complement style: `push` returns the raw
 * exchange for checks that expect a refusal, `mustPush` fails with method, URL, status and body.
 */
export class UserClient {
  readonly clientId: string;
  private token: Promise<string> | undefined;
  private liveChannels = 0;

  constructor(
    readonly name: string,
    readonly userId: string,
    private readonly env: ClientEnvironment,
  ) {
    this.clientId = `${name}-laptop`;
  }

  /** The user's personal space (SPACE-1). */
  get personalSpace(): string {
    return `_personal:${this.userId}`;
  }

  bearer(): Promise<string> {
    this.token ??= this.env.auth.mint(this.userId);
    return this.token;
  }

  private async headersOf(options: RequestOptions): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? await this.bearer() : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const clientId = options.clientId === undefined ? this.clientId : options.clientId;
    if (clientId !== null) headers['x-client-id'] = clientId;
    return headers;
  }

  async request(method: string, path: string, options: RequestOptions & { body?: string | Uint8Array; contentType?: string } = {}, kind: ExchangeKind = 'other'): Promise<Exchange> {
    const headers = await this.headersOf(options);
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    Object.assign(headers, options.headers);
    const request: OutgoingRequest = { method, url: `${this.env.baseUrl}${path}`, headers, body: options.body };
    const exchange = await sendRecorded(this.env.recorder, request, this.env.requestTimeoutMs);
    this.env.observe(responseFailures(exchange, kind));
    return exchange;
  }

  push(changeset: Partial<Changeset> & Record<string, unknown>, options: PushOptions = {}): Promise<Exchange> {
    const appId = options.appId ?? this.env.appId;
    return this.request(
      'POST',
      `/sync/${encodeURIComponent(appId)}`,
      { ...options, body: options.rawBody ?? JSON.stringify({ changes: [], ...changeset }), contentType: options.contentType ?? 'application/json' },
      'push',
    );
  }

  async mustPush(changeset: Partial<Changeset> & Record<string, unknown>, options: PushOptions = {}): Promise<PushResponse> {
    const exchange = await this.push(changeset, options);
    if (exchange.status !== 200) fail(options.requirement ?? 'PUSH-1', `${this.name}'s push answered 200`, describeExchange(exchange));
    return exchange.json as PushResponse;
  }

  pull(params: PullParams, options: RequestOptions = {}): Promise<Exchange> {
    return this.request('GET', `/sync/${encodeURIComponent(options.appId ?? this.env.appId)}/pull?${queryOf(params)}`, options, 'pull');
  }

  async mustPull(params: PullParams, options: RequestOptions = {}): Promise<PullResponse> {
    const exchange = await this.pull(params, options);
    if (exchange.status !== 200) fail(options.requirement ?? 'PULL-1', `${this.name}'s pull answered 200`, describeExchange(exchange));
    return exchange.json as PullResponse;
  }

  /** Follows the cursor chain from `since` until `hasMore` is false; every page in order. */
  async mustPullAll(params: PullParams, options: RequestOptions = {}): Promise<{ changes: ServerChange[]; pages: PullResponse[]; cursor: string }> {
    const pages: PullResponse[] = [];
    let since = params.since;
    for (;;) {
      const page = await this.mustPull({ ...params, since }, options);
      pages.push(page);
      if (!page.hasMore) break;
      if (pages.length > 1000) fail('PULL-5', 'a cursor chain that ends (hasMore false)', `more than 1000 pages, last cursor ${page.syncedUntil}`);
      since = page.syncedUntil;
    }
    return { changes: pages.flatMap((page) => page.serverChanges), pages, cursor: pages.at(-1)!.syncedUntil };
  }

  /** Everything of a table this user may read, own writes included (no client id, PULL-13). */
  async mustReadAll(table = TABLE): Promise<ServerChange[]> {
    return (await this.mustPullAll({ collection: table }, { clientId: null })).changes;
  }

  /**
   * Pulls the whole chain again and again until `predicate` holds, never sleeping blindly: the
   * retries are bounded by `withinMs`, the only reason to give up.
   */
  async mustPullUntil(params: PullParams, predicate: (changes: ServerChange[]) => boolean, options: PullUntilOptions = {}): Promise<ServerChange[]> {
    const deadline = performance.now() + (options.withinMs ?? 3000);
    let delay = 25;
    for (;;) {
      const { changes } = await this.mustPullAll(params, options);
      if (predicate(changes)) return changes;
      if (performance.now() >= deadline) {
        throw new ExpectationFailure({
          requirement: options.requirement ?? 'PULL-3',
          expected: `${this.name} to pull ${options.waitingFor ?? 'the awaited changes'}`,
          actual: `after ${options.withinMs ?? 3000} ms of pulling: ${JSON.stringify(changes.map((change) => `${change.table}/${change.id}`)).slice(0, 400)}`,
        });
      }
      await this.env.pause(delay);
      delay = Math.min(delay * 2, 400);
    }
  }

  /** GET /sync/{appId}/stream (SSE-1): the raw answer, and the stream when it is one. */
  async openStream(params: PullParams, options: StreamOptions = {}): Promise<StreamOpening> {
    const headers = { ...(await this.headersOf(options)), ...options.headers };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const url = `${this.env.baseUrl}/sync/${encodeURIComponent(options.appId ?? this.env.appId)}/stream?${queryOf(params)}`;
    const opening = await openSseStream(this.env, `${this.name} stream#${++this.liveChannels}`, url, headers, options.paused ?? false);
    if (opening.stream === undefined) this.env.observe(responseFailures(opening.exchange, 'other'));
    return opening;
  }

  async mustOpenStream(params: PullParams, options: StreamOptions = {}): Promise<SseStream> {
    const { exchange, stream } = await this.openStream(params, options);
    if (stream === undefined) fail(options.requirement ?? 'SSE-1', `${this.name}'s stream answered 200 text/event-stream`, describeExchange(exchange));
    return stream;
  }

  /** A WebSocket to `path` (RFC 6455), not authenticated yet; a refused upgrade comes back as its exchange. */
  async openSocket(path = '/ws', options: SocketOptions = {}): Promise<SocketOpening> {
    const url = `${this.env.baseUrl.replace(/^http/, 'ws')}${path}`;
    const opening = await openLiveSocket(this.env, `${this.name} ws#${++this.liveChannels}`, url, options);
    if (opening.exchange !== undefined) this.env.observe(responseFailures(opening.exchange, 'other'));
    return opening;
  }

  /** A WebSocket authenticated in-band (WS-2): resolves once the server answered auth-ok. */
  async mustConnect(options: ConnectOptions = {}): Promise<LiveSocket> {
    const path = options.path ?? '/ws';
    const { exchange, socket } = await this.openSocket(path, options);
    if (socket === undefined) return fail('WS-1', `GET ${path} upgraded to a WebSocket`, exchange ? describeExchange(exchange) : 'no answer');
    const clientId = options.clientId === undefined ? this.clientId : options.clientId;
    socket.send({ type: 'auth', token: options.token ?? (await this.bearer()), ...(clientId === null ? {} : { clientId }) });
    await socket.mustReceiveUntil((messages) => messages.some((message) => message.json?.type === 'auth-ok'), { withinMs: 3000, requirement: 'WS-2', waitingFor: 'auth-ok for a valid token' });
    return socket;
  }
}

function queryOf(params: PullParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  return query.toString();
}
