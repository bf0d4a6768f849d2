import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './signing-keys.js';

/** What a test may change about an otherwise valid token. */
export interface TokenOptions {
  /** Seconds from now until `exp`; null leaves `exp` out. Default 3600. */
  expiresIn?: number | null;
  /** Seconds from now for `nbf`; absent by default. */
  notBefore?: number;
  issuer?: string;
  audience?: string | string[];
  /** The `kid` header; null leaves it out. Default: the signing key's kid. */
  kid?: string | null;
  /** Extra or replaced claims (e.g. `{ sub: undefined }` is not possible: use omitSubject). */
  claims?: JWTPayload;
  omitSubject?: boolean;
}

/** Signs a token as the auth service does: EdDSA, `sub`, `iat`, `exp`, and a `kid` header. */
export async function mintToken(key: SigningKey, sub: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { ...(options.omitSubject ? {} : { sub }), email: `${sub}@example.test`, ...options.claims };
  const kid = options.kid === undefined ? key.kid : options.kid;
  let jwt = new SignJWT(payload).setProtectedHeader(kid === null ? { alg: 'EdDSA', typ: 'JWT' } : { alg: 'EdDSA', typ: 'JWT', kid }).setIssuedAt(now);
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (expiresIn !== null) jwt = jwt.setExpirationTime(now + expiresIn);
  if (options.notBefore !== undefined) jwt = jwt.setNotBefore(now + options.notBefore);
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.sign(key.privateKey);
}
