import { withRetry } from './retry.js';
import { isCursorReset, type SyncContext } from './sync-context.js';

/**
 * Pulls one table from its cursor until the server has nothing more (PULL-5: `hasMore`), applying
 * every page with the cursor it ends at, in one transaction, so a pull interrupted at any point
 * resumes without loss. After CURSOR_RESET the app's cursors are dropped and the table is read again
 * from the beginning (PULL-11).
 */
export async function pullTable(ctx: SyncContext, table: string): Promise<void> {
  const { store, transport } = ctx;
  for (;;) {
    const since = (await store.tableCursor(table)) ?? '';
    let response;
    try {
      response = await withRetry(() => transport.pull(table, since, ctx.retry.signal), ctx.retry);
    } catch (error) {
      if (isCursorReset(error) && since !== '') {
        await store.resetCursors();
        continue;
      }
      throw error;
    }
    ctx.applied(await store.applyServerChanges(response.serverChanges, { advance: { cursor: response.syncedUntil, app: false, tables: [table] } }));
    if (!response.hasMore) return;
  }
}
