import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a database server that a test can cut: every open connection is reset and
 * new ones are refused until it is restored. To the server behind it this is what a restart of
 * PostgreSQL looks like, without restarting the machine's cluster that other tests share.
 */
export class CuttableProxy {
  readonly #server: Server;
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #cut = false;
  /** Connections refused while cut. */
  refused = 0;

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.#target = target;
  }

  /** Starts a proxy on 127.0.0.1 (a free port) forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<CuttableProxy> {
    const server = createServer();
    const proxy = new CuttableProxy(server, target);
    server.on('connection', (socket) => proxy.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return address.port;
  }

  /** `url` (a PostgreSQL connection string) with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  /** Resets every open connection, and every new one until restore(). */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    // Resets race with data in flight; either side may report one more after the other is gone.
    client.on('error', () => undefined);
    if (this.#cut) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(this.#target);
    upstream.on('error', () => undefined);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(socket);
      socket.pipe(other);
      // A reset on one side is passed on as a reset, as a dying database server's would be.
      socket.on('error', () => other.resetAndDestroy());
      socket.on('close', () => {
        this.#sockets.delete(socket);
        other.destroy();
      });
    }
  }
}
