import { ERROR_CODES, type ErrorCode } from '../../../spec/generated/error-codes.js';
import type { RequirementId } from '../../../spec/src/requirement-index.js';

/** Which endpoint a bad request is aimed at (section 2 to 5, and the rest of section 9/10). */
export type Endpoint = 'push' | 'pull' | 'stream' | 'ws-upgrade' | 'other';

/**
 * One piece of a request body. Bodies stay small and printable in a failure report: a 10 MiB body
 * is `{ fillTo }`, a deep nesting `{ repeat }`, invalid UTF-8 `{ bytes }`; only `bodyOf` builds them.
 */
export type BodyPiece = string | { readonly bytes: readonly number[] } | { readonly repeat: string; readonly times: number } | { readonly fillTo: number };

/** The refusal the spec fixes for a bad request. */
export interface ExpectedRefusal {
  /** Acceptable codes (their status is the error table's); `any-4xx`: any code whose status is 4xx. */
  readonly codes: readonly ErrorCode[] | 'any-4xx';
  /** The requirement that fixes the answer; ERR-11 when a later fault is masked by an earlier one. */
  readonly requirement: RequirementId;
  /** `details.index` the answer must name (PUSH-3, PUSH-4). */
  readonly index?: number;
}

/** A request a conforming server must refuse with a 4xx, as data, so that fast-check can print and shrink it. */
export interface BadRequest {
  readonly endpoint: Endpoint;
  /** What is wrong, the deciding fault first; later ones are masked by it (ERR-11). */
  readonly faults: readonly string[];
  readonly method: string;
  /** Path and query as sent on the wire (never normalized); `{app}` stands for the app under test. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the user's valid bearer token is sent. */
  readonly bearer: boolean;
  readonly body?: readonly BodyPiece[];
  readonly expected: ExpectedRefusal;
}

export const APP_PLACEHOLDER = '{app}';

/** The X-Client-Id of bad requests; the probe that looks for stored changes reads as another device. */
export const BAD_REQUEST_CLIENT_ID = 'malformed-device';

function pieceBytes(piece: Exclude<BodyPiece, { fillTo: number }>): Buffer {
  if (typeof piece === 'string') return Buffer.from(piece, 'utf8');
  if ('bytes' in piece) return Buffer.from(piece.bytes);
  return Buffer.from(piece.repeat.repeat(piece.times), 'utf8');
}

/** The body's bytes; a `{ fillTo }` piece is as many `x` as make the whole body `fillTo` bytes long. */
export function bodyOf(request: Pick<BadRequest, 'body'>): Buffer | undefined {
  if (request.body === undefined) return undefined;
  const fixed = request.body.map((piece) => (typeof piece === 'object' && 'fillTo' in piece ? undefined : pieceBytes(piece)));
  const fixedLength = fixed.reduce((sum, bytes) => sum + (bytes?.length ?? 0), 0);
  return Buffer.concat(
    request.body.map((piece, i) => {
      if (typeof piece === 'object' && 'fillTo' in piece) return Buffer.alloc(Math.max(piece.fillTo - fixedLength, 0), 'x');
      return fixed[i]!;
    }),
  );
}

export function describeExpected(expected: ExpectedRefusal): string {
  const codes = expected.codes === 'any-4xx' ? 'a 4xx with any code of the error table' : expected.codes.map((code) => `${ERROR_CODES[code].status} ${code}`).join(' or ');
  return `${codes}${expected.index === undefined ? '' : ` with details.index ${expected.index}`} (${expected.requirement})`;
}

/** One line: what is sent, what is wrong with it, and what the spec wants back. */
export function describeBadRequest(request: BadRequest): string {
  const target = request.target.length > 160 ? `${request.target.slice(0, 160)}…(${request.target.length} chars)` : request.target;
  return `${request.method} ${target} [${request.faults.join('; ')}] → ${describeExpected(request.expected)}`;
}
