import type { IncomingHttpHeaders } from 'node:http';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { WS_MAX_MESSAGE_BYTES } from '../../../spec/generated/constants.js';
import { SyncError } from '../errors.js';
import { allowOnlyMethods } from '../http-errors.js';
import { appIdOf, invalidParameter } from '../routes/request-parameters.js';
import type { SyncContext } from '../sync-context.js';
import { WsSession, type SessionSocket } from './ws-session.js';

const HANDSHAKE_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * The RFC 6455 handshake headers `ws` checks, checked first so that a bad handshake is answered with
 * the spec's JSON error (ERR-1) rather than `ws`'s plain-text 400.
 */
function checkHandshake(headers: IncomingHttpHeaders): void {
  if (headers.upgrade?.toLowerCase() !== 'websocket') throw invalidParameter('Upgrade', 'must be websocket');
  if (headers['sec-websocket-key'] === undefined || !HANDSHAKE_KEY.test(headers['sec-websocket-key'].trim())) throw invalidParameter('Sec-WebSocket-Key', 'must be 16 bytes in base64');
  const version = headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    throw new SyncError('REQUEST_INVALID_PARAMETER', 'Sec-WebSocket-Version must be 13', { details: { parameter: 'Sec-WebSocket-Version' }, headers: { 'sec-websocket-version': '13, 8' } });
  }
}

/**
 * GET /ws (unified) and GET /ws/{appId} (legacy), WS-1: upgraded without HTTP authentication; the
 * legacy app id is checked before the upgrade (400). Frames above WS_MAX_MESSAGE_BYTES are refused by
 * `ws` itself with 1009 before they are buffered whole (WS-7).
 */
export async function registerWsRoutes(app: FastifyInstance, context: SyncContext): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: WS_MAX_MESSAGE_BYTES },
    // `ws` has already closed the socket (1009 for an oversized frame); a peer that vanished needs nothing more.
    errorHandler: (error, socket: SessionSocket, request) => {
      request.log.debug({ err: { type: error.name, message: error.message } }, 'WebSocket error');
      socket.terminate();
    },
  });
  const sessions = new Set<WsSession>();
  // OPS-7: every socket is closed with 1001.
  context.lifecycle.onShutdown(() => {
    for (const session of sessions) session.shutDown();
  });
  const notUpgraded = (): never => {
    throw new SyncError('REQUEST_INVALID_PARAMETER', 'this endpoint is a WebSocket: send a GET with Upgrade: websocket', { details: { parameter: 'Upgrade' } });
  };
  for (const url of ['/ws', '/ws/:appId']) {
    app.route({
      method: 'GET',
      url,
      // Before the upgrade, so that a bad app id is an HTTP 400 (WS-1).
      preHandler: (request, _reply, done) => {
        try {
          if (url !== '/ws') appIdOf(request);
          if (request.ws) checkHandshake(request.headers);
          done();
        } catch (error) {
          done(error as SyncError);
        }
      },
      handler: notUpgraded,
      wsHandler: (socket: SessionSocket, request) => {
        const session = new WsSession(
          context,
          socket,
          {
            appId: url === '/ws' ? undefined : (request.params as { appId: string }).appId,
            authTimeoutMs: context.config.wsAuthTimeoutSeconds * 1000,
            pingIntervalMs: context.config.wsPingIntervalSeconds * 1000,
          },
          request.log,
        );
        sessions.add(session);
        socket.once('close', () => sessions.delete(session));
        session.start();
      },
    });
    allowOnlyMethods(app, url, ['GET']);
  }
}
