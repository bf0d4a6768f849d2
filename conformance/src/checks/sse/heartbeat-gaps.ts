import type { ReceivedEvent, SseStream } from '../../live/sse-stream.js';

/**
 * Milliseconds from the stream's opening to its first heartbeat and between each of the next ones:
 * what SSE-6 and SSE-7 hold to a period.
 */
export function heartbeatGaps(stream: SseStream, openedAtMs: number): number[] {
  const times = stream.events.filter((event: ReceivedEvent) => event.event === 'heartbeat').map((event) => event.atMs);
  return times.map((at, index) => at - (index === 0 ? openedAtMs : times[index - 1]!));
}

export function heartbeatCount(events: readonly ReceivedEvent[]): number {
  return events.filter((event) => event.event === 'heartbeat').length;
}
