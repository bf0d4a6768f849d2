import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { WS_MAX_MESSAGE_BYTES } from '../../../spec/generated/constants.js';
import { SyncError } from '../errors.js';
import { allowOnlyMethods } from '../http-errors.js';
import { appIdOf } from '../routes/request-parameters.js';
import type { SyncContext } from '../sync-context.js';
import { WsSession, type SessionSocket } from './ws-session.js';

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
