import type { ErrorObject } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { SyncError } from '../errors.js';

const validAppId = validatorFor('app-id');
const validClientId = validatorFor('client-id');

/** 400 REQUEST_INVALID_PARAMETER naming the parameter (PULL-1, PUSH-1). */
export function invalidParameter(parameter: string, message: string): SyncError {
  return new SyncError('REQUEST_INVALID_PARAMETER', `${parameter} ${message}`, { details: { parameter } });
}

/** The `appId` path segment, checked against app-id.schema.json (PUSH-1, PUSH-19). */
export function appIdOf(request: FastifyRequest): string {
  const { appId } = request.params as { appId: string };
  if (!validAppId(appId)) throw invalidParameter('appId', 'must be 1 to 64 characters of a-z, 0-9, _ and -, starting with a letter or digit');
  return appId;
}

/** The X-Client-Id header when present, checked against client-id.schema.json; a repeated header is invalid. */
export function clientIdHeader(request: FastifyRequest): string | undefined {
  const header = request.headers['x-client-id'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !validClientId(header)) throw invalidParameter('X-Client-Id', 'must be 1 to 128 printable ASCII characters');
  return header;
}

/** The query parameter a query schema refused first, for `details.parameter`. */
export function queryParameterOf(errors: readonly ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (error === undefined) return 'query';
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') return missing;
  return error.instancePath.split('/')[1] ?? 'query';
}
