import { WebSocket } from 'undici';
import { expect } from 'vitest';
import type { WsServerMessage } from '../../../spec/generated/types.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';

const validServerMessage = validatorFor('ws-server-message');

export interface WsClose {
  readonly code: number;
  readonly reason: string;
}

/** A WebSocket client (undici's, the WHATWG API) that queues what it receives, for tests to await in order. */
export class WsConnection {
  readonly #socket: WebSocket;
  readonly #received: Array<WsServerMessage | WsClose> = [];
  readonly #waiters: Array<() => void> = [];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<WsClose>;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const data: unknown = JSON.parse(String(event.data));
      expect(validServerMessage(data), `${String(event.data)}: ${describeSchemaErrors(validServerMessage.errors).join('; ')}`).toBe(true);
      this.#push(data as WsServerMessage);
    });
    this.closed = new Promise((resolve) =>
      socket.addEventListener('close', (event) => {
        const close = { code: event.code, reason: event.reason };
        this.#push(close);
        resolve(close);
      }),
    );
  }

  /** Connects to `/ws` or `/ws/{appId}` of a server. */
  static async open(baseUrl: string, path = '/ws'): Promise<WsConnection> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`);
    const connection = new WsConnection(socket);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`WebSocket ${path} did not open`)), { once: true });
    });
    return connection;
  }

  /** Connects and authenticates; resolves after auth-ok. */
  static async authenticated(baseUrl: string, token: string, options: { path?: string; clientId?: string } = {}): Promise<WsConnection> {
    const connection = await WsConnection.open(baseUrl, options.path);
    connection.send({ type: 'auth', token, ...(options.clientId === undefined ? {} : { clientId: options.clientId }) });
    expect(await connection.next()).toMatchObject({ type: 'auth-ok' });
    return connection;
  }

  send(message: unknown): void {
    this.#socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes: Uint8Array): void {
    this.#socket.send(bytes);
  }

  /** The next message, or the close when the socket closed; fails after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<WsServerMessage | WsClose> {
    const deadline = Date.now() + timeoutMs;
    while (this.#received.length === 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push(resolve);
        timer = setTimeout(() => reject(new Error(`no WebSocket message within ${timeoutMs} ms`)), Math.max(deadline - Date.now(), 0));
      }).finally(() => clearTimeout(timer));
    }
    return this.#received.shift()!;
  }

  /** Expects a ws-error with `code`, then the close with `closeCode` and the code as reason (WS-2). */
  async expectErrorAndClose(code: string, closeCode = 1008): Promise<void> {
    expect(await this.next()).toMatchObject({ type: 'error', code });
    expect(await this.next()).toEqual({ code: closeCode, reason: code });
  }

  close(): void {
    this.#socket.close();
  }

  #push(item: WsServerMessage | WsClose): void {
    this.#received.push(item);
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
