import type { CheckContext } from '../../check-context.js';
import { TABLE } from '../../change-builders.js';
import { LIVE_ANSWER_MS } from '../../live/live-bounds.js';
import type { ReceivedEvent, SseStream } from '../../live/sse-stream.js';

/**
 * Seconds until the token of the stream expires: short, so that the check stays quick, yet long
 * enough for the stream to open with it on a loaded runner (`exp` is rounded down to a second).
 */
export const EXPIRES_IN_SECONDS = 3;

/**
 * Opens alice's stream with a token that expires in EXPIRES_IN_SECONDS and waits for the stream
 * to end (SSE-12): the way to make a server end a started stream with an error event (SSE-14).
 */
export async function expiringStream({ alice, auth, record }: CheckContext): Promise<{ stream: SseStream; errorEvents: ReceivedEvent[]; openedAtMs: number }> {
  const token = await auth.mint(alice.userId, { expiresIn: EXPIRES_IN_SECONDS });
  const openedAtMs = record.elapsedMs();
  const stream = await alice.mustOpenStream({ collections: TABLE, heartbeat: 1 }, { token });
  await stream.mustEnd({ withinMs: EXPIRES_IN_SECONDS * 1000 + LIVE_ANSWER_MS, requirement: 'SSE-12', waitingFor: 'end when its token expires' });
  return { stream, errorEvents: stream.events.filter((event) => event.event === 'error'), openedAtMs };
}
