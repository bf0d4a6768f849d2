import { ERROR_CODES, type ErrorCode } from '../../spec/generated/error-codes.js';
import type { ErrorBody } from '../../spec/generated/types.js';

/** Seconds a client waits before retrying a temporary refusal (ERR-7); short, since outages here are brief. */
export const RETRY_AFTER_SECONDS = 5;

/** An error code that is answered over HTTP: every code of the table with a status. */
export type HttpErrorCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends number ? C : never }[ErrorCode];

/**
 * A refusal with the spec's stable code (ERR-2). Thrown anywhere in the server and turned into the
 * spec's error body in one place (http-errors.ts), so no route builds an error response by hand.
 * The message is sent to the client: it must name no internals (ERR-8) and nothing of other users
 * (SPACE-12).
 */
export class SyncError extends Error {
  readonly code: HttpErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Extra response headers, e.g. `Allow` on 405. */
  readonly headers: Record<string, string>;

  constructor(code: HttpErrorCode, message: string, options: { details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.details = options.details;
    this.headers = { ...options.headers };
    // ERR-7: every 429 and 503 says when to come back.
    if (this.status === 429 || this.status === 503) this.headers['retry-after'] ??= String(RETRY_AFTER_SECONDS);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get requirement(): string {
    return ERROR_CODES[this.code].requirement;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

/** The spec's error body (`error.schema.json`) for a code, citing the code's requirement (ERR-3). */
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return {
    error: {
      code,
      message,
      requirement: ERROR_CODES[code].requirement,
      ...(details === undefined ? {} : { details }),
    },
  };
}
