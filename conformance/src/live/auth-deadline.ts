import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { expectEqual, expectTrue } from '../assertions.js';
import { LIVE_ANSWER_MS } from './live-bounds.js';
import type { LiveSocket } from './ws-socket.js';

/** The deadline may pass this much earlier than reported, for the suite's own clock and connection time. */
const EARLY_MS = 500;

/**
 * WS-3: a socket that never authenticated is closed 1008 AUTH_TIMEOUT once `timeoutMs` (the
 * target's wsAuthTimeoutSeconds) have passed since it opened, not before. `nowMs` is the check's
 * clock now (the socket's recorder); `requirement` is what a wrong close code breaks (WS-4 for a
 * socket whose pings must not have moved the deadline).
 */
export async function mustCloseAtAuthDeadline(socket: LiveSocket, timeoutMs: number, nowMs: number, requirement: RequirementId = 'WS-3'): Promise<void> {
  const closed = await socket.mustClose({
    withinMs: Math.max(0, socket.openedAtMs + timeoutMs - nowMs) + LIVE_ANSWER_MS,
    requirement: 'WS-3',
    waitingFor: `be closed 1008 AUTH_TIMEOUT after ${timeoutMs} ms without authentication`,
  });
  expectEqual({ code: closed.code, reason: closed.reason }, { code: 1008, reason: 'AUTH_TIMEOUT' }, requirement, `the close of ${socket.channel}`);
  const afterMs = closed.atMs - socket.openedAtMs;
  expectTrue(afterMs >= timeoutMs - EARLY_MS, 'WS-3', `${socket.channel} open for the ${timeoutMs} ms the target reports`, () => `closed after ${afterMs} ms`);
}
