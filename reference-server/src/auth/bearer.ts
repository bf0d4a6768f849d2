import { SyncError } from '../errors.js';

// AUTH-1: every refusal for a missing or malformed token names the scheme the server expects.
const CHALLENGE = { 'www-authenticate': 'Bearer' };

/** 401 with the code of section 8 and `WWW-Authenticate: Bearer` (AUTH-1). */
export function unauthorized(code: 'AUTH_MISSING_TOKEN' | 'AUTH_INVALID_TOKEN' | 'AUTH_TOKEN_EXPIRED' | 'AUTH_TOKEN_NOT_YET_VALID' | 'AUTH_UNKNOWN_KEY', message: string): SyncError {
  return new SyncError(code, message, { headers: CHALLENGE });
}

/**
 * The token of an `Authorization: Bearer <token>` header (AUTH-1, AUTH-12): no header, another
 * scheme or an empty token is AUTH_MISSING_TOKEN; more than one token is AUTH_INVALID_TOKEN.
 */
export function bearerToken(header: string | undefined): string {
  const [scheme, ...tokens] = (header ?? '').trim().split(/[ \t]+/);
  if (scheme === undefined || scheme.toLowerCase() !== 'bearer') throw unauthorized('AUTH_MISSING_TOKEN', 'send Authorization: Bearer <token>');
  if (tokens.length === 0 || tokens[0] === '') throw unauthorized('AUTH_MISSING_TOKEN', 'the bearer token is empty');
  if (tokens.length > 1) throw unauthorized('AUTH_INVALID_TOKEN', 'the Authorization header holds more than one token');
  return tokens[0]!;
}
