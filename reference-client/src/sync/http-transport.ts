import type { Changeset, PullResponse, PushResponse, SchemaTypes } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor, type SchemaName } from '../../../spec/src/schema-registry.js';
import { ClientError } from '../errors.js';
import { parseRetryAfter } from './retry.js';

/** The user's JWT, or a function that returns a current one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

export interface HttpTransportOptions {
  readonly serverUrl: string;
  readonly appId: string;
  readonly clientId: string;
  readonly token: TokenSource;
  /** Default: the global `fetch`, which msw intercepts in tests. */
  readonly fetch?: typeof fetch;
}

export interface StreamRequest {
  readonly tables: readonly string[];
  /** Resume position (SSE-5, SSE-15); takes precedence over `since`. */
  readonly lastEventId?: string;
  readonly since?: string;
  /** SSE-7: the heartbeat period the client asks for, in seconds. */
  readonly heartbeatSeconds?: number;
}

interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/**
 * The HTTP side of the protocol: bearer token and X-Client-Id on every request, every answer checked
 * against the spec's schemas, and every failure turned into a ClientError that says whether resending
 * may help (ERR-10): network failures, 5xx and 429 may, other 4xx may not.
 */
export class HttpTransport {
  private readonly base: URL;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.serverUrl.endsWith('/') ? options.serverUrl : `${options.serverUrl}/`);
    // Resolved at call time, so that an interceptor installed after the client was created still applies.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get appId(): string {
    return this.options.appId;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  async token(): Promise<string> {
    const { token } = this.options;
    return typeof token === 'string' ? token : token();
  }

  /** The unified WebSocket endpoint (`/ws`, WS-1) of the server. */
  webSocketUrl(): string {
    const url = new URL('ws', this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  async push(body: Changeset, signal?: AbortSignal): Promise<PushResponse> {
    const response = await this.request({ method: 'POST', path: this.appPath(), body, signal });
    return readJson(response, 'push-response');
  }

  async pull(table: string, since: string, signal?: AbortSignal): Promise<PullResponse> {
    const response = await this.request({ method: 'GET', path: `${this.appPath()}/pull`, query: { collection: table, since }, signal });
    return readJson(response, 'pull-response');
  }

  /** Opens the stream; the response is 200 with a `text/event-stream` body to read. */
  async openStream(request: StreamRequest, signal?: AbortSignal): Promise<Response> {
    const response = await this.request({
      method: 'GET',
      path: `${this.appPath()}/stream`,
      query: {
        collections: request.tables.join(','),
        since: request.lastEventId === undefined ? request.since : undefined,
        heartbeat: request.heartbeatSeconds === undefined ? undefined : String(request.heartbeatSeconds),
      },
      headers: { accept: 'text/event-stream', ...(request.lastEventId === undefined ? {} : { 'last-event-id': request.lastEventId }) },
      signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream') || response.body === null) {
      await discardBody(response);
      throw new ClientError('SYNC_INVALID_RESPONSE', `the stream answered with content type "${type}"`, { status: response.status });
    }
    return response;
  }

  private appPath(): string {
    return `sync/${encodeURIComponent(this.options.appId)}`;
  }

  private async request(spec: RequestSpec): Promise<Response> {
    const usesGetter = typeof this.options.token !== 'string';
    let response = await this.send(spec);
    // An expired token is renewed once through the getter (AUTH-4); a static token cannot be.
    if (response.status === 401 && usesGetter) {
      await discardBody(response);
      response = await this.send(spec);
    }
    if (response.ok) return response;
    throw await errorOf(response);
  }

  private async send(spec: RequestSpec): Promise<Response> {
    const url = new URL(spec.path, this.base);
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token()}`,
      'x-client-id': this.options.clientId,
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetch(url, {
        method: spec.method,
        headers,
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        ...(spec.signal === undefined ? {} : { signal: spec.signal }),
      });
    } catch (error) {
      if (spec.signal?.aborted) throw error;
      throw new ClientError('SYNC_NETWORK', `${spec.method} ${url.pathname}: ${String(error)}`, { retryable: true, cause: error });
    }
  }
}

/** Reads a body that is not wanted, so that its connection can be reused. */
async function discardBody(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch((error: unknown) => {
    throw new ClientError('SYNC_NETWORK', `the body of a ${response.status} answer was cut off`, { retryable: true, cause: error });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readJson<N extends SchemaName>(response: Response, schema: N): Promise<SchemaTypes[N]> {
  const body = await readBody(response);
  const validate = validatorFor(schema);
  if (!validate(body)) {
    throw new ClientError('SYNC_INVALID_RESPONSE', `${schema}: ${describeSchemaErrors(validate.errors).join('; ')}`, { status: response.status });
  }
  return body;
}

/** ERR-10: the decision is made from the status (and the code, by the callers), never the message. */
async function errorOf(response: Response): Promise<ClientError> {
  const body = await readBody(response).catch(() => undefined);
  const isErrorBody = validatorFor('error');
  const serverError = isErrorBody(body) ? body.error : undefined;
  const detail = `${response.status} ${serverError?.code ?? '(no error body)'}${serverError ? `: ${serverError.message}` : ''}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const common = { status: response.status, ...(serverError ? { serverError } : {}), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (response.status === 429 || response.status >= 500) {
    return new ClientError('SYNC_SERVER_UNAVAILABLE', detail, { ...common, retryable: true });
  }
  return new ClientError('SYNC_REFUSED', detail, { ...common, retryable: false });
}
