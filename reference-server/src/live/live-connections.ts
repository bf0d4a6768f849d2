export type LiveTransport = 'sse' | 'ws';

/** One open stream or socket; close() when it ends (idempotent). */
export interface LiveConnection {
  readonly transport: LiveTransport;
  readonly userId: string;
  close(): void;
}

/**
 * The open live connections (SSE streams and WebSockets) per user: what /health and /metrics report
 * (OPS-1, OPS-3). The live transports register every connection they open.
 */
export class LiveConnections {
  readonly #open = new Set<LiveConnection>();

  open(transport: LiveTransport, userId: string): LiveConnection {
    const connection: LiveConnection = {
      transport,
      userId,
      close: () => void this.#open.delete(connection),
    };
    this.#open.add(connection);
    return connection;
  }

  count(transport?: LiveTransport): number {
    if (transport === undefined) return this.#open.size;
    let count = 0;
    for (const connection of this.#open) if (connection.transport === transport) count++;
    return count;
  }

  /** Distinct users with at least one open connection. */
  users(): number {
    return new Set([...this.#open].map((connection) => connection.userId)).size;
  }
}
