import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwksCache, type ExportedJWKSCache, type JWTVerifyGetKey } from 'jose';
import { JWKS_CACHE_MAX_AGE_SECONDS } from '../../../spec/generated/constants.js';

/** The JWKS could not be fetched and no cached key can verify the token: a temporary condition. */
export class JwksUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}

export interface JwksKeysOptions {
  readonly url: string;
  /** AUTH-8: least time between refreshes caused by unknown key ids, across all requests. */
  readonly cooldownMs: number;
  /** AUTH-9: longest time between refreshes; JWKS_CACHE_MAX_AGE_SECONDS by default. */
  readonly maxAgeMs?: number;
  readonly timeoutMs?: number;
  /** The global fetch by default, so tests can inject faults with msw. */
  readonly fetch?: typeof fetch;
}

/**
 * The auth service's keys, on jose's remote key set (refresh on an unknown kid at most once per
 * cooldown, AUTH-8; refresh when older than the maximum age, AUTH-9), plus what jose leaves out:
 * when the JWKS cannot be fetched, the keys of the last good answer keep verifying (AUTH-9), and
 * failed fetches are rate-limited by the same cooldown, so an outage or a flood of unknown kids
 * does not turn every request into a fetch (jose's cooldown counts from the last success only).
 */
export function createJwksKeys(options: JwksKeysOptions): JWTVerifyGetKey {
  const lastGood = {} as ExportedJWKSCache;
  let failedAtMs = -Infinity;
  const fetchImpl = options.fetch ?? fetch;
  const remote = createRemoteJWKSet(new URL(options.url), {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.maxAgeMs ?? JWKS_CACHE_MAX_AGE_SECONDS * 1000,
    ...(options.timeoutMs === undefined ? {} : { timeoutDuration: options.timeoutMs }),
    [jwksCache]: lastGood,
    [customFetch]: async (url, init) => {
      if (Date.now() - failedAtMs < options.cooldownMs) throw new JwksUnavailableError('the JWKS failed moments ago');
      try {
        const response = await fetchImpl(url, init);
        if (response.status !== 200) failedAtMs = Date.now();
        return response;
      } catch (error) {
        failedAtMs = Date.now();
        throw error;
      }
    },
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      // Anything else means the set could not be fetched (or parsed): fall back to the last good one.
      if (lastGood.jwks === undefined) throw new JwksUnavailableError('the JWKS cannot be fetched and no key is cached', { cause: error });
      try {
        return await createLocalJWKSet(lastGood.jwks)(header, token);
      } catch (fallbackError) {
        // A kid the cached set lacks may be a rotated key the outage hides: temporary, not "unknown".
        if (fallbackError instanceof errors.JWKSNoMatchingKey) throw new JwksUnavailableError('the JWKS cannot be fetched and the key is not cached', { cause: error });
        throw fallbackError;
      }
    }
  };
}
