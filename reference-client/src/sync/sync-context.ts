import type { ClientError } from '../errors.js';
import { isClientError } from '../errors.js';
import type { RejectedPush } from '../store/local-database.js';
import type { LocalStore } from '../store/local-store.js';
import type { ApplyResult } from '../store/server-changes.js';
import type { HttpTransport } from './http-transport.js';
import type { RetryOptions } from './retry.js';

/** What push and pull share: the store, the transport, how to retry, and where results go. */
export interface SyncContext {
  readonly store: LocalStore;
  readonly transport: HttpTransport;
  readonly retry: RetryOptions;
  /** The data schema version of the client's changes (PUSH-13); absent means 1. */
  readonly schemaVersion?: number;
  /** Called with what every applied batch of server changes did (conflicts, changed records). */
  readonly applied: (result: ApplyResult) => void;
  /** Called when a push was refused for good and set aside (ERR-10). */
  readonly rejected: (push: RejectedPush, error: ClientError) => void;
}

/** PULL-10: the server can no longer serve the cursor. */
export function isCursorReset(error: unknown): error is ClientError {
  return isClientError(error, 'SYNC_REFUSED') && error.serverError?.code === 'CURSOR_RESET';
}

/** LWW-12: the server refused a stamp of the push as too far ahead of its clock. */
export function isClockAhead(error: unknown): error is ClientError {
  return isClientError(error, 'SYNC_REFUSED') && error.serverError?.code === 'LWW_CLOCK_AHEAD';
}
