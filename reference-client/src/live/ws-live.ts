import { WebSocket } from 'undici';
import { WS_PING_INTERVAL_SECONDS } from '../../../spec/generated/constants.js';
import { describeSchemaErrors, validatorFor } from '../../../spec/src/schema-registry.js';
import { ClientError } from '../errors.js';
import { backoffDelay } from '../sync/retry.js';
import type { LiveConnection, LiveHost } from './live-host.js';

/** The part of the WebSocket API this client uses (undici's, a browser's). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; code?: number; reason?: string }) => void): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WsLiveOptions {
  /** Default: undici's WebSocket (Node 20 has no global one). */
  readonly webSocket?: WebSocketFactory;
  /**
   * Period of the client's pings; a connection that has been silent for twice this long is taken
   * for dead and replaced (a half-open TCP connection never reports its close). Default
   * WS_PING_INTERVAL_SECONDS.
   */
  readonly keepaliveMs?: number;
}

interface SessionEnd {
  readonly authenticated: boolean;
  readonly error: unknown;
}

const openUndiciWebSocket: WebSocketFactory = (url) => new WebSocket(url);

/**
 * Live mode over the unified WebSocket (section 5), which carries notifications only: after every
 * (re)connection the client authenticates again and pulls every table, since notifications sent
 * while it was away are lost; a `sync-available` of its app makes it pull the named tables (WS-15).
 */
export class WsLive implements LiveConnection {
  private readonly openSocket: WebSocketFactory;
  private readonly keepaliveMs: number;

  constructor(
    private readonly host: LiveHost,
    options: WsLiveOptions = {},
  ) {
    this.openSocket = options.webSocket ?? openUndiciWebSocket;
    this.keepaliveMs = options.keepaliveMs ?? WS_PING_INTERVAL_SECONDS * 1000;
  }

  async run(): Promise<void> {
    const { host } = this;
    let failures = 0;
    while (!host.signal.aborted) {
      const end = await this.session();
      if (host.signal.aborted) return;
      if (end.authenticated) failures = 0;
      host.disconnected(end.error);
      try {
        await host.sleep(backoffDelay(host.retryPolicy, failures++), host.signal);
      } catch {
        return;
      }
    }
  }

  private session(): Promise<SessionEnd> {
    const { host } = this;
    return new Promise((resolve) => {
      let authenticated = false;
      let refusal: unknown;
      let heard = Date.now();
      let ended = false;
      const socket = this.openSocket(host.transport.webSocketUrl());
      const end = (error: unknown): void => {
        if (ended) return;
        ended = true;
        clearInterval(keepalive);
        host.signal.removeEventListener('abort', stop);
        try {
          socket.close(1000);
        } catch {
          // Closing a socket that never opened throws in some implementations; it is gone either way.
        }
        resolve({ authenticated, error: refusal ?? error });
      };
      const stop = (): void => end(undefined);
      host.signal.addEventListener('abort', stop, { once: true });
      const keepalive = setInterval(() => {
        if (Date.now() - heard > 2 * this.keepaliveMs) end(new ClientError('SYNC_NETWORK', `the WebSocket was silent for ${2 * this.keepaliveMs} ms`, { retryable: true }));
        else send({ type: 'ping' });
      }, this.keepaliveMs);
      const send = (message: unknown): void => {
        try {
          socket.send(JSON.stringify(message));
        } catch (error) {
          end(new ClientError('SYNC_NETWORK', `a WebSocket send failed: ${String(error)}`, { retryable: true, cause: error }));
        }
      };

      socket.addEventListener('open', () => {
        host.transport.token().then(
          (token) => send({ type: 'auth', token, clientId: host.transport.clientId }),
          (error: unknown) => end(error),
        );
      });
      socket.addEventListener('close', (event) => {
        end(new ClientError('SYNC_NETWORK', `the WebSocket closed (${event.code ?? 'no code'} ${event.reason ?? ''})`, { retryable: true }));
      });
      socket.addEventListener('message', (event) => {
        heard = Date.now();
        let message: unknown;
        try {
          message = typeof event.data === 'string' ? JSON.parse(event.data) : undefined;
        } catch {
          message = undefined;
        }
        const valid = validatorFor('ws-server-message');
        if (!valid(message)) {
          end(new ClientError('SYNC_INVALID_RESPONSE', `WebSocket message: ${describeSchemaErrors(valid.errors).join('; ')}`));
          return;
        }
        switch (message.type) {
          case 'auth-ok':
            authenticated = true;
            host.connected();
            void host.pull(host.tables);
            return;
          case 'sync-available': {
            if (message.appId !== host.transport.appId) return;
            const tables = message.tables.filter((table) => host.tables.includes(table));
            if (tables.length > 0) void host.pull(tables);
            return;
          }
          case 'error':
            // WS-2: after an authentication error the server closes the socket; its code is the cause.
            refusal = new ClientError('SYNC_REFUSED', `WebSocket error ${message.code}: ${message.message}`, {
              serverError: { code: message.code, message: message.message },
              retryable: false,
            });
            return;
          case 'pong':
            return;
        }
      });
    });
  }
}
