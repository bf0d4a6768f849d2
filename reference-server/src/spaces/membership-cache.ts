import { SyncError } from '../errors.js';
import { MembershipLookupError, type MembershipSource } from './membership-client.js';

/** A user's shared spaces as last answered, and when. */
interface CachedAnswer {
  readonly spaceIds: readonly string[];
  readonly fetchedAtMs: number;
}

export interface MembershipCacheOptions {
  /** At most MEMBERSHIP_MAX_STALENESS_SECONDS (SPACE-7). */
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly onLookupFailure?: (error: MembershipLookupError) => void;
}

/**
 * Memberships per user, cached for a bounded time (SPACE-7). Failures are never cached (a failed
 * lookup is not "no spaces"): they surface as 503 MEMBERSHIP_UNAVAILABLE (SPACE-10). Concurrent
 * lookups of one user share one request.
 */
export class MembershipCache {
  readonly #source: MembershipSource;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #onLookupFailure: (error: MembershipLookupError) => void;
  readonly #answers = new Map<string, CachedAnswer>();
  readonly #pending = new Map<string, Promise<readonly string[]>>();
  readonly #invalidationListeners = new Set<(userId: string) => void>();
  /** Per user, bumped by invalidate(): an answer asked for before the bump is not cached. One number per user ever invalidated (a rare, service-key-only event). */
  readonly #epochs = new Map<string, number>();
  #lastPruneMs = -Infinity;

  constructor(source: MembershipSource, options: MembershipCacheOptions) {
    this.#source = source;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#onLookupFailure = options.onLookupFailure ?? (() => undefined);
  }

  /**
   * The user's shared spaces, from a cached answer younger than the TTL unless `fresh` asks the
   * auth service again (SPACE-4 before refusing a write). Throws 503 MEMBERSHIP_UNAVAILABLE.
   */
  async spacesOf(userId: string, options: { fresh?: boolean } = {}): Promise<readonly string[]> {
    if (!options.fresh) {
      const cached = this.#answers.get(userId);
      if (cached !== undefined && this.#now() - cached.fetchedAtMs < this.#ttlMs) return cached.spaceIds;
      const pending = this.#pending.get(userId);
      if (pending !== undefined) return pending;
    }
    const lookup = this.#lookUp(userId);
    if (!options.fresh) {
      this.#pending.set(userId, lookup);
      void lookup.finally(() => this.#pending.delete(userId)).catch(() => undefined);
    }
    return lookup;
  }

  /** SPACE-9: forget the user's answer; listeners (open streams and sockets) re-evaluate theirs. */
  invalidate(userId: string): void {
    this.#answers.delete(userId);
    this.#pending.delete(userId);
    this.#epochs.set(userId, (this.#epochs.get(userId) ?? 0) + 1);
    for (const listener of this.#invalidationListeners) listener(userId);
  }

  /** Called with the user id whenever an answer is invalidated; returns the unsubscribe function. */
  onInvalidated(listener: (userId: string) => void): () => void {
    this.#invalidationListeners.add(listener);
    return () => this.#invalidationListeners.delete(listener);
  }

  async #lookUp(userId: string): Promise<readonly string[]> {
    const startedAtMs = this.#now();
    const epoch = this.#epochs.get(userId);
    let spaceIds: string[];
    try {
      spaceIds = await this.#source.spacesOf(userId);
    } catch (error) {
      if (!(error instanceof MembershipLookupError)) throw error;
      this.#onLookupFailure(error);
      throw new SyncError('MEMBERSHIP_UNAVAILABLE', 'the membership service cannot be reached; retry later', { cause: error });
    }
    this.#forgetExpired();
    // The age of an answer counts from when it was asked for, so it is never used beyond the bound.
    if (this.#epochs.get(userId) === epoch) this.#answers.set(userId, { spaceIds, fetchedAtMs: startedAtMs });
    return spaceIds;
  }

  /** Drops expired answers at most once per TTL, so the cache holds only the users active within it. */
  #forgetExpired(): void {
    const now = this.#now();
    if (now - this.#lastPruneMs < this.#ttlMs) return;
    this.#lastPruneMs = now;
    for (const [userId, answer] of this.#answers) if (now - answer.fetchedAtMs >= this.#ttlMs) this.#answers.delete(userId);
  }
}
