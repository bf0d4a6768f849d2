import type { DeviceRef, SyncModel } from '../model/sync-model.js';
import { converge } from './converge-command.js';
import { awaitStreamComplete, checkSockets } from './live-checks.js';
import { pushWrites } from './push-action.js';
import { expectSilentSocketsClosed } from './silent-socket-command.js';
import type { SyncSystem } from './sync-system.js';
import { modelWriteOf } from './write-spec.js';

/** How the last step of every run reads in a counterexample. */
export const QUIESCENCE_STEP = 'quiescence: the other device of every stream or socket owner writes a personal task, every stream delivers all it may read, every socket that never authenticated is closed at the deadline, and every device syncs to the end; each replica must equal the model\'s';

const otherDevice = (ref: DeviceRef): DeviceRef => ({ user: ref.user, device: ref.device === 'laptop' ? 'phone' : 'laptop' });

/**
 * The end of every run: a write the live channels' users may read and did not write themselves
 * reaches each of them after everything before it (log order), so once it has arrived nothing is
 * in flight any more; then streams must be complete (SSE-2), sockets notified of no more than they
 * may read (WS-11), and every device converges to the model (PULL-3, LWW-8).
 */
export async function quiesce(model: SyncModel, system: SyncSystem): Promise<void> {
  const owners = new Map<string, DeviceRef>();
  for (const live of [...system.streams.values(), ...system.sockets.values()]) owners.set(`${live.ref.user}/${live.ref.device}`, live.ref);
  for (const ref of owners.values()) {
    const other = otherDevice(ref);
    await pushWrites(model, system, other, [modelWriteOf(model, other, { op: 'insert', id: `quiet-${model.log.length}`, space: 'personal', values: { title: 'quiet' }, tick: 0, c: 0 }, system.table)]);
  }
  for (const state of system.sockets.values()) await state.socket.mustPong('WS-4');
  for (const state of system.streams.values()) await awaitStreamComplete(model, system, state);
  checkSockets(model, system);
  await expectSilentSocketsClosed(system);
  for (const device of system.devices.values()) await converge(model, system, device.ref);
  system.throwObserved();
}
