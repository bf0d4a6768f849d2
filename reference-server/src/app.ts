import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../../spec/generated/constants.js';
import { createJwksKeys } from './auth/jwks-keys.js';
import { createTokenVerifier, type TokenVerifier } from './auth/jwt-verifier.js';
import type { ServerConfig } from './config.js';
import type { Database, DatabaseLayout } from './db/database.js';
import { openDatabase, prepareDatabase } from './db/open-database.js';
import { SyncError } from './errors.js';
import { answerClientError, answerFrameworkError, installErrorHandling, sendError } from './http-errors.js';
import { ChangeFeed } from './live/change-feed.js';
import { LiveConnections } from './live/live-connections.js';
import { registerSseRoute } from './live/sse-route.js';
import { registerWsRoutes } from './live/ws-route.js';
import { createMetrics } from './metrics.js';
import { parseJsonBody } from './push/json-body.js';
import { registerHealthRoute } from './routes/health-route.js';
import { registerMembershipInvalidateRoute } from './routes/membership-invalidate-route.js';
import { registerMetricsRoute } from './routes/metrics-route.js';
import { registerPullRoute } from './routes/pull-route.js';
import { registerPushRoute } from './routes/push-route.js';
import { createMembershipClient } from './spaces/membership-client.js';
import { MembershipCache } from './spaces/membership-cache.js';
import type { Lifecycle, SyncContext } from './sync-context.js';

/** The largest refused body the server reads to its end so that the client gets the refusal (PUSH-14). */
const DRAINED_BODY_BYTES = 2 * MAX_BODY_BYTES;
/** How long a refused body may take to arrive before the connection is cut. */
const DRAIN_TIMEOUT_MS = 10_000;

/** What a server can be given instead of building it from its configuration (tests give a database and a fetch). */
export interface ServerDeps {
  /** A database to use (and not close); opened from `config.database` when absent. */
  readonly database?: Database;
  /** For the JWKS and membership requests; the global fetch when absent (so msw can intercept). */
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
  /** A token verifier other than the JWKS one of the configuration. */
  readonly verifier?: TokenVerifier;
}

export interface SyncServer {
  readonly app: FastifyInstance;
  readonly context: SyncContext;
  /** Listens on the configured host and port (0: any free port); resolves to the base URL. */
  listen(): Promise<string>;
  /**
   * OPS-7: refuses new requests with 503 SHUTTING_DOWN, lets the requests in progress (pushes
   * included) finish, tells the live transports to end, then closes the database if it opened it.
   */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A logger that never writes tokens or the service key (AUTH-14). */
export function createLogger(config: Pick<ServerConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-service-key"]', '*.token', '*.serviceKey'], censor: '[redacted]' },
  });
}

/** Builds the server: database ready (migrated, RLS proven), routes registered, not yet listening. */
export async function buildServer(config: ServerConfig, deps: ServerDeps = {}): Promise<SyncServer> {
  const logger = deps.logger ?? createLogger(config);
  const layout: DatabaseLayout = { schema: config.databaseSchema, appRole: config.databaseAppRole };
  const ownsDatabase = deps.database === undefined;
  const db = deps.database ?? (await openDatabase(config.database, layout));
  if (!ownsDatabase) await prepareDatabase(db, layout);
  logger.info({ database: db.kind, schema: layout.schema }, `storage: ${db.description}`);

  const shutdownListeners: Array<() => void | Promise<void>> = [];
  let shuttingDown = false;
  const lifecycle: Lifecycle = {
    get shuttingDown() {
      return shuttingDown;
    },
    onShutdown: (listener) => void shutdownListeners.push(listener),
  };
  const connections = new LiveConnections();
  const context: SyncContext = {
    config,
    db,
    layout,
    verifier:
      deps.verifier ??
      createTokenVerifier({
        keys: createJwksKeys({ url: config.jwksUrl, cooldownMs: config.jwksRefreshCooldownSeconds * 1000, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
      }),
    memberships: new MembershipCache(
      createMembershipClient({ authUrl: config.manaAuthUrl, serviceKey: config.manaServiceKey, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
      {
        ttlMs: config.membershipCacheTtlSeconds * 1000,
        onLookupFailure: (error) => logger.warn({ reason: error.message }, 'membership lookup failed'),
      },
    ),
    feed: new ChangeFeed((error) => logger.error({ err: error }, 'a change feed listener failed')),
    connections,
    metrics: createMetrics(connections),
    lifecycle,
    version: VERSION,
  };

  // Typed as fastify's logger, so that the instance has the type every route module takes.
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    bodyLimit: MAX_BODY_BYTES,
    // Our own 503 SHUTTING_DOWN below, with the spec's body, instead of fastify's.
    return503OnClosing: false,
    // Long enough that an over-long user id or app id reaches its schema check (400), not a 404.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  installErrorHandling(app);
  await app.register(cors, {
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Client-Id', 'Last-Event-ID'],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate'],
    // A bare OPTIONS is answered 204 rather than with the plugin's plain-text 400 (ERR-1).
    strictPreflight: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    // OPS-7: /health keeps answering (with status "unavailable") so that load balancers see the drain.
    if (shuttingDown && request.routeOptions.url !== '/health') {
      return sendError(reply.header('connection', 'close'), new SyncError('SHUTTING_DOWN', 'the server is shutting down; retry later'));
    }
    // ERR-11: an unknown endpoint is the first answer, before the body's media type or size is looked at.
    if (request.is404) return sendError(reply, new SyncError('ROUTE_NOT_FOUND', 'no such endpoint'));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // PUSH-14, ERR-11: a refusal decided before the body was read (413 from the Content-Length,
    // 404/405 in onRequest) is sent at once, but the connection is not closed with the body unread:
    // that resets it, and the reset discards the answer on the client's side, so fetch reports EPIPE
    // instead of the refusal. The connection is kept (even if the request asked for close) and
    // node:http discards the rest of the body; bodies declared far beyond the limit, and clients that
    // stop sending before their declared length (a bounded wait), are still cut off.
    const declared = Number(request.headers['content-length']);
    if (reply.statusCode >= 400 && !request.raw.complete && declared <= DRAINED_BODY_BYTES) {
      reply.removeHeader('connection');
      reply.raw.shouldKeepAlive = true;
      cutOffUnlessDrained(request.raw, DRAIN_TIMEOUT_MS);
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    context.metrics.requestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  registerPushRoute(app, context);
  registerPullRoute(app, context);
  registerSseRoute(app, context);
  await registerWsRoutes(app, context);
  registerHealthRoute(app, context);
  registerMetricsRoute(app, context);
  registerMembershipInvalidateRoute(app, context);
  if (ownsDatabase) app.addHook('onClose', async () => db.close());

  let closing: Promise<void> | undefined;
  return {
    app,
    context,
    async listen() {
      return app.listen({ port: config.port, host: config.host });
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await Promise.allSettled(shutdownListeners.map(async (listener) => listener()));
        await app.close();
      })();
      return closing;
    },
  };
}

/** Cuts the connection if the rest of a refused body has not arrived within `timeoutMs`. */
function cutOffUnlessDrained(body: IncomingMessage, timeoutMs: number): void {
  const socket = body.socket;
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  timer.unref();
  // The socket outlives the request (keep-alive): its listener goes with the request's end, so that
  // many refusals on one connection do not pile listeners up on it.
  const stop = (): void => {
    clearTimeout(timer);
    body.off('end', stop);
    socket.off('close', stop);
  };
  body.once('end', stop);
  socket.once('close', stop);
}
