import type { PullResponse, SseChangesEvent } from '../../spec/generated/types.js';
import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { errorCodeOf } from '../src/assertions.js';
import { describeExchange, parseJson } from '../src/exchange.js';
import { fail } from '../src/failure.js';
import { LIVE_DELIVERY_MS } from '../src/live/live-bounds.js';
import type { ReceivedEvent } from '../src/live/sse-stream.js';
import { awaitStreamComplete } from './live-checks.js';
import { pushWrites } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import { NOTES_TABLE, type DeviceState, type SyncSystem } from './sync-system.js';
import { modelWriteOf } from './write-spec.js';

/**
 * SSE-4: the id of a changes event is a cursor right after its last change, so a pull of the
 * event's table from it (PULL-14: every read's cursor serves every pull) returns none of the
 * event's changes again. Checked on the event a cut stream resumes from, before it resumes, so that
 * a wrong id is told from a resume that ignores it (SSE-5).
 */
async function expectIdAfterEvent(system: SyncSystem, device: DeviceState, event: ReceivedEvent): Promise<void> {
  const data = parseJson(event.data.join('\n')) as SseChangesEvent | undefined;
  // Data that is not a changes event is an SSE-3 failure, observed when it arrived.
  if (!Array.isArray(data?.changes) || event.id === undefined) return;
  const who = deviceLabel(device.ref);
  const exchange = await device.client.pull({ collection: data.table, since: event.id }, { clientId: device.clientId, appId: system.appId });
  // The reader's spaces changed since the event (SPACE-11): the cursor may be reset instead.
  if (exchange.status === 409 && errorCodeOf(exchange) === 'CURSOR_RESET') return;
  if (exchange.status !== 200) fail('PULL-14', `a pull of ${data.table} from the id of ${who}'s last changes event answered 200 (an event id is a cursor of every read)`, describeExchange(exchange));
  const origins = new Set(data.changes.map((change) => change.origin));
  const again = (exchange.json as PullResponse).serverChanges.filter((change) => origins.has(change.origin)).map((change) => change.origin);
  if (again.length > 0) {
    fail('SSE-4', `the id of ${who}'s last complete changes event before the cut (${event.id}) to be a cursor right after its last change: a pull of ${data.table} from it returns none of its changes`, `it returned ${again.join(', ')} again`);
  }
}

/**
 * The proxy cuts an open stream (the `pick`-th, in the order of their devices) in the middle of an
 * event. The device's other device pushes a task, then a note and a task at once; the cut falls in
 * the event of the second task, so that on a stream of both tables the last complete event is the
 * note's, not its read's last. The device resumes with the id of the last complete event (and the
 * `since` it opened the stream with, as EventSource reuses its URL): that id is a cursor right
 * after the event (SSE-4), and the chain of event ids loses and repeats nothing (SSE-5).
 */
export class CutStreamCommand implements SyncCommand {
  /** The device whose stream was cut, once the command ran (for the counterexample's words). */
  private cut: DeviceRef | undefined;

  constructor(readonly pick: number) {}

  check(model: Readonly<SyncModel>): boolean {
    return model.streams.size > 0;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const key = [...model.streams].sort()[this.pick % model.streams.size]!;
    const state = system.streams.get(key)!;
    const ref = state.ref;
    this.cut = ref;
    const device = system.device(ref);
    const other: DeviceRef = { user: ref.user, device: ref.device === 'laptop' ? 'phone' : 'laptop' };
    const write = (table: string, title: string) => modelWriteOf(model, other, { op: 'insert', id: `cut-${model.log.length}`, space: 'personal', values: { title }, tick: 0, c: 0 }, table);
    // A complete event first, so that the resume has an id to continue from (SSE-4).
    await pushWrites(model, system, other, [write(system.table, 'before the cut')]);
    // Out of the live waits while it is cut: the trigger's delivery to it is what the cut destroys.
    system.streams.delete(key);
    const [note, task] = [write(NOTES_TABLE, 'cut'), write(system.table, 'cut')];
    const cut = system.proxy.cutNextEvent((request) => request.path.includes('/stream') && request.headers['x-client-id'] === device.clientId, `"${task.origin}"`);
    await pushWrites(model, system, other, [note, task]);
    let timer: NodeJS.Timeout | undefined;
    const cutInTime = await Promise.race([cut.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LIVE_DELIVERY_MS)))]);
    clearTimeout(timer);
    if (!cutInTime) fail('SSE-9', `${deviceLabel(ref)}'s stream to carry ${deviceLabel(other)}'s change ${task.origin} within the live bound`, 'no changes event with it came through the proxy');
    await state.stream.mustEnd({ withinMs: LIVE_DELIVERY_MS, requirement: 'SSE-2', waitingFor: 'end after the proxy cut it' });
    const lastEvent = state.stream.changeEvents.at(-1);
    if (lastEvent !== undefined) await expectIdAfterEvent(system, device, lastEvent);
    const lastEventId = lastEvent?.id ?? state.lastEventId;
    state.earlier = [...state.earlier, ...state.stream.changes];
    system.recorder.note(`fault proxy: cut ${deviceLabel(ref)}'s stream in the middle of an event; it resumes with Last-Event-ID ${lastEventId ?? '(none: from the beginning)'}`);
    state.stream = await device.client.mustOpenStream(
      { collections: state.tables.join(','), ...(state.since === undefined ? {} : { since: state.since }) },
      { clientId: device.clientId, appId: system.appId, ...(lastEventId === undefined ? {} : { lastEventId }) },
    );
    state.lastEventId = lastEventId;
    state.resumed = true;
    system.streams.set(key, state);
    await awaitStreamComplete(model, system, state);
  }

  toString(): string {
    const whose = this.cut === undefined ? `open SSE stream number ${this.pick + 1} (in the order of their devices)` : `${deviceLabel(this.cut)}'s SSE stream`;
    return `the proxy cuts ${whose} in the middle of its next event (its other device pushes a task, then a note and a task at once); it resumes with Last-Event-ID`;
  }
}
