import type { ServerChange } from '../../spec/generated/types.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { deviceLabel, type DeviceRef, type LoggedChange, type SyncModel, type UserName } from '../model/sync-model.js';
import { fieldsOfServerChange, relayDifferences } from '../model/wire-form.js';
import { fail } from '../src/failure.js';

// What every delivered change is held to, on every path (push deltas, pulls, streams), against the
// model: it was committed (never a refused write, PUSH-6), the reader may read it (SPACE-2), it is
// not the reader's own echo (PULL-12, SSE-8), it is relayed as written (LWW-8, LWW-11, SPACE-1),
// and along one chain of cursors it comes once and in log order (PULL-3, PULL-4, SSE-2, SSE-5).

export type Path = 'push delta' | 'pull' | 'stream' | 'resumed stream';

/** One chain of cursors as the checks follow it. */
export interface Chain {
  reader: DeviceRef;
  delivered: Set<string>;
  lastSeq: number;
  /** Repeats allowed (after a membership gain or a cursor reset, SPACE-11). */
  resync: boolean;
}

/** The requirement broken by delivering a change the reader may not read. */
export function leakRequirement(model: SyncModel, reader: UserName, path: Path | 'socket'): RequirementId {
  if (model.setup.members.includes(reader) && !model.isMember(reader)) return 'SPACE-8';
  return path === 'socket' ? 'WS-11' : 'SPACE-12';
}

const isStream = (path: Path) => path === 'stream' || path === 'resumed stream';

/** Checks one delivered change and records it on the chain; returns the committed change it relays. */
export function acceptDelivery(model: SyncModel, chain: Chain, change: ServerChange, path: Path): LoggedChange {
  const who = deviceLabel(chain.reader);
  const origin = change.origin;
  if (typeof origin !== 'string') {
    fail('LWW-11', `every change relayed to ${who} (${path}) to carry the origin it was pushed with`, JSON.stringify(change).slice(0, 300));
  }
  const refusedBy = model.refused.get(origin);
  if (refusedBy !== undefined) fail(refusedBy, `a write of a refused push (${origin}) never to be stored or delivered`, `${who} received it by ${path}: ${change.table}/${change.id}`);
  const committed = model.byOrigin(origin);
  if (committed === undefined) fail('PULL-3', `only committed changes delivered to ${who}`, `${path} delivered ${origin} (${change.table}/${change.id}), which no accepted push wrote`);
  if (model.isEcho(chain.reader, true, committed)) {
    fail(isStream(path) ? 'SSE-8' : 'PULL-12', `${who} never to receive its own write ${origin} (it names its client id)`, `${path} delivered it`);
  }
  if (!model.visibleTo(chain.reader.user, committed)) {
    fail(leakRequirement(model, chain.reader.user, path), `${who} to receive only changes it may read`, `${path} delivered ${deviceLabel(committed.author)}'s write ${origin} in ${committed.spaceId}`);
  }
  if (chain.delivered.has(origin) && !chain.resync) {
    fail(path === 'resumed stream' ? 'SSE-5' : isStream(path) ? 'SSE-2' : 'PULL-3', `each change once along ${who}'s chain of cursors`, `${path} delivered ${origin} a second time`);
  }
  if (committed.seq < chain.lastSeq && !chain.resync) {
    fail(isStream(path) ? 'SSE-2' : 'PULL-4', `${who}'s changes in log order`, `${path} delivered ${origin} (log position ${committed.seq}) after position ${chain.lastSeq}`);
  }
  const differences = relayDifferences(change, committed);
  if (differences.length > 0) fail('LWW-8', `${origin} relayed to ${who} as ${deviceLabel(committed.author)} wrote it`, differences.join('; '));
  if (fieldsOfServerChange(change) === null) fail('LWW-11', `every field of ${origin} stamped with an instant`, JSON.stringify(change.fields));
  chain.delivered.add(origin);
  chain.lastSeq = Math.max(chain.lastSeq, committed.seq);
  return committed;
}

/** Most items a failure names; a round of pushes can leave thousands missing. */
const LISTED = 10;

/** The first few of `items` in words, and how many more there are. */
export function listSome(items: readonly string[]): string {
  const named = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${named} and ${items.length - LISTED} more` : named;
}

/** At the end of a chain (hasMore false, or a stream at rest): nothing the reader may read is missing. */
export function expectComplete(model: SyncModel, chain: Chain, path: Path, tables: readonly string[]): void {
  const missing = model.due(chain.reader, chain.delivered, tables);
  if (missing.length > 0) {
    const described = listSome(missing.map((c) => `${c.origin} (${deviceLabel(c.author)} ${c.op} ${c.table}/${c.id})`));
    // Every missing change is another user's, written under the reader's client id, and none of them
    // raced another push (whose loss a cursor would explain): what PULL-12 says must still come.
    if (!chain.resync && missing.every((change) => model.sharesClientIdOf(chain.reader, change) && !change.concurrent)) {
      fail(
        isStream(path) ? 'SSE-8' : 'PULL-12',
        `${deviceLabel(chain.reader)}'s ${path} to deliver other users' changes even when their client id is its own (${model.clientId(chain.reader)}): echoes are per writer`,
        `missing ${described}`,
      );
    }
    // After a membership gain the history of the space is due too (SPACE-11).
    const requirement: RequirementId = chain.resync ? 'SPACE-11' : isStream(path) ? (path === 'resumed stream' ? 'SSE-5' : 'SSE-2') : 'PULL-3';
    fail(requirement, `${deviceLabel(chain.reader)}'s ${path} to deliver every change it may read`, `missing ${described}`);
  }
}
