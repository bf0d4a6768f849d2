import { HybridLogicalClock, type HlcTimestamp, type WallClock } from '../clock/hybrid-logical-clock.js';
import type { LocalDatabase } from './local-database.js';

const CLOCK_KEY = 'hlc';
const RECEIVED_KEY = 'hlcReceived';
const CLIENT_ID_KEY = 'clientId';

/**
 * The clock as persisted, with the greatest stamp it received (the floor of a repair, LWW-18). Read
 * and written inside the transaction of every write, so that writes of several tabs on one database,
 * and writes after a reload, continue above every stamp issued (LWW-7).
 */
export async function loadClock(db: LocalDatabase, wallClock: WallClock): Promise<HybridLogicalClock> {
  const [state, received] = (await db.state.bulkGet([CLOCK_KEY, RECEIVED_KEY])) as (HlcTimestamp | undefined)[];
  return new HybridLogicalClock(wallClock, state, received);
}

export async function saveClock(db: LocalDatabase, clock: HybridLogicalClock): Promise<void> {
  await db.state.bulkPut([clock.state, clock.received], [CLOCK_KEY, RECEIVED_KEY]);
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
