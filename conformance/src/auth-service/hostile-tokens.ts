import { webcrypto } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { MAX_TOKEN_BYTES } from '../../../spec/generated/constants.js';
import type { ErrorCode } from '../../../spec/generated/error-codes.js';
import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { generateSigningKey, type SigningKey } from './signing-keys.js';
import { mintToken } from './token-minter.js';

/** A token a conforming server must refuse, with the code it must answer and the requirement. */
export interface HostileToken {
  name: string;
  description: string;
  token: string;
  expectedCode: ErrorCode;
  requirement: RequirementId;
}

const base64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token with any header, signed by an Ed25519 key over exactly that header (jose refuses to sign an `alg` it does not know). */
async function signedWithHeader(key: SigningKey, header: object, payload: string): Promise<string> {
  const input = `${base64url(header)}.${payload}`;
  const signature = await webcrypto.subtle.sign('Ed25519', key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

// The first character of a base64url signature carries six significant bits; the last one of a
// 64-byte Ed25519 signature only two, so changing it may leave the decoded bytes, and the
// signature, intact.
function flipFirstChar(part: string): string {
  return (part.startsWith('A') ? 'B' : 'A') + part.slice(1);
}

/**
 * The attack matrix of AUTH-2 to AUTH-10 against a server that trusts `key` (published in the
 * JWKS). Tokens are for `sub`, so a server that wrongly accepts one serves that user's data.
 */
export async function hostileTokens(key: SigningKey, sub: string): Promise<HostileToken[]> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await mintToken(key, sub);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const foreign = await generateSigningKey('foreign');
  const publicPem = await exportSPKI((await importJWK(key.publicJwk, 'EdDSA')) as CryptoKey);
  const ecdsa = await generateKeyPair('ES256');
  const tamperedClaims = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as object), sub: `${sub}-admin` };

  const tokens: HostileToken[] = [
    {
      name: 'alg-none',
      description: 'an unsigned token with `alg: none`',
      token: new UnsecuredJWT({ sub }).setIssuedAt(now).setExpirationTime(now + 3600).encode(),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'hs256-with-public-key',
      description: 'HS256 signed with the server’s public key (PEM) as the HMAC secret, under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256', kid: key.kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign(new TextEncoder().encode(publicPem)),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'es256',
      description: 'an ES256 token under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign(ecdsa.privateKey),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'foreign-key-real-kid',
      description: 'EdDSA signed by a key that is not in the JWKS, claiming the real kid',
      token: await mintToken(foreign, sub, { kid: key.kid }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'no-kid',
      description: 'a valid signature but no `kid` header',
      token: await mintToken(key, sub, { kid: null }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'tampered-payload',
      description: 'the payload changed after signing (sub rewritten), signature kept',
      token: `${header}.${Buffer.from(JSON.stringify(tamperedClaims)).toString('base64url')}.${signature}`,
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'tampered-signature',
      description: 'one character of the signature changed',
      token: `${header}.${payload}.${flipFirstChar(signature)}`,
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'malformed',
      description: 'a string that is not a JWT',
      token: 'not-a.jwt',
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'expired',
      description: '`exp` an hour in the past',
      token: await mintToken(key, sub, { expiresIn: -3600 }),
      expectedCode: 'AUTH_TOKEN_EXPIRED',
      requirement: 'AUTH-4',
    },
    {
      name: 'no-exp',
      description: 'no `exp` claim',
      token: await mintToken(key, sub, { expiresIn: null }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-4',
    },
    {
      name: 'not-yet-valid',
      description: '`nbf` an hour in the future',
      token: await mintToken(key, sub, { notBefore: 3600 }),
      expectedCode: 'AUTH_TOKEN_NOT_YET_VALID',
      requirement: 'AUTH-5',
    },
    {
      name: 'no-sub',
      description: 'no `sub` claim',
      token: await mintToken(key, sub, { omitSubject: true }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-6',
    },
    {
      name: 'empty-sub',
      description: '`sub` is the empty string',
      token: await mintToken(key, sub, { claims: { sub: '' } }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-6',
    },
    {
      name: 'unknown-kid',
      description: 'EdDSA signed by a key whose kid is not in the JWKS',
      token: await mintToken(foreign, sub),
      expectedCode: 'AUTH_UNKNOWN_KEY',
      requirement: 'AUTH-8',
    },
    {
      name: 'oversized',
      description: `a validly signed token longer than MAX_TOKEN_BYTES (${MAX_TOKEN_BYTES})`,
      token: await mintToken(key, sub, { claims: { padding: 'x'.repeat(MAX_TOKEN_BYTES) } }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-10',
    },
    {
      name: 'alg-none-real-kid',
      description: '`alg: none` under the real kid, with an empty signature',
      token: `${base64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${payload}.`,
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'hs256-with-raw-public-key',
      description: 'HS256 signed with the raw 32 bytes of the public key (the JWKS `x`) as the HMAC secret, under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256', kid: key.kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign(Buffer.from(String(key.publicJwk.x), 'base64url')),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'hs256-with-public-jwk',
      description: 'HS256 signed with the public JWK (its JSON text) as the HMAC secret, under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256', kid: key.kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign(new TextEncoder().encode(JSON.stringify(key.publicJwk))),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'rs256',
      description: 'an RS256 token under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign((await generateKeyPair('RS256')).privateKey),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'alg-lowercase',
      description: '`alg: eddsa` (not the registered name), validly signed by the real key',
      token: await signedWithHeader(key, { alg: 'eddsa', typ: 'JWT', kid: key.kid }, payload),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-2',
    },
    {
      name: 'embedded-jwk',
      description: 'signed by a foreign key that the token carries itself in a `jwk` header, under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, jwk: { kty: 'OKP', crv: 'Ed25519', x: String(foreign.publicJwk.x) } }).setIssuedAt(now).setExpirationTime(now + 3600).sign(foreign.privateKey),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'jku-header',
      description: 'signed by a foreign key whose set a `jku` header points to, under the real kid',
      token: await new SignJWT({ sub }).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, jku: 'http://127.0.0.1:9/jwks.json' }).setIssuedAt(now).setExpirationTime(now + 3600).sign(foreign.privateKey),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'tampered-header',
      description: 'the header changed after signing (a member added), payload and signature kept',
      token: `${base64url({ ...(JSON.parse(Buffer.from(header, 'base64url').toString()) as object), cty: 'JWT' })}.${payload}.${signature}`,
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-3',
    },
    {
      name: 'exp-not-a-number',
      description: '`exp` is the string "tomorrow"',
      token: await mintToken(key, sub, { expiresIn: null, claims: { exp: 'tomorrow' as unknown as number } }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-4',
    },
    {
      name: 'sub-too-long',
      description: '`sub` of 256 characters',
      token: await mintToken(key, sub, { claims: { sub: 's'.repeat(256) } }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-6',
    },
    {
      name: 'sub-not-a-string',
      description: '`sub` is the number 42',
      token: await mintToken(key, sub, { claims: { sub: 42 as unknown as string } }),
      expectedCode: 'AUTH_INVALID_TOKEN',
      requirement: 'AUTH-6',
    },
  ];
  return tokens;
}
