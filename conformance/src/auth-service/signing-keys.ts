import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** One Ed25519 key pair of the auth service, with the `kid` it is published under. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let counter = 0;

/** A fresh Ed25519 key pair; the kid is unique within this process and says when it was made. */
export async function generateSigningKey(prefix = 'suite'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, privateKey, publicJwk };
}
