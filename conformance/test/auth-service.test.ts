import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES } from '../../spec/generated/constants.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import { startAuthService, type AuthService } from '../src/auth-service/auth-service.js';
import { hostileTokens } from '../src/auth-service/hostile-tokens.js';

let auth: AuthService;
beforeAll(async () => {
  auth = await startAuthService();
});
afterAll(() => auth.close());

async function memberships(userId: string, serviceKey = auth.serviceKey): Promise<Response> {
  return fetch(`${auth.url}/api/v1/internal/users/${encodeURIComponent(userId)}/memberships`, { headers: { 'x-service-key': serviceKey } });
}

/** A verifier that does what AUTH-2..AUTH-10 demand, to prove the suite's tokens mean what they say. */
async function verifyAsSpecified(token: string): Promise<string> {
  if (token.length > MAX_TOKEN_BYTES) throw new Error('too large');
  if (!decodeProtectedHeader(token).kid) throw new Error('no kid');
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(auth.jwksUrl), { cooldownDuration: 0 }), {
    algorithms: ['EdDSA'],
    requiredClaims: ['exp', 'sub'],
  });
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) throw new Error('bad sub');
  return payload.sub;
}

describe('the suite’s auth service', () => {
  it('AUTH-3 publishes its Ed25519 keys as a JWKS matching jwks.schema.json and counts fetches', async () => {
    const before = auth.jwksFetches;
    const response = await fetch(auth.jwksUrl);
    expect(response.status).toBe(200);
    const jwks: unknown = await response.json();
    expect(validatorFor('jwks')(jwks)).toBe(true);
    expect(auth.jwksFetches).toBe(before + 1);
  });

  it('AUTH-3 mints tokens whose header and claims match the schemas and that verify against the JWKS', async () => {
    const token = await auth.mint('u-alice');
    expect(validatorFor('jwt-header')(decodeProtectedHeader(token))).toBe(true);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(auth.jwksUrl)), { algorithms: ['EdDSA'] });
    expect(validatorFor('jwt-claims')(payload)).toBe(true);
    expect(payload.sub).toBe('u-alice');
  });

  it('AUTH-8 a rotated key is published beside the old one, and unpublished keys disappear', async () => {
    const old = auth.signingKey;
    const rotated = await auth.rotateKey();
    const kids = async () => ((await (await fetch(auth.jwksUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(await kids()).toEqual([old.kid, rotated.kid]);
    expect(decodeProtectedHeader(await auth.mint('u-alice')).kid).toBe(rotated.kid);
    auth.unpublishKey(rotated.kid);
    expect(await kids()).toEqual([old.kid]);
  });

  it('AUTH-2..AUTH-10 every hostile token is refused by a verifier that follows the spec, and a valid one is not', async () => {
    expect(await verifyAsSpecified(await auth.mint('u-alice'))).toBe('u-alice');
    const tokens = await hostileTokens(auth.signingKey, 'u-alice');
    expect(new Set(tokens.map((t) => t.requirement))).toEqual(new Set(['AUTH-2', 'AUTH-3', 'AUTH-4', 'AUTH-5', 'AUTH-6', 'AUTH-8', 'AUTH-10']));
    for (const hostile of tokens) {
      await expect(verifyAsSpecified(hostile.token), hostile.name).rejects.toThrow();
    }
  });

  it('SPACE-6 answers memberships per memberships.schema.json, only with the service key, as granted and revoked', async () => {
    expect((await memberships('u-bob', 'wrong-key')).status).toBe(401);
    auth.grant('u-bob', 'org-family', 'owner');
    auth.grant('u-bob', 'org-work');
    const answer: unknown = await (await memberships('u-bob')).json();
    expect(validatorFor('memberships')(answer)).toBe(true);
    expect(answer).toEqual({ userId: 'u-bob', memberships: [{ organizationId: 'org-family', role: 'owner' }, { organizationId: 'org-work', role: 'member' }] });
    auth.revoke('u-bob', 'org-family');
    expect(auth.spacesOf('u-bob')).toEqual(['org-work']);
    expect(auth.membershipLookups.filter((l) => l.userId === 'u-bob').map((l) => l.serviceKeyValid)).toEqual([false, true]);
  });

  it('SPACE-10 the memberships endpoint can fail, hang and answer nonsense on demand', async () => {
    auth.setMembershipsMode('down');
    expect((await memberships('u-carol')).status).toBe(503);
    auth.setMembershipsMode('invalid');
    expect(validatorFor('memberships')(await (await memberships('u-carol')).json())).toBe(false);
    auth.setMembershipsMode('hang');
    const pending = memberships('u-carol');
    await expect(Promise.race([pending.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 200, 'hanging'))])).resolves.toBe('hanging');
    auth.setMembershipsMode('up');
    expect((await pending).status).toBe(503);
    expect((await memberships('u-carol')).status).toBe(200);
  });

  it('AUTH-9 the JWKS endpoint can be taken down and brought back', async () => {
    auth.setJwksAvailable(false);
    expect((await fetch(auth.jwksUrl)).status).toBe(503);
    auth.setJwksAvailable(true);
    expect((await fetch(auth.jwksUrl)).status).toBe(200);
  });
});
