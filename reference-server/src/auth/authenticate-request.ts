import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { bearerToken } from './bearer.js';
import type { TokenVerifier, VerifiedToken } from './jwt-verifier.js';

const verified = new WeakMap<FastifyRequest, VerifiedToken>();

/**
 * AUTH-1: an onRequest hook, so that authentication is checked before the media type, the size and
 * the body are (ERR-11), and a request without a valid token never has its body read.
 */
export function bearerAuthentication(verifier: TokenVerifier): onRequestAsyncHookHandler {
  return async (request) => {
    verified.set(request, await verifier.verify(bearerToken(request.headers.authorization)));
  };
}

/** The verified token of a request that passed bearerAuthentication: its `sub` is the only identity (AUTH-13). */
export function verifiedToken(request: FastifyRequest): VerifiedToken {
  const token = verified.get(request);
  if (token === undefined) throw new Error(`route ${request.routeOptions.url ?? request.url} reads the token without bearerAuthentication`);
  return token;
}
