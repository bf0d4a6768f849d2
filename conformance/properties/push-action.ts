import type { Change, PushResponse } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { deviceLabel, type DeviceRef, type ModelWrite, type SyncModel } from '../model/sync-model.js';
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

/**
 * Pushes `writes` from a device as one push with its cursor as `since`, the way a client syncs
 * (PUSH-11); with `loseResponse` the proxy drops the answer after the server committed and the
 * device resends the same body under the same pushId (PUSH-8, PUSH-10). The answer is held to the
 * model's verdict (SPACE-3/4/5, PUSH-6), the delta to acceptDelivery, and the live channels to
 * awaitLiveDeliveries.
 */
export async function pushWrites(model: SyncModel, system: SyncSystem, ref: DeviceRef, writes: readonly ModelWrite[], loseResponse = false): Promise<PushOutcome> {
  const device = system.device(ref);
  const pushId = system.nextPushId(ref);
  const verdict = model.verdictOf(ref.user, writes);
  const changes: Change[] = writes.map((write) => wireChangeOf(write, write.space === 'personal' ? model.personalSpace(ref.user) : write.space === 'shared' ? model.setup.sharedSpace : undefined));
  const body = { clientId: device.clientId, pushId, ...(device.cursor === undefined ? {} : { since: device.cursor }), changes };
  const options = { clientId: device.clientId, appId: system.appId };
  const marks = socketMarks(system);
  if (loseResponse) {
    const dropped = system.proxy.dropNextResponse((request) => request.method === 'POST' && request.body.includes(`"pushId":"${pushId}"`));
    const lost = await device.client.push(body, options).then(
      (exchange) => exchange,
      () => undefined,
    );
    if (lost !== undefined) throw new Error(`the fault proxy did not drop the answer to ${pushId}: ${describeExchange(lost)}`);
    system.recorder.note(`fault proxy: the answer (${await dropped}) to ${deviceLabel(ref)}'s push ${pushId} was dropped after the server sent it; the device resends it`);
  }
  const exchange = await device.client.push(body, options);
  const who = `${deviceLabel(ref)}'s push ${pushId}${loseResponse ? ' (resent after a lost answer)' : ''}`;
  if (verdict.kind === 'refused') {
    if (exchange.status !== verdict.status || !verdict.codes.includes(errorCodeOf(exchange) as never)) {
      fail(verdict.requirement, `${who} refused whole with ${verdict.status} ${verdict.codes.join(' or ')} (change ${verdict.index})`, describeExchange(exchange));
    }
    model.refuse(writes, verdict);
    checkSockets(model, system);
    return { accepted: false };
  }
  if (exchange.status !== 200) fail(refusalRequirement(exchange), `${who} accepted (200)`, describeExchange(exchange));
  const response = exchange.json as PushResponse;
  if (loseResponse && (response.replayed !== true || response.accepted !== writes.length)) {
    fail('PUSH-8', `${who} answered replayed: true with the original accepted count ${writes.length}`, describeExchange(exchange));
  }
  if (!loseResponse && response.accepted !== writes.length) fail('PUSH-1', `${who} answered accepted: ${writes.length}`, describeExchange(exchange));
  const committed = model.commit(ref, pushId, writes);
  for (const change of committed) device.replica.apply(change);
  for (const change of response.serverChanges) device.replica.apply(acceptDelivery(model, device.chain, change, 'push delta'));
  device.cursor = response.syncedUntil;
  if (!response.hasMore) {
    expectComplete(model, device.chain, 'push delta', system.table);
    device.chain.resync = false;
  }
  await awaitLiveDeliveries(model, system, committed, marks);
  checkSockets(model, system);
  return { accepted: true };
}
