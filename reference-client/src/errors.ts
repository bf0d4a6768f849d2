import type { ErrorInfo } from '../../spec/generated/types.js';

// Every failure the client reports carries one of these codes, so an application decides by code
// (as ERR-10 asks of the client itself), never by message text.
export const CLIENT_ERROR_CODES = {
  CLIENT_INVALID_CONFIG: 'the client configuration cannot be used',
  CLIENT_UNKNOWN_TABLE: 'the table is not declared in the client configuration',
  CLIENT_INVALID_WRITE: 'a local write that the protocol cannot carry',
  CLIENT_RECORD_NOT_FOUND: 'the record does not exist in the local store',
  CLIENT_SPACE_MISMATCH: 'a record stays in its space (SPACE-5)',
  SYNC_NETWORK: 'the server could not be reached',
  SYNC_SERVER_UNAVAILABLE: 'the server answered with a temporary failure',
  SYNC_REFUSED: 'the server refused the request',
  SYNC_INVALID_RESPONSE: 'the server answered with a message that does not match the spec',
  SYNC_STOPPED: 'the client was stopped',
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;

export interface ClientErrorOptions {
  /** HTTP status of a server answer. */
  status?: number;
  /** The server's error body (`error.schema.json`), when it sent one. */
  serverError?: ErrorInfo;
  /** Whether sending the same request again may succeed (ERR-10). */
  retryable?: boolean;
  /** Milliseconds the server asked the client to wait (`Retry-After`, ERR-7). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  readonly status: number | undefined;
  readonly serverError: ErrorInfo | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: ClientErrorCode, detail: string, options: ClientErrorOptions = {}) {
    super(`${CLIENT_ERROR_CODES[code]}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.serverError = options.serverError;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isClientError(error: unknown, code?: ClientErrorCode): error is ClientError {
  return error instanceof ClientError && (code === undefined || error.code === code);
}
