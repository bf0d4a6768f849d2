import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Recorder } from './recorder.js';

// The `ws` package ships no type declarations and @types/ws is not installed; these are the parts of
// its documented API this test server uses, typed at this one boundary.
interface WsSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
}
interface WsServer {
  address(): AddressInfo;
  clients: Set<WsSocket>;
  on(event: 'connection', listener: (socket: WsSocket) => void): void;
  on(event: 'listening', listener: () => void): void;
  close(callback: () => void): void;
}
interface WsModule {
  WebSocketServer: new (options: { port: number; host: string }) => WsServer;
}

const { WebSocketServer } = createRequire(import.meta.url)('ws') as WsModule;

export interface WsConnection {
  readonly socket: WsSocket;
  /** Every message the client sent, parsed. */
  readonly messages: Recorder<Record<string, unknown>>;
}

/** A real WebSocket server on an ephemeral port that records what clients send. */
export class WsTestServer {
  readonly connections = new Recorder<WsConnection>();

  private constructor(private readonly server: WsServer) {
    server.on('connection', (socket) => {
      const messages = new Recorder<Record<string, unknown>>();
      socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
      this.connections.push({ socket, messages });
    });
  }

  static async start(): Promise<WsTestServer> {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.on('listening', resolve));
    return new WsTestServer(server);
  }

  /** The base URL a client uses as serverUrl (the client adds `/ws`). */
  get url(): string {
    return `http://127.0.0.1:${this.server.address().port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(resolve));
  }
}
