// BACKUP-13: what a reader accepts, counted on the bytes it actually produces, never on the sizes an
// archive declares, so that a lying header cannot make it inflate more than the limits.
import {
  BACKUP_MAX_COMPRESSION_RATIO,
  BACKUP_MAX_ENTRIES,
  BACKUP_MAX_INFLATED_BYTES,
  BACKUP_MAX_MANIFEST_BYTES,
  BACKUP_RATIO_CHECK_MIN_BYTES,
} from '../../../spec/generated/constants.js';
import { BackupLimitExceededError, type LimitExceeded } from './backup-errors.js';

export interface BackupLimits {
  /** Most entries in one ZIP (the outer one, and the inner one of a sealed archive). */
  readonly maxEntries: number;
  /** Most bytes inflated from deflated entries, outer and inner ZIP together. */
  readonly maxInflatedBytes: number;
  /** Largest `manifest.json`. */
  readonly maxManifestBytes: number;
  /** Highest ratio of inflated bytes to the compressed bytes consumed so far, for a large entry. */
  readonly maxCompressionRatio: number;
  /** Inflated size of an entry from which the ratio limit applies. */
  readonly ratioCheckMinBytes: number;
}

/** The spec's limits; tests may lower them through options, the defaults never change. */
export const DEFAULT_BACKUP_LIMITS: BackupLimits = {
  maxEntries: BACKUP_MAX_ENTRIES,
  maxInflatedBytes: BACKUP_MAX_INFLATED_BYTES,
  maxManifestBytes: BACKUP_MAX_MANIFEST_BYTES,
  maxCompressionRatio: BACKUP_MAX_COMPRESSION_RATIO,
  ratioCheckMinBytes: BACKUP_RATIO_CHECK_MIN_BYTES,
};

/** The inflation budget of one archive read, shared by the outer and the inner ZIP. */
export class InflateBudget {
  #inflated = 0;

  constructor(readonly limits: BackupLimits) {}

  get inflatedBytes(): number {
    return this.#inflated;
  }

  exceeded(limit: LimitExceeded['limit'], detail: string): BackupLimitExceededError {
    return new BackupLimitExceededError(detail, { limit, inflatedBytes: this.#inflated });
  }

  /** Counts `bytes` more inflated bytes; throws as soon as the total is over the limit. */
  spend(bytes: number, where: string): void {
    this.#inflated += bytes;
    if (this.#inflated > this.limits.maxInflatedBytes) {
      throw this.exceeded('maxInflatedBytes', `more than ${this.limits.maxInflatedBytes} bytes inflated, the last from ${where}`);
    }
  }
}
