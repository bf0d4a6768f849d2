import { expect } from 'vitest';
import type { Changeset, ErrorBody, PullResponse, PushResponse, ServerChange } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import type { AuthService } from '../../../conformance/src/auth-service/auth-service.js';

/** The server a client talks to: its URL, the auth service minting its tokens, and how to await readability. */
export interface SyncEndpoint {
  readonly url: string;
  readonly auth: Pick<AuthService, 'mint'>;
  settle(): Promise<void>;
}

/** A response as received: status, headers and the parsed JSON body (undefined when not JSON). */
export interface RawResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

const validError = validatorFor('error');
const validPushResponse = validatorFor('push-response');
const validPullResponse = validatorFor('pull-response');

/** Every 4xx/5xx must be the spec's error body (ERR-1): checked on every response the helpers see, but /health's 503 (OPS-1). */
function checkErrorShape(url: string, response: RawResponse): void {
  if (response.status < 400 || new URL(url).pathname === '/health') return;
  expect(response.headers.get('content-type'), `content type of ${response.status}`).toMatch(/^application\/json/);
  expect(validError(response.body), `error body ${response.text}: ${describeSchemaErrors(validError.errors).join('; ')}`).toBe(true);
}

export async function request(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const raw = { status: response.status, headers: response.headers, body, text };
  checkErrorShape(url, raw);
  return raw;
}

/** The error body of a refused request, after checking its status and code. */
export function expectError(response: RawResponse, status: number, code: string): ErrorBody['error'] {
  expect({ status: response.status, code: (response.body as ErrorBody | undefined)?.error?.code }, response.text).toEqual({ status, code });
  return (response.body as ErrorBody).error;
}

/**
 * One device of one user, in the style of Complement: `push`/`pull` return the raw response for
 * tests that expect a refusal, `mustPush`/`mustPull` fail with the whole exchange unless it is a
 * success matching the response schema.
 */
export class SyncTestClient {
  constructor(
    readonly server: SyncEndpoint,
    readonly userId: string,
    readonly clientId: string | undefined,
    readonly token: string,
  ) {}

  static async of(server: SyncEndpoint, userId: string, clientId?: string): Promise<SyncTestClient> {
    return new SyncTestClient(server, userId, clientId, await server.auth.mint(userId));
  }

  /** The same user on another device. */
  device(clientId: string | undefined): SyncTestClient {
    return new SyncTestClient(this.server, this.userId, clientId, this.token);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...(this.clientId === undefined ? {} : { 'x-client-id': this.clientId }), ...extra };
  }

  async push(appId: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    await this.server.settle();
    return request(`${this.server.url}/sync/${appId}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', ...headers }),
      body: JSON.stringify(body),
    });
  }

  async mustPush(appId: string, body: Partial<Changeset>): Promise<PushResponse> {
    const response = await this.push(appId, body);
    expect(response.status, `push by ${this.userId}/${this.clientId}: ${response.text}`).toBe(200);
    expect(validPushResponse(response.body), describeSchemaErrors(validPushResponse.errors).join('; ')).toBe(true);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return response.body as PushResponse;
  }

  async pull(appId: string, query: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
    await this.server.settle();
    return request(`${this.server.url}/sync/${appId}/pull?${new URLSearchParams(query).toString()}`, { headers: this.headers(headers) });
  }

  async mustPull(appId: string, query: Record<string, string>): Promise<PullResponse> {
    const response = await this.pull(appId, query);
    expect(response.status, `pull by ${this.userId}/${this.clientId}: ${response.text}`).toBe(200);
    expect(validPullResponse(response.body), describeSchemaErrors(validPullResponse.errors).join('; ')).toBe(true);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return response.body as PullResponse;
  }

  /** Every page of a table from `since`; returns the changes and the final cursor. */
  async pullAll(appId: string, collection: string, since = '', limit?: number): Promise<{ changes: ServerChange[]; syncedUntil: string; pages: number }> {
    const changes: ServerChange[] = [];
    let cursor = since;
    for (let pages = 1; ; pages++) {
      const page = await this.mustPull(appId, { collection, since: cursor, ...(limit === undefined ? {} : { limit: String(limit) }) });
      changes.push(...page.serverChanges);
      cursor = page.syncedUntil;
      if (!page.hasMore) return { changes, syncedUntil: cursor, pages };
    }
  }
}
