import { importVaultKey } from '../../src/crypto/vault-key.js';
import type { CryptoKey } from '../../src/crypto/crypto-key.js';

/** A fresh random vault key: one per simulated account. */
export function randomVaultKey(): Promise<CryptoKey> {
  return importVaultKey(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}
