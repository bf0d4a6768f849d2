import type { PullResponse } from '../../spec/generated/types.js';
import { deviceLabel, type DeviceRef, type SyncModel } from '../model/sync-model.js';
import { errorCodeOf } from '../src/assertions.js';
import { describeExchange } from '../src/exchange.js';
import { fail } from '../src/failure.js';
import { acceptDelivery, expectComplete } from './delivery-checks.js';
import { checkSockets, checkStreams } from './live-checks.js';
import type { SyncSystem } from './sync-system.js';

/**
 * Follows a device's chain of cursors with pages of `limit` changes, for at most `maxPages` pages
 * (a chain left unfinished resumes from its cursor on the next pull). Every page is held to
 * acceptDelivery and PULL-5; a finished chain (hasMore false) to expectComplete. Returns whether
 * the chain finished.
 */
export async function pullChain(model: SyncModel, system: SyncSystem, ref: DeviceRef, limit: number, maxPages: number): Promise<boolean> {
  const device = system.device(ref);
  for (let page = 0; page < maxPages; page++) {
    const exchange = await device.client.pull({ collection: system.table, since: device.cursor, limit }, { clientId: device.clientId, appId: system.appId });
    if (exchange.status === 409 && errorCodeOf(exchange) === 'CURSOR_RESET') {
      // PULL-10, PULL-11: read again from the beginning; what comes again is allowed to repeat.
      system.recorder.note(`${deviceLabel(ref)} reads again from the beginning after CURSOR_RESET`);
      device.cursor = undefined;
      device.chain.resync = true;
      continue;
    }
    if (exchange.status !== 200) fail('PULL-1', `${deviceLabel(ref)}'s pull answered 200`, describeExchange(exchange));
    const response = exchange.json as PullResponse;
    if (response.serverChanges.length > limit) fail('PULL-5', `at most ${limit} changes on a page of limit=${limit}`, `${response.serverChanges.length}`);
    for (const change of response.serverChanges) device.replica.apply(acceptDelivery(model, device.chain, change, 'pull'));
    device.cursor = response.syncedUntil;
    if (!response.hasMore) {
      expectComplete(model, device.chain, 'pull', [system.table]);
      device.chain.resync = false;
      checkStreams(model, system);
      checkSockets(model, system);
      return true;
    }
  }
  checkStreams(model, system);
  checkSockets(model, system);
  return false;
}
