import type { Change, Changeset, PushResponse } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { deviceLabel, type DeviceRef, type LoggedChange, type ModelWrite, type PushVerdict, type SyncModel } from '../model/sync-model.js';
import { wireChangeOf } from '../model/wire-form.js';
import { errorCodeOf } from '../src/assertions.js';
import { describeExchange, type Exchange } from '../src/exchange.js';
import { fail } from '../src/failure.js';
import { acceptDelivery, expectComplete } from './delivery-checks.js';
import { awaitLiveDeliveries, checkSockets, socketMarks } from './live-checks.js';
import type { SyncSystem } from './sync-system.js';

/** The requirement an unexpected refusal of a push the spec accepts breaks. */
function refusalRequirement(exchange: Exchange): RequirementId {
  if (exchange.status === 403) return 'SPACE-4';
  if (exchange.status === 409) return errorCodeOf(exchange) === 'PUSH_ID_CONFLICT' ? 'PUSH-8' : 'SPACE-5';
  return 'PUSH-1';
}

export interface PushOutcome {
  /** Whether the model stored it. */
  accepted: boolean;
}

/** One push as a device sends it, with the verdict the model gave it before it left. */
export interface PreparedPush {
  ref: DeviceRef;
  pushId: string;
  writes: readonly ModelWrite[];
  verdict: PushVerdict;
  body: Changeset;
}

/** The push a device would send now: its cursor as `since`, the way a client syncs (PUSH-11), and the model's verdict. */
export function preparePush(model: SyncModel, system: SyncSystem, ref: DeviceRef, writes: readonly ModelWrite[]): PreparedPush {
  const device = system.device(ref);
  const pushId = system.nextPushId(ref);
  const changes: Change[] = writes.map((write) => wireChangeOf(write, write.space === 'personal' ? model.personalSpace(ref.user) : write.space === 'shared' ? model.setup.sharedSpace : undefined));
  const body = { clientId: device.clientId, pushId, ...(device.cursor === undefined ? {} : { since: device.cursor }), changes };
  return { ref, pushId, writes, verdict: model.verdictOf(ref.user, writes), body };
}

/**
 * Sends a prepared push; with `loseResponse` the proxy drops the answer after the server committed
 * and the device resends the same body under the same pushId (PUSH-8, PUSH-10).
 */
export async function sendPush(system: SyncSystem, push: PreparedPush, loseResponse: boolean): Promise<Exchange> {
  const device = system.device(push.ref);
  const options = { clientId: device.clientId, appId: system.appId };
  if (loseResponse) {
    const dropped = system.proxy.dropNextResponse((request) => request.method === 'POST' && request.body.includes(`"pushId":"${push.pushId}"`));
    const lost = await device.client.push(push.body, options).then(
      (exchange) => exchange,
      () => undefined,
    );
    if (lost !== undefined) throw new Error(`the fault proxy did not drop the answer to ${push.pushId}: ${describeExchange(lost)}`);
    system.recorder.note(`fault proxy: the answer (${await dropped}) to ${deviceLabel(push.ref)}'s push ${push.pushId} was dropped after the server sent it; the device resends it`);
  }
  return device.client.push(push.body, options);
}

/**
 * Holds the answer of a push to the model's verdict (SPACE-3/4/5, PUSH-6) and, when accepted, the
 * delta to acceptDelivery; the device applies its own changes (`committed`, as the model stored
 * them) and the delta, and takes the new cursor. Returns what the model stored, or undefined when
 * the push was refused.
 */
export function judgePush(model: SyncModel, system: SyncSystem, push: PreparedPush, exchange: Exchange, resent: boolean, store: () => readonly LoggedChange[]): readonly LoggedChange[] | undefined {
  const { ref, pushId, writes, verdict } = push;
  const device = system.device(ref);
  const who = `${deviceLabel(ref)}'s push ${pushId}${resent ? ' (resent after a lost answer)' : ''}`;
  if (verdict.kind === 'refused') {
    if (exchange.status !== verdict.status || !verdict.codes.includes(errorCodeOf(exchange) as never)) {
      fail(verdict.requirement, `${who} refused whole with ${verdict.status} ${verdict.codes.join(' or ')} (change ${verdict.index})`, describeExchange(exchange));
    }
    model.refuse(writes, verdict);
    return undefined;
  }
  if (exchange.status !== 200) fail(refusalRequirement(exchange), `${who} accepted (200)`, describeExchange(exchange));
  const response = exchange.json as PushResponse;
  if (resent && (response.replayed !== true || response.accepted !== writes.length)) {
    fail('PUSH-8', `${who} answered replayed: true with the original accepted count ${writes.length}`, describeExchange(exchange));
  }
  if (!resent && response.accepted !== writes.length) fail('PUSH-1', `${who} answered accepted: ${writes.length}`, describeExchange(exchange));
  const committed = store();
  for (const change of committed) device.replica.apply(change);
  for (const change of response.serverChanges) device.replica.apply(acceptDelivery(model, device.chain, change, 'push delta'));
  device.cursor = response.syncedUntil;
  if (!response.hasMore) {
    expectComplete(model, device.chain, 'push delta', [system.table]);
    device.chain.resync = false;
  }
  return committed;
}

/**
 * Pushes `writes` from a device as one push (preparePush, sendPush, judgePush) and holds the live
 * channels to it (awaitLiveDeliveries).
 */
export async function pushWrites(model: SyncModel, system: SyncSystem, ref: DeviceRef, writes: readonly ModelWrite[], loseResponse = false): Promise<PushOutcome> {
  const push = preparePush(model, system, ref, writes);
  const marks = socketMarks(system);
  const exchange = await sendPush(system, push, loseResponse);
  const committed = judgePush(model, system, push, exchange, loseResponse, () => model.commit(ref, push.pushId, writes));
  if (committed !== undefined) await awaitLiveDeliveries(model, system, committed, marks);
  checkSockets(model, system);
  return { accepted: committed !== undefined };
}
