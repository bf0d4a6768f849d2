import { decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { JWT_CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_BYTES } from '../../../spec/generated/constants.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { SyncError } from '../errors.js';
import { unauthorized } from './bearer.js';
import { JwksUnavailableError } from './jwks-keys.js';

/** Who a verified token speaks for, and until when (SSE-12, WS-12 end streams and sockets then). */
export interface VerifiedToken {
  readonly userId: string;
  readonly expiresAtMs: number;
}

/** Verifies tokens the same way for every transport (AUTH-11): HTTP requests, SSE and in-band WebSocket auth. */
export interface TokenVerifier {
  /** The verified token; throws a 401 SyncError with the code of section 8, or 503 while keys cannot be had. */
  verify(token: string): Promise<VerifiedToken>;
}

export interface TokenVerifierOptions {
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

const validHeader = validatorFor('jwt-header');
const validClaims = validatorFor('jwt-claims');

/**
 * AUTH-2 to AUTH-10 with jose: the size first (unread, no fetch), then the header (EdDSA only, a
 * kid) before any key is looked up, then signature and claims (`exp` and `sub` required, clock
 * tolerance, issuer and audience when configured), then the claims' schema (a `sub` of 1 to 255 characters).
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return {
    async verify(token) {
      if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw unauthorized('AUTH_INVALID_TOKEN', `the token is longer than ${MAX_TOKEN_BYTES} bytes`);
      // A signature's base64url must be canonical: otherwise several token strings (differing in the
      // unused low bits of the last character) carry one signature, and a changed token still verifies.
      const signature = token.split('.')[2] ?? '';
      if (Buffer.from(signature, 'base64url').toString('base64url') !== signature) throw unauthorized('AUTH_INVALID_TOKEN', 'the token is not a JWT');
      let header: unknown;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw unauthorized('AUTH_INVALID_TOKEN', 'the token is not a JWT');
      }
      if (!validHeader(header)) throw unauthorized('AUTH_INVALID_TOKEN', 'the token must be signed with EdDSA and name its key (kid)');
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          algorithms: ['EdDSA'],
          requiredClaims: ['exp', 'sub'],
          clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
          ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
          ...(options.audience === undefined ? {} : { audience: options.audience }),
        }));
      } catch (error) {
        throw refusalOf(error);
      }
      if (!validClaims(payload)) throw unauthorized('AUTH_INVALID_TOKEN', 'the token\'s claims are invalid (sub must be 1 to 255 characters)');
      return { userId: payload.sub, expiresAtMs: payload.exp * 1000 };
    },
  };
}

function refusalOf(error: unknown): SyncError {
  if (error instanceof errors.JWTExpired) return unauthorized('AUTH_TOKEN_EXPIRED', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed') {
    return unauthorized('AUTH_TOKEN_NOT_YET_VALID', 'the token is not valid yet');
  }
  if (error instanceof errors.JWKSNoMatchingKey) return unauthorized('AUTH_UNKNOWN_KEY', 'the token\'s key is not in the auth service\'s key set');
  if (error instanceof JwksUnavailableError) {
    // Not the client's fault: retrying later works once the auth service answers (ERR-7, ERR-10).
    return new SyncError('AUTH_UNAVAILABLE', 'the auth service cannot be reached to verify the token; retry later', { cause: error });
  }
  return unauthorized('AUTH_INVALID_TOKEN', 'the token is invalid');
}
