import type { Changeset, PullQuery, PullResponse, PushResponse, ServerChange } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import type { AuthService } from './auth-service/auth-service.js';
import { TABLE } from './change-builders.js';
import { describeExchange, sendRecorded, type Exchange, type OutgoingRequest } from './exchange.js';
import { ExpectationFailure, fail, type Failure } from './failure.js';
import { responseFailures, type ExchangeKind } from './response-conformance.js';
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

  async request(method: string, path: string, options: RequestOptions & { body?: string | Uint8Array; contentType?: string } = {}, kind: ExchangeKind = 'other'): Promise<Exchange> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? await this.bearer() : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const clientId = options.clientId === undefined ? this.clientId : options.clientId;
    if (clientId !== null) headers['x-client-id'] = clientId;
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
    const appId = options.appId ?? this.env.appId;
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
    return this.request('GET', `/sync/${encodeURIComponent(appId)}/pull?${query.toString()}`, options, 'pull');
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
}
