import type { ErrorCode } from '../../../../spec/generated/error-codes.js';
import type { RequirementId } from '../../../../spec/src/requirement-index.js';
import { expectEqual } from '../../assertions.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';
import type { LiveSocket } from '../../live/ws-socket.js';

/**
 * The server must answer with a ws-error of `code`, then close the socket with `closeCode` and the
 * error code as reason (WS-2, WS-5): resolves once it has, failing `requirement` otherwise.
 */
export async function expectSocketRefusal(socket: LiveSocket, code: ErrorCode, closeCode: number, requirement: RequirementId): Promise<void> {
  const closed = await socket.mustClose({ withinMs: LIVE_ANSWER_MS, requirement, waitingFor: `be closed ${closeCode} ${code}` });
  expectEqual(socket.ofType('error').map((message) => message.code), [code], requirement, 'the codes of the error messages before the close');
  expectEqual({ code: closed.code, reason: closed.reason }, { code: closeCode, reason: code }, requirement, 'the close code and reason');
}
