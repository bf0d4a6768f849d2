import type { FastifyBaseLogger } from 'fastify';
import { SSE_MAX_BUFFERED_BYTES } from '../../../spec/generated/constants.js';
import { ERROR_CODES, type ErrorCode } from '../../../spec/generated/error-codes.js';
import type { WsClientMessage, WsServerMessage } from '../../../spec/generated/types.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { SyncError } from '../errors.js';
import type { SyncContext } from '../sync-context.js';
import type { CommittedPush } from './change-feed.js';
import { atInstant } from './expiry-timer.js';
import type { LiveConnection } from './live-connections.js';
import { needsMemberships, readableTables } from './readable-tables.js';

const validClientMessage = validatorFor('ws-client-message');
const validClientId = validatorFor('client-id');

/** Message data as `ws` delivers it. */
type RawData = Buffer | ArrayBuffer | Buffer[];

/** What a session uses of a `ws` WebSocket (the package ships no type declarations). */
export interface SessionSocket {
  readonly readyState: number;
  /** Bytes sent but not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): void;
  on(event: 'pong', listener: () => void): void;
  once(event: 'close', listener: () => void): void;
}

// WebSocket ready states (WHATWG).
const CONNECTING = 0;
const OPEN = 1;

/** Most unsent data buffered for one socket (OPS-11): the spec's bound for one stream (SSE-10). */
export const WS_MAX_BUFFERED_BYTES = SSE_MAX_BUFFERED_BYTES;

/** Close codes of section 5. */
export const CLOSE = { goingAway: 1001, unsupportedData: 1003, policyViolation: 1008, tryAgainLater: 1013 } as const;

/** Who an authenticated socket speaks for. */
interface Identity {
  readonly userId: string;
  readonly clientId: string | undefined;
  readonly connection: LiveConnection;
}

export interface WsSessionOptions {
  /** The legacy endpoint's app (WS-9); undefined on the unified /ws. */
  readonly appId: string | undefined;
  readonly authTimeoutMs: number;
  readonly pingIntervalMs: number;
}

/**
 * One WebSocket (section 5): in-band authentication against a deadline counted from the opening
 * (WS-2, WS-3), pings answered before and after (WS-4), invalid messages (WS-5, WS-6), then
 * `sync-available` for every push its user may read (WS-8 to WS-11), protocol pings (WS-13), and the
 * end of the token (WS-12). Messages are handled one at a time, in order, so that a ping sent after
 * an auth is answered after its auth-ok.
 */
export class WsSession {
  readonly #context: SyncContext;
  readonly #socket: SessionSocket;
  readonly #options: WsSessionOptions;
  readonly #log: FastifyBaseLogger;
  readonly #cleanups: Array<() => void> = [];
  #identity: Identity | undefined;
  #cancelExpiry: () => void = () => undefined;
  #queue: Promise<void> = Promise.resolve();
  #unansweredPings = 0;

  constructor(context: SyncContext, socket: SessionSocket, options: WsSessionOptions, log: FastifyBaseLogger) {
    this.#context = context;
    this.#socket = socket;
    this.#options = options;
    this.#log = log;
  }

  start(): void {
    const deadline = setTimeout(() => {
      if (this.#identity === undefined) this.closeWith('AUTH_TIMEOUT', 'the socket did not authenticate in time');
    }, this.#options.authTimeoutMs);
    const pings = setInterval(() => this.#keepAlive(), this.#options.pingIntervalMs);
    this.#cleanups.push(
      () => clearTimeout(deadline),
      () => clearInterval(pings),
      () => this.#cancelExpiry(),
    );
    this.#socket.on('pong', () => (this.#unansweredPings = 0));
    this.#socket.on('message', (data, isBinary) => {
      this.#queue = this.#queue.then(() => this.#handle(data, isBinary)).catch((error: unknown) => {
        this.#log.error({ err: error instanceof Error ? { type: error.name, message: error.message } : { type: typeof error } }, 'a WebSocket message failed');
        this.closeWith('INTERNAL_ERROR', 'the server failed unexpectedly');
      });
    });
    this.#socket.once('close', () => this.#release());
  }

  /** Sends a ws-error, then closes with the code's close code and the code as reason (WS-2, WS-3, WS-5, WS-12). */
  closeWith(code: ErrorCode, message: string): void {
    this.#send({ type: 'error', code, message, requirement: ERROR_CODES[code].requirement });
    const status = ERROR_CODES[code].status;
    // A refusal that is not the client's fault (the key service is down) asks it to come back later.
    this.#close(typeof status === 'number' && status >= 500 ? CLOSE.tryAgainLater : CLOSE.policyViolation, code);
  }

  /** OPS-7. */
  shutDown(): void {
    this.#close(CLOSE.goingAway, 'SHUTTING_DOWN');
  }

  async #handle(data: RawData, isBinary: boolean): Promise<void> {
    if (this.#socket.readyState !== OPEN) return;
    if (isBinary) return this.#close(CLOSE.unsupportedData, 'WS_INVALID_MESSAGE');
    const message = parseMessage(data);
    if (message === 'empty-token') return this.closeWith('AUTH_MISSING_TOKEN', 'the auth message carries an empty token');
    if (message === undefined) {
      const text = 'the message is not JSON matching ws-client-message.schema.json';
      // WS-5 before authentication, WS-6 after.
      if (this.#identity === undefined) return this.closeWith('WS_INVALID_MESSAGE', text);
      return this.#send({ type: 'error', code: 'WS_INVALID_MESSAGE', message: text, requirement: ERROR_CODES.WS_INVALID_MESSAGE.requirement });
    }
    if (message.type === 'ping') return this.#send({ type: 'pong' });
    await this.#authenticate(message.token, message.clientId);
  }

  async #authenticate(token: string, clientId: string | undefined): Promise<void> {
    let verified;
    try {
      // AUTH-11: the same verifier as every HTTP request.
      verified = await this.#context.verifier.verify(token);
    } catch (error) {
      if (error instanceof SyncError) return this.closeWith(error.code, error.message);
      throw error;
    }
    if (this.#socket.readyState !== OPEN) return;
    const current = this.#identity;
    if (current !== undefined && current.userId !== verified.userId) {
      return this.closeWith('AUTH_INVALID_TOKEN', 'a renewed token must be of the same user');
    }
    this.#cancelExpiry();
    this.#cancelExpiry = atInstant(verified.expiresAtMs, () => this.closeWith('AUTH_TOKEN_EXPIRED', 'the token has expired'));
    if (current === undefined) {
      const connection = this.#context.connections.open('ws', verified.userId);
      this.#identity = { userId: verified.userId, clientId, connection };
      this.#cleanups.push(
        () => connection.close(),
        this.#context.feed.onCommitted((push) => void this.#notify(push)),
      );
    } else if (clientId !== undefined) {
      this.#identity = { ...current, clientId };
    }
    this.#send({ type: 'auth-ok', userId: verified.userId });
  }

  async #notify(push: CommittedPush): Promise<void> {
    const identity = this.#identity;
    if (identity === undefined) return;
    if (this.#options.appId !== undefined && push.appId !== this.#options.appId) return;
    // WS-10: the pushing device already has its changes.
    if (identity.clientId !== undefined && push.userId === identity.userId && push.clientId === identity.clientId) return;
    let spaceIds: readonly string[] = [];
    if (needsMemberships(push, identity.userId)) {
      try {
        // SPACE-8, WS-14: memberships as of now, cached within the staleness bound.
        spaceIds = await this.#context.memberships.spacesOf(identity.userId);
      } catch {
        // SPACE-10: without memberships, fail closed: only what the user may read without them.
      }
    }
    const tables = readableTables(push, identity.userId, spaceIds);
    const [first, ...rest] = tables;
    if (first !== undefined) this.#send({ type: 'sync-available', appId: push.appId, tables: [first, ...rest] });
  }

  /** WS-13: a protocol ping every interval; two unanswered in a row and the peer is gone. */
  #keepAlive(): void {
    if (this.#unansweredPings >= 2) {
      this.#socket.terminate();
      return;
    }
    this.#unansweredPings++;
    this.#socket.ping();
  }

  #send(message: WsServerMessage): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#socket.send(JSON.stringify(message));
    // OPS-11: a peer that sends (pings, invalid messages) but never reads its answers would make the
    // server buffer them without bound. The spec bounds a stream's unsent data (SSE-10); a socket
    // gets the same bound. A close frame would queue behind the data the peer does not read, so the
    // connection is dropped; its client reconnects and pulls (WS-15).
    if (this.#socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      this.#log.warn({ bufferedBytes: this.#socket.bufferedAmount }, 'dropping a WebSocket that does not read what it is sent');
      this.#release();
      this.#socket.terminate();
    }
  }

  #close(code: number, reason: string): void {
    this.#release();
    if (this.#socket.readyState === OPEN || this.#socket.readyState === CONNECTING) this.#socket.close(code, reason);
  }

  #release(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }
}

/** The client message, 'empty-token' for an auth with an empty token (WS-2), or undefined when invalid (WS-5, WS-6). */
function parseMessage(data: RawData): WsClientMessage | 'empty-token' | undefined {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (validClientMessage(message)) return message;
  // An auth message whose token the schema refuses (empty, or longer than MAX_TOKEN_BYTES) is still
  // refused with the code of section 8, as on HTTP (WS-2, AUTH-10, AUTH-11).
  const { type, token, clientId } = (typeof message === 'object' && message !== null ? message : {}) as { type?: unknown; token?: unknown; clientId?: unknown };
  if (type !== 'auth' || typeof token !== 'string' || (clientId !== undefined && !validClientId(clientId))) return undefined;
  if (token === '') return 'empty-token';
  return { type: 'auth', token, ...(clientId === undefined ? {} : { clientId }) };
}
