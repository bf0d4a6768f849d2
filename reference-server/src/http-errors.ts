import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { MAX_TOKEN_BYTES } from '../../spec/generated/constants.js';
import type { ErrorCode } from '../../spec/generated/error-codes.js';
import { isStoreUnavailable } from './db/store-errors.js';
import { SyncError } from './errors.js';

/**
 * The one place where errors become HTTP responses (ERR-1, ERR-2): SyncErrors as they are, the
 * errors fastify raises itself (body size, media type, malformed URL) mapped to the spec's codes, a
 * database that cannot be reached as 503 STORE_UNAVAILABLE (OPS-8), and anything else as a generic
 * 500 INTERNAL_ERROR whose details only reach the log (ERR-8).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | SyncError, request, reply) => {
    const refusal = error instanceof SyncError ? error : fromFastify(error);
    if (refusal !== undefined) return sendError(reply, refusal);
    if (isStoreUnavailable(error)) {
      request.log.warn({ err: loggable(error) }, 'the database cannot be reached');
      return sendError(reply, new SyncError('STORE_UNAVAILABLE', 'the database cannot be reached; retry later'));
    }
    request.log.error({ err: loggable(error) }, 'request failed unexpectedly');
    return sendError(reply, new SyncError('INTERNAL_ERROR', 'the server failed unexpectedly'));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new SyncError('ROUTE_NOT_FOUND', 'no such endpoint')));
}

export function sendError(reply: FastifyReply, error: SyncError): FastifyReply {
  // A refused upgrade request's socket has left the HTTP server, and @fastify/websocket closes it only
  // after answers of routes it wraps: closed here, a 404 or a malformed URL does not leave it open.
  if (reply.request.headers.upgrade !== undefined) reply.raw.once('finish', () => reply.request.raw.socket.destroy());
  return reply.code(error.status).headers(error.headers).type('application/json; charset=utf-8').send(error.toBody());
}

/**
 * ERR-6: every method fastify knows, other than the endpoint's own (and OPTIONS, which CORS answers),
 * is answered 405 with `Allow`. HEAD comes with GET.
 */
export function allowOnlyMethods(app: FastifyInstance, url: string, methods: ReadonlyArray<'GET' | 'POST'>): void {
  const allowed = new Set<string>(methods.includes('GET') ? [...methods, 'HEAD'] : methods);
  const allow = [...allowed, 'OPTIONS'].join(', ');
  const others = app.supportedMethods.filter((method) => !allowed.has(method) && method !== 'OPTIONS');
  const refuse = () => Promise.reject(new SyncError('METHOD_NOT_ALLOWED', `this endpoint allows ${allow}`, { headers: { allow } }));
  // In onRequest: before the body is parsed, so that a PUT with another media type is a 405, not a
  // 415 (ERR-11), and before @fastify/websocket's handler, which answers a request carrying Upgrade
  // headers with `ws`'s plain-text 405 (ERR-1).
  app.route({ method: others, url, onRequest: refuse, handler: refuse });
}

/**
 * Errors fastify raises before a route runs (a path whose percent-encoding does not decode), which
 * bypass the error handler: the spec's 400 rather than fastify's own body (ERR-1, ERR-4).
 */
export function answerFrameworkError(error: FastifyError, _request: unknown, reply: unknown): void {
  sendError(reply as FastifyReply, fromFastify(error) ?? new SyncError('REQUEST_INVALID_PARAMETER', 'the request is malformed'));
}

/**
 * Requests node:http cannot parse (headers beyond its size limit, malformed HTTP) never reach
 * fastify: they are answered here with the spec's error body (ERR-1) instead of fastify's, then the
 * connection is closed. An Authorization header that overflowed holds a token longer than
 * MAX_TOKEN_BYTES: 401 AUTH_INVALID_TOKEN as AUTH-10 wants; anything else is a 400.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) return void socket.destroy(error);
  const refusal = oversizedAuthorization(error) ? new SyncError('AUTH_INVALID_TOKEN', `the token is longer than ${MAX_TOKEN_BYTES} bytes`, { headers: { 'www-authenticate': 'Bearer' } }) : new SyncError('REQUEST_INVALID_PARAMETER', 'the request line or headers are malformed or too large');
  const body = JSON.stringify(refusal.toBody());
  const headers = { ...refusal.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  // Closed once written, as fastify's own handler does: the parser cannot go on with this connection.
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}

function oversizedAuthorization(error: ConnectionError): boolean {
  // node:http hands over the bytes it read as a Buffer (fastify's type says otherwise).
  const packet: unknown = error.rawPacket;
  if (error.code !== 'HPE_HEADER_OVERFLOW' || !Buffer.isBuffer(packet)) return false;
  const match = /\r\nauthorization:[ \t]*([^\r\n]*)/i.exec(packet.toString('latin1'));
  return match !== null && match[1]!.replace(/^bearer[ \t]+/i, '').length > MAX_TOKEN_BYTES;
}

const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode & SyncError['code']; message: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the body must be application/json' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the body must be application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'REQUEST_TOO_LARGE', message: 'the body is larger than the server accepts' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'REQUEST_INVALID_JSON', message: 'the body does not match its Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST_INVALID_JSON', message: 'the body is empty' },
  FST_ERR_BAD_URL: { code: 'REQUEST_INVALID_PARAMETER', message: 'the URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'REQUEST_INVALID_PARAMETER', message: 'the request is malformed' },
};

function fromFastify(error: FastifyError): SyncError | undefined {
  const known = FASTIFY_CODES[error.code];
  if (known !== undefined) return new SyncError(known.code, known.message);
  // Any other client error fastify detects is bad input, never a 5xx (ERR-4).
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new SyncError('REQUEST_INVALID_PARAMETER', 'the request is malformed');
  }
  return undefined;
}

/** What of an unexpected error may be logged: never a token, a value or SQL parameters (AUTH-14). */
function loggable(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, routine } = error as { code?: unknown; routine?: unknown };
  // A database error's message may quote the value it could not take: keep only its codes.
  if (typeof routine === 'string') return { type: error.name, code, routine };
  return { type: error.name, message: error.message, code, stack: error.stack };
}
