import type { Changeset } from '../../../spec/generated/types.js';
import { isClientError } from '../errors.js';
import { withRetry } from './retry.js';
import { isClockAhead, isCursorReset, type SyncContext } from './sync-context.js';

/**
 * Pushes the outbox and catches up with the server's changes through the push deltas (PUSH-11):
 * every queued change leaves in a push with a push id that a resend reuses (PUSH-10); every delta is
 * applied with its cursor; while `hasMore` is true, or changes are queued, the cycle pushes again
 * (an empty push is a valid sync request, PUSH-12). Returns once the outbox is empty and the last
 * delta was complete. A push refused because this client's clock ran ahead is stamped again from the
 * repaired clock and sent under a new push id (LWW-18), once per cycle: refused again, the wall clock
 * itself is still ahead, and the push stays queued for a later sync rather than looping or being set
 * aside.
 */
export async function pushAndCatchUp(ctx: SyncContext): Promise<void> {
  const { store, transport } = ctx;
  let clockRepaired = false;
  for (;;) {
    const batch = await store.takePushBatch();
    const since = (await store.appCursor()) ?? '';
    const body: Changeset = {
      clientId: transport.clientId,
      since,
      changes: batch?.entries.map((entry) => entry.change) ?? [],
      ...(batch === undefined ? {} : { pushId: batch.pushId }),
      ...(ctx.schemaVersion === undefined ? {} : { schemaVersion: ctx.schemaVersion }),
    };
    let response;
    try {
      response = await withRetry(() => transport.push(body, ctx.retry.signal), ctx.retry);
    } catch (error) {
      // PULL-11: start again from the beginning; the same push goes again with the same push id.
      if (isCursorReset(error) && since !== '') {
        await store.resetCursors();
        continue;
      }
      if (batch !== undefined && isClockAhead(error)) {
        if (clockRepaired) throw error;
        clockRepaired = true;
        await store.restampRefusedPush(batch);
        continue;
      }
      if (batch !== undefined && isClientError(error, 'SYNC_REFUSED')) {
        const refusal = { status: error.status, code: error.serverError?.code ?? error.code, message: error.message };
        ctx.rejected(await store.rejectPushBatch(batch, refusal), error);
      }
      throw error;
    }
    const complete = !response.hasMore;
    const result = await store.applyServerChanges(response.serverChanges, {
      advance: { cursor: response.syncedUntil, app: true, tables: complete ? store.tableNames : [] },
      ...(batch === undefined ? {} : { acknowledged: batch }),
    });
    ctx.applied(result);
    if (complete && (await store.outboxSize()) === 0) return;
  }
}
