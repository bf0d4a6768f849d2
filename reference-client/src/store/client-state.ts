import { HybridLogicalClock, type HlcTimestamp, type WallClock } from '../clock/hybrid-logical-clock.js';
import type { LocalDatabase } from './local-database.js';

const CLOCK_KEY = 'hlc';
const CLIENT_ID_KEY = 'clientId';

/**
 * The clock as persisted. Read and written inside the transaction of every write, so that writes of
 * several tabs on one database, and writes after a reload, continue above every stamp issued (LWW-7).
 */
export async function loadClock(db: LocalDatabase, wallClock: WallClock): Promise<HybridLogicalClock> {
  const state = (await db.state.get(CLOCK_KEY)) as HlcTimestamp | undefined;
  return new HybridLogicalClock(wallClock, state);
}

export async function saveClock(db: LocalDatabase, clock: HybridLogicalClock): Promise<void> {
  await db.state.put(clock.state, CLOCK_KEY);
}

/** The client id of this installation: the one asked for, else the one kept, else a new UUID. */
export async function loadClientId(db: LocalDatabase, requested: string | undefined): Promise<string> {
  return db.dexie.transaction('rw', db.state, async () => {
    const kept = (await db.state.get(CLIENT_ID_KEY)) as string | undefined;
    const clientId = requested ?? kept ?? crypto.randomUUID();
    if (clientId !== kept) await db.state.put(clientId, CLIENT_ID_KEY);
    return clientId;
  });
}
