import { SSE_EVENT_MAX_CHANGES, SSE_MAX_BUFFERED_BYTES, SSE_RETRY_MS } from '../../../spec/generated/constants.js';
import type { ErrorCode } from '../../../spec/generated/error-codes.js';
import type { ServerChange, SseChangesEvent } from '../../../spec/generated/types.js';
import { errorBody } from '../errors.js';
import type { Delta } from '../sync/delta.js';

/** One event as written to the stream, in one piece (SSE-14: never split or interleaved). */
export interface SseEvent {
  readonly text: string;
  /** The resume position it carries (SSE-4); undefined for heartbeats and errors. */
  readonly id: string | undefined;
}

/**
 * Events are also cut by size, so that several fit within a stream's bound of unsent data (SSE-10);
 * a single change larger than this travels alone.
 */
const EVENT_BUDGET_BYTES = SSE_MAX_BUFFERED_BYTES / 4;

/** SSE-11: the first field of every stream. */
export const RETRY_FIELD = `retry: ${SSE_RETRY_MS}\n\n`;

/** SSE-6: the data is one JSON line, so the event is never split across `data:` lines. */
export const HEARTBEAT_EVENT: SseEvent = { text: 'event: heartbeat\ndata: {}\n\n', id: undefined };

/** SSE-12, SSE-14: an `error` event carrying the spec's error body, without an id. */
export function errorEvent(code: ErrorCode, message: string): SseEvent {
  return { text: `event: error\ndata: ${JSON.stringify(errorBody(code, message))}\n\n`, id: undefined };
}

/**
 * SSE-3, SSE-4: the `changes` events of one read, in log order: one event per run of consecutive
 * changes of one table (cut at SSE_EVENT_MAX_CHANGES changes and at a size budget), each with the
 * cursor after its last change as id and `syncedUntil`. The
 * read's last event carries the read's own cursor (which may lie further, at the horizon), so a
 * stream resumed from it does not re-evaluate what the read already covered. `hasMore` is true while
 * the backlog of the event's table is not finished: the read was a full page, or a later run of the
 * same read holds the same table.
 */
export function changesEvents(delta: Delta): SseEvent[] {
  const runs: Array<{ table: string; from: number; to: number; bytes: number }> = [];
  delta.serverChanges.forEach((change, index) => {
    const bytes = Buffer.byteLength(JSON.stringify(change));
    const last = runs.at(-1);
    if (last !== undefined && last.table === change.table && last.to - last.from < SSE_EVENT_MAX_CHANGES && last.bytes + bytes <= EVENT_BUDGET_BYTES) {
      last.to = index + 1;
      last.bytes += bytes;
    } else {
      runs.push({ table: change.table, from: index, to: index + 1, bytes });
    }
  });
  return runs.map((run, runIndex) => {
    const isLast = runIndex === runs.length - 1;
    const id = isLast ? delta.syncedUntil : delta.cursors[run.to - 1]!;
    const data: SseChangesEvent = {
      table: run.table,
      changes: delta.serverChanges.slice(run.from, run.to) as [ServerChange, ...ServerChange[]],
      syncedUntil: id,
      hasMore: delta.hasMore || runs.slice(runIndex + 1).some((later) => later.table === run.table),
    };
    return { text: `event: changes\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`, id };
  });
}
