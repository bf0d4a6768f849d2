import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { fail } from '../src/failure.js';
import { LIVE_DELIVERY_MS } from '../src/live/live-bounds.js';
import { awaitStreamComplete } from './live-checks.js';
import { pushWrites } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import { deviceKey, type SyncSystem } from './sync-system.js';
import { modelWriteOf } from './write-spec.js';

/**
 * The user's other device writes twice; the proxy cuts the device's stream in the middle of the
 * second changes event; the device resumes with the id of the last complete event (and the
 * `since` it opened the stream with, as EventSource reuses its URL): the chain of event ids loses
 * and repeats nothing (SSE-4, SSE-5).
 */
export class CutStreamCommand implements SyncCommand {
  constructor(readonly ref: DeviceRef) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.streams.has(deviceKey(this.ref));
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const key = deviceKey(this.ref);
    const state = system.streams.get(key)!;
    const device = system.device(this.ref);
    const other: DeviceRef = { user: this.ref.user, device: this.ref.device === 'laptop' ? 'phone' : 'laptop' };
    const write = (title: string) => modelWriteOf(model, other, { op: 'insert', id: `cut-${model.log.length}`, space: 'personal', values: { title }, tick: 0, c: 0 }, system.table);
    // A complete event first, so that the resume has an id to continue from (SSE-4).
    await pushWrites(model, system, other, [write('before the cut')]);
    // Out of the live waits while it is cut: the trigger's delivery to it is what the cut destroys.
    system.streams.delete(key);
    const cut = system.proxy.cutNextEvent((request) => request.path.includes('/stream') && request.headers['x-client-id'] === device.clientId);
    await pushWrites(model, system, other, [write('cut')]);
    let timer: NodeJS.Timeout | undefined;
    const cutInTime = await Promise.race([cut.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LIVE_DELIVERY_MS)))]);
    clearTimeout(timer);
    if (!cutInTime) fail('SSE-9', `${deviceLabel(this.ref)}'s stream to carry ${deviceLabel(other)}'s change within the live bound`, 'no changes event came through the proxy');
    await state.stream.mustEnd({ withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-2', waitingFor: 'end after the proxy cut it' });
    const lastEventId = state.stream.changeEvents.at(-1)?.id ?? state.lastEventId;
    state.earlier = [...state.earlier, ...state.stream.changes];
    system.recorder.note(`fault proxy: cut ${deviceLabel(this.ref)}'s stream in the middle of an event; it resumes with Last-Event-ID ${lastEventId ?? '(none: from the beginning)'}`);
    state.stream = await device.client.mustOpenStream({ collections: system.table, ...(state.since === undefined ? {} : { since: state.since }) }, { clientId: device.clientId, appId: system.appId, ...(lastEventId === undefined ? {} : { lastEventId }) });
    state.lastEventId = lastEventId;
    state.resumed = true;
    system.streams.set(key, state);
    await awaitStreamComplete(model, system, state);
  }

  toString(): string {
    return `the proxy cuts ${deviceLabel(this.ref)}'s SSE stream in the middle of its next event (its other device writes twice); it resumes with Last-Event-ID`;
  }
}
