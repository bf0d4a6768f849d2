import type { TokenVerifier } from './auth/jwt-verifier.js';
import type { ServerConfig } from './config.js';
import type { Database, DatabaseLayout } from './db/database.js';
import type { ChangeFeed } from './live/change-feed.js';
import type { LiveConnections } from './live/live-connections.js';
import type { SyncMetrics } from './metrics.js';
import type { MembershipCache } from './spaces/membership-cache.js';

/** Whether the server is shutting down (OPS-7), and who must hear when it starts to. */
export interface Lifecycle {
  readonly shuttingDown: boolean;
  /** Called once when shutdown begins (the live transports end their streams and sockets). */
  onShutdown(listener: () => void | Promise<void>): void;
}

/** Everything a route needs, built once per server instance (tests run several in one process). */
export interface SyncContext {
  readonly config: ServerConfig;
  readonly db: Database;
  readonly layout: DatabaseLayout;
  readonly verifier: TokenVerifier;
  readonly memberships: MembershipCache;
  readonly feed: ChangeFeed;
  readonly connections: LiveConnections;
  readonly metrics: SyncMetrics;
  readonly lifecycle: Lifecycle;
  /** The implementation's version, reported by /health. */
  readonly version: string;
}
