import type fc from 'fast-check';
import { MAX_CHANGES_PER_PUSH } from '../../spec/generated/constants.js';
import { deviceLabel, type DeviceRef, type LoggedChange, type ModelWrite, type SyncModel } from '../model/sync-model.js';
import { converge } from './converge-command.js';
import { awaitLiveDeliveries, checkSockets, socketMarks } from './live-checks.js';
import { pullChain } from './pull-action.js';
import { judgePush, preparePush, sendPush, type PreparedPush } from './push-action.js';
import type { SyncCommand } from './sync-command.js';
import { PROPERTY_TABLE, type SyncSystem } from './sync-system.js';
import { describeWrite, modelWriteOf, type WriteSpec } from './write-spec.js';

/** One push of a concurrent round. */
export interface ConcurrentPush {
  ref: DeviceRef;
  specs: readonly WriteSpec[];
  /** New tasks the push carries besides: with many, a longer transaction, open while others commit. */
  newTasks: number;
}

/**
 * The new tasks of a push, each a record of its own (`new-<origin>`) stamped at T+0: in the shared
 * space while the author is a member, so that most readers may read them, else in its personal
 * space; no more than the target takes in one push besides the push's other writes (OPS-6).
 */
function newTasks(model: SyncModel, system: SyncSystem, push: ConcurrentPush): ModelWrite[] {
  const room = (system.limits?.maxChangesPerPush ?? MAX_CHANGES_PER_PUSH) - push.specs.length;
  return Array.from({ length: Math.max(1, Math.min(push.newTasks, room)) }, () => {
    const write = modelWriteOf(model, push.ref, { op: 'insert', id: 'new', space: model.isMember(push.ref.user) ? 'shared' : 'personal', values: { title: 'new' }, tick: 0, c: 0 }, system.table);
    return { ...write, id: `new-${write.origin}` };
  });
}

/** Most pages the reader takes while pushes are in flight: a failure bound, never reached by a working target. */
const MAX_PAGES_IN_FLIGHT = 200;

/**
 * Several devices push at once while another device pulls page after page until every push is
 * answered, then syncs to the end. fast-check's scheduler chooses the order in which the requests
 * leave this process; the target then runs the pushes' transactions side by side and commits them
 * in an order of its own, so a read between two commits must not move a cursor past a transaction
 * that commits later (Appendix C, PULL-3): the reader's chain still delivers every change once
 * (PULL-3), in an order consistent with each push (PULL-4), and the pushers' deltas and every live
 * channel are held to the model as in any other command.
 */
export class ConcurrentCommand implements SyncCommand {
  constructor(
    readonly pushes: readonly ConcurrentPush[],
    readonly reader: DeviceRef,
    readonly limit: number,
    readonly scheduler: fc.Scheduler,
  ) {}

  /** Pushes whose verdicts depend on which commits first (two of them create one record) are not sent at once. */
  check(model: Readonly<SyncModel>): boolean {
    return model.concurrentConflict(this.pushes.map((push) => push.specs.map((spec) => ({ table: PROPERTY_TABLE, id: spec.id })))) === undefined;
  }

  async run(model: SyncModel, system: SyncSystem): Promise<void> {
    const prepared = this.pushes.map((push) => preparePush(model, system, push.ref, [...push.specs.map((spec) => modelWriteOf(model, push.ref, spec, system.table)), ...newTasks(model, system, push)]));
    // Every verdict is taken before any push leaves: the model stores the accepted ones now, in
    // flight, so that a change read before its push is answered is known to be committed.
    for (const push of prepared) if (push.verdict.kind === 'refused') model.refuse(push.writes, push.verdict);
    const accepted = prepared.filter((push) => push.verdict.kind === 'accepted');
    const groups = model.commitConcurrent(accepted.map((push) => ({ author: push.ref, pushId: push.pushId, writes: push.writes })));
    const stored = new Map<PreparedPush, readonly LoggedChange[]>(accepted.map((push, i) => [push, groups[i]!]));
    const marks = socketMarks(system);
    let unanswered = prepared.length;
    const exchanges = prepared.map((push) =>
      this.scheduler
        .schedule(Promise.resolve(), `${deviceLabel(push.ref)} sends ${push.pushId}`)
        .then(() => sendPush(system, push, false))
        .finally(() => unanswered--),
    );
    const reading = this.scheduler.schedule(Promise.resolve(), `${deviceLabel(this.reader)} pulls`).then(async () => {
      for (let page = 0; unanswered > 0; page++) {
        if (page === MAX_PAGES_IN_FLIGHT) throw new Error(`${prepared.length} pushes sent at once were not all answered while ${deviceLabel(this.reader)} read ${page} pages`);
        await pullChain(model, system, this.reader, this.limit, 1);
      }
    });
    const [answers] = await Promise.all([Promise.all(exchanges), reading, this.scheduler.waitAll()]);
    const committed = prepared.map((push, i) => judgePush(model, system, push, answers[i]!, false, () => stored.get(push) ?? []));
    model.settleConcurrent();
    for (const changes of committed) if (changes !== undefined) await awaitLiveDeliveries(model, system, changes, marks);
    checkSockets(model, system);
    await converge(model, system, this.reader);
  }

  toString(): string {
    const pushes = this.pushes.map((push) => `${deviceLabel(push.ref)} pushes ${[...push.specs.map(describeWrite), `inserts ${push.newTasks === 1 ? 'a new task' : `${push.newTasks} new tasks`} (shared while a member)`].join('; ')}`).join(' | ');
    const order = this.scheduler.report().map((task) => task.label);
    const left = order.length === 0 ? '' : ` (the requests left in this order: ${order.join(', ')})`;
    return `at once: ${pushes} | while they are in flight ${deviceLabel(this.reader)} pulls tasks, ${this.limit} per page, then syncs to the end${left}`;
  }
}
