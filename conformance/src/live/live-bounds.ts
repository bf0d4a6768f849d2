import { LIVE_MAX_DELAY_SECONDS, SSE_HEARTBEAT_SECONDS } from '../../../spec/generated/constants.js';
import type { HealthLimits } from '../../../spec/generated/types.js';

/**
 * How long a check waits for a live delivery before calling it missing: the spec's bound
 * (LIVE_MAX_DELAY_SECONDS) plus a second for the suite's own scheduling.
 */
export const LIVE_DELIVERY_MS = LIVE_MAX_DELAY_SECONDS * 1000 + 1000;

/**
 * How long a check gives a server to answer on an open stream or socket (a pong, an error, a close).
 * Only a failure bound, so generous: on a loaded 2-core runner both the server's and the suite's
 * event loops fall seconds behind, and a close also needs the suite to read the closing handshake.
 * Seen here: an error sent at once and its close completing after more than 3 s at load 15.
 */
export const LIVE_ANSWER_MS = 10_000;

/** How long a stream may stay silent before a heartbeat is missing: the period the target reports, plus a second. */
export function heartbeatWithinMs(limits: HealthLimits | undefined): number {
  return (limits?.sseHeartbeatSeconds ?? SSE_HEARTBEAT_SECONDS) * 1000 + 1000;
}
