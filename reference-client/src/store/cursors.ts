import type { LocalDatabase } from './local-database.js';

// Cursors are opaque (PULL-2): the client never compares them, so which one is the furthest cannot be
// asked. Two kinds are kept instead. The app cursor is set by reads that cover every synced table (push
// deltas, PUSH-11, and the stream, which requests every table) and is where a push delta starts. A
// table cursor is where that table's pulls start; a complete push delta or a stream event moves every
// table cursor to its position, since such a read delivered every table up to there (PULL-14).

const APP_CURSOR_KEY = 'cursor';
const tableCursorKey = (table: string): string => `cursor:${table}`;

interface AppCursor {
  cursor: string;
  /** The tables it covers: a table added to the configuration later was not read up to it. */
  tables: string[];
}

/** Where a read left each kind of cursor, stored with the changes it delivered (one transaction). */
export interface CursorAdvance {
  readonly cursor: string;
  /** The read covered every synced table. */
  readonly app: boolean;
  /** The tables whose own cursor moves to `cursor`. */
  readonly tables: readonly string[];
}

export async function readAppCursor(db: LocalDatabase): Promise<string | undefined> {
  const kept = (await db.state.get(APP_CURSOR_KEY)) as AppCursor | undefined;
  if (kept === undefined || !db.tableNames.every((table) => kept.tables.includes(table))) return undefined;
  return kept.cursor;
}

export async function readTableCursor(db: LocalDatabase, table: string): Promise<string | undefined> {
  return (await db.state.get(tableCursorKey(table))) as string | undefined;
}

export async function writeCursors(db: LocalDatabase, advance: CursorAdvance): Promise<void> {
  if (advance.app) {
    const kept: AppCursor = { cursor: advance.cursor, tables: [...db.tableNames] };
    await db.state.put(kept, APP_CURSOR_KEY);
  }
  for (const table of advance.tables) await db.state.put(advance.cursor, tableCursorKey(table));
}

/** PULL-11: after CURSOR_RESET the app's cursors are discarded and every read starts again. */
export async function resetCursors(db: LocalDatabase): Promise<void> {
  await db.state.bulkDelete([APP_CURSOR_KEY, ...db.tableNames.map(tableCursorKey)]);
}
