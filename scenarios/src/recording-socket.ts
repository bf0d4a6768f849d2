import { WebSocket } from 'undici';
import type { WsServerMessage, WsSyncAvailable } from '../../spec/generated/types.js';
import type { WebSocketFactory, WebSocketLike } from '../../reference-client/src/live/ws-live.js';
import type { ArrivalSignal } from './arrival-signal.js';

/** Every frame a device's WebSocket received, in order; a scenario reads what the server sent. */
export class SocketLog {
  readonly messages: WsServerMessage[] = [];
  /** Where the device connected (`/ws` or `/ws/{appId}`). */
  readonly paths: string[] = [];

  constructor(private readonly arrivals: ArrivalSignal) {}

  get authenticated(): boolean {
    return this.messages.some((message) => message.type === 'auth-ok');
  }

  /** The `sync-available` notifications received so far. */
  notifications(): WsSyncAvailable[] {
    return this.messages.filter((message): message is WsSyncAvailable => message.type === 'sync-available');
  }

  record(text: string): void {
    try {
      this.messages.push(JSON.parse(text) as WsServerMessage);
    } catch {
      // The client refuses a frame that is not JSON (and says so); the log keeps what it can read.
    }
    this.arrivals.notify();
  }
}

export interface RecordingSocketOptions {
  /** Connect to the legacy per-app endpoint `/ws/{appId}` instead of the unified `/ws` (WS-1, WS-9). */
  readonly legacyAppId?: string;
  /** Authenticate without a `clientId`, as the first web client did (WS-10 compatibility). */
  readonly withoutClientId?: boolean;
}

/**
 * The reference client's WebSocket (undici's), recording every frame the server sends into `log`,
 * optionally on the legacy endpoint and authenticating the way the first web client did.
 */
export function recordingWebSocket(log: SocketLog, options: RecordingSocketOptions = {}): WebSocketFactory {
  return (url) => {
    const target = new URL(url);
    if (options.legacyAppId !== undefined) target.pathname = `${target.pathname.replace(/\/$/, '')}/${encodeURIComponent(options.legacyAppId)}`;
    log.paths.push(target.pathname);
    const socket = new WebSocket(target.href);
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') log.record(event.data);
    });
    const like: WebSocketLike = {
      send(data) {
        socket.send(options.withoutClientId ? withoutClientId(data) : data);
      },
      close(code, reason) {
        socket.close(code, reason);
      },
      addEventListener(type, listener) {
        socket.addEventListener(type, listener as (event: unknown) => void);
      },
    };
    return like;
  };
}

function withoutClientId(frame: string): string {
  const message = JSON.parse(frame) as Record<string, unknown>;
  if (message.type !== 'auth') return frame;
  delete message.clientId;
  return JSON.stringify(message);
}
