import type { RequirementId } from '../../spec/src/requirement-index.js';
import { deviceLabel, type LoggedChange, type SyncModel } from '../model/sync-model.js';
import { fail } from '../src/failure.js';
import { LIVE_DELIVERY_MS } from '../src/live/live-bounds.js';
import { acceptDelivery, leakRequirement, listSome } from './delivery-checks.js';
import type { SocketState, StreamState, SyncSystem } from './sync-system.js';

// Live deliveries against the model: every change on a stream is held to acceptDelivery as it
// arrives; a change a stream's reader may read must arrive within LIVE_MAX_DELAY_SECONDS (SSE-9);
// a socket is notified of every push its user may read but its own device's (WS-8, WS-10), and of
// nothing else (WS-11).

/** Every change streamed since the last call, checked in arrival order. */
export function checkStreams(model: SyncModel, system: SyncSystem): void {
  for (const state of system.streams.values()) {
    const all = [...state.earlier, ...state.stream.changes];
    for (let i = state.checked; i < all.length; i++) {
      acceptDelivery(model, state.chain, all[i]!, state.resumed && i >= state.earlier.length ? 'resumed stream' : 'stream');
    }
    state.checked = all.length;
  }
}

/** A socket may have been notified at most once per push it had to be told of. */
export function checkSockets(model: SyncModel, system: SyncSystem): void {
  for (const state of system.sockets.values()) {
    const notes = state.socket.ofType('sync-available').filter((message) => message.appId === system.appId);
    if (notes.length > state.duePushes) {
      const requirement: RequirementId = state.ownPushes > 0 && state.unreadablePushes === 0 ? 'WS-10' : leakRequirement(model, state.ref.user, 'socket');
      fail(requirement, `${deviceLabel(state.ref)}'s socket notified at most once per push it may read and did not write (${state.duePushes})`, `${notes.length} notifications for ${system.appId}`);
    }
    const foreign = notes.flatMap((note) => note.tables).filter((table) => !state.dueTables.has(table));
    if (foreign.length > 0) fail(leakRequirement(model, state.ref.user, 'socket'), `${deviceLabel(state.ref)}'s socket told only of tables it may read`, `notified of ${foreign.join(', ')}`);
  }
}

/** The number of sync-available messages each socket has now: a push's notification comes after it. */
export function socketMarks(system: SyncSystem): Map<SocketState, number> {
  return new Map([...system.sockets.values()].map((state) => [state, state.socket.messages.length]));
}

/**
 * After a push was stored: every open stream that may read one of its changes receives them, and
 * every socket that may read one is notified, within the live bound; then everything is checked.
 */
export async function awaitLiveDeliveries(model: SyncModel, system: SyncSystem, committed: readonly LoggedChange[], marks: Map<SocketState, number>): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const state of system.streams.values()) {
    const due = committed.filter((change) => model.deliverable(state.ref, change, state.tables));
    if (due.length === 0) continue;
    waits.push(awaitStream(state, due));
  }
  for (const state of system.sockets.values()) {
    const readable = committed.filter((change) => model.visibleTo(state.ref.user, change));
    const own = committed.some((change) => change.userId === model.userId(state.ref.user) && change.clientId === model.clientId(state.ref));
    if (readable.length === 0) {
      state.unreadablePushes++;
      continue;
    }
    if (own) {
      state.ownPushes++;
      continue;
    }
    state.duePushes++;
    for (const change of readable) state.dueTables.add(change.table);
    const from = marks.get(state) ?? 0;
    const requirement: RequirementId = committed[0]!.author.user === state.ref.user ? 'WS-10' : 'WS-8';
    waits.push(
      state.socket.mustReceiveUntil((messages) => messages.slice(from).some((m) => m.json?.type === 'sync-available' && m.json.appId === system.appId && m.json.tables.includes(readable[0]!.table)), {
        withinMs: LIVE_DELIVERY_MS,
        requirement,
        waitingFor: `sync-available for ${deviceLabel(committed[0]!.author)}'s push`,
      }),
    );
  }
  await Promise.all(waits);
  checkStreams(model, system);
}

function awaitStream(state: StreamState, due: readonly LoggedChange[]): Promise<unknown> {
  const origins = due.map((change) => change.origin);
  return state.stream.mustReceiveUntil(() => origins.every((origin) => state.chain.delivered.has(origin) || state.stream.changes.some((change) => change.origin === origin)), {
    withinMs: LIVE_DELIVERY_MS,
    // Never told as echo suppression (SSE-8): from outside, a stream that was not woken for a change
    // looks the same as one that withholds it as an echo.
    requirement: 'SSE-9',
    waitingFor: `${listSome(origins)} (by ${deviceLabel(due[0]!.author)})`,
  });
}

/** Waits until a stream has everything its reader may read (the backlog and every live change, SSE-2), then checks it. */
export async function awaitStreamComplete(model: SyncModel, system: SyncSystem, state: StreamState): Promise<void> {
  // Checked first: what arrived whole before a cut (state.earlier) may not have been checked yet.
  checkStreams(model, system);
  const due = model.due(state.ref, state.chain.delivered, state.tables);
  if (due.length > 0) {
    await state.stream
      .mustReceiveUntil(() => due.every((change) => state.stream.changes.some((got) => got.origin === change.origin)), {
        withinMs: LIVE_DELIVERY_MS,
        requirement: state.chain.resync ? 'SPACE-11' : state.resumed ? 'SSE-5' : 'SSE-2',
        waitingFor: `every change ${deviceLabel(state.ref)} may read: ${listSome(due.map((change) => change.origin))}`,
      })
      .catch((error: unknown) => {
        checkStreams(model, system);
        throw error;
      });
  }
  checkStreams(model, system);
}
