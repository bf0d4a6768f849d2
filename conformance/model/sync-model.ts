import type { ErrorCode } from '../../spec/generated/error-codes.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { compareStamps, type Stamp } from '../../spec/src/stamp-order.js';

// The oracle of the model-based properties: a small, pure statement of spec/protocol.md (no I/O,
// nothing from the reference server or client). It holds what the spec says the server holds (the
// log of committed changes, the space of every record, the memberships) and answers what a reader
// must receive, what a push must be answered, and what a replica must converge to.

export const USERS = ['alice', 'bob', 'charlie'] as const;
export type UserName = (typeof USERS)[number];
export const DEVICES = ['laptop', 'phone'] as const;
export type DeviceName = (typeof DEVICES)[number];

/** One device of one user: a client id of its own (PUSH-5), a clock of its own. */
export interface DeviceRef {
  user: UserName;
  device: DeviceName;
}

export const deviceLabel = (ref: DeviceRef): string => `${ref.user}/${ref.device}`;

/** Where a write says its record lives: the author's personal space, the shared space, or nowhere (SPACE-1 resolves it). */
export type SpaceChoice = 'personal' | 'shared' | 'unnamed';

/** One field write as the model keeps it: the wire value and the stamp's instant and counter (section 6). */
export interface ModelField {
  value: unknown;
  t: number;
  c: number;
}

/** A change as a device writes it, before the server resolved its space. */
export interface ModelWrite {
  /** Unique per write of a run: the change's `origin`, which the server relays unchanged. */
  origin: string;
  table: string;
  id: string;
  op: 'insert' | 'update' | 'delete';
  space: SpaceChoice;
  fields: Record<string, ModelField>;
}

/** A committed change: one entry of the log, in log order. */
export interface LoggedChange {
  seq: number;
  origin: string;
  author: DeviceRef;
  userId: string;
  clientId: string;
  table: string;
  id: string;
  op: ModelWrite['op'];
  spaceId: string;
  fields: Record<string, ModelField>;
  pushId: string;
  /** Pushed at once with other pushes (commitConcurrent): committed in an order only the server knows. */
  concurrent: boolean;
}

/** What the spec says a push must be answered. */
export type PushVerdict =
  | { kind: 'accepted' }
  /** Refused whole (PUSH-6): the codes any of which may come (ERR-11 orders 403 before 409), and why. */
  | { kind: 'refused'; status: number; codes: ErrorCode[]; requirement: RequirementId; index: number };

export interface ModelSetup {
  userIds: Record<UserName, string>;
  clientIds: Record<UserName, Record<DeviceName, string>>;
  sharedSpace: string;
  /** The instant (ms) every device's clock is an offset of. */
  baseT: number;
  /** Each device's clock offset from baseT (ms): skew between devices. */
  skewMs: Record<UserName, Record<DeviceName, number>>;
  /** Who is a member of the shared space at the start. */
  members: UserName[];
}

export const recordKey = (table: string, id: string): string => `${table}/${id}`;

export class SyncModel {
  readonly log: LoggedChange[] = [];
  /** The space of every stored record (SPACE-5): the space of its first stored change. */
  readonly recordSpaces = new Map<string, string>();
  /** Members of the shared space now (SPACE-2, SPACE-8). */
  readonly members: Set<UserName>;
  /** Devices with an open SSE stream, and with an open WebSocket (the harness's state, so that commands can be chosen). */
  readonly streams = new Set<string>();
  readonly sockets = new Set<string>();
  /** Origins of writes in refused pushes, with the requirement their storage would break. */
  readonly refused = new Map<string, RequirementId>();
  /**
   * Origins of the changes of pushes in flight at once: stored, in an order only the server knows,
   * but not yet answered, so no read has to contain them yet (PUSH-17 promises readability only
   * once a push is answered).
   */
  readonly inFlight = new Set<string>();
  private writes = 0;

  constructor(readonly setup: ModelSetup) {
    this.members = new Set(setup.members);
  }

  userId(user: UserName): string {
    return this.setup.userIds[user];
  }

  clientId(ref: DeviceRef): string {
    return this.setup.clientIds[ref.user][ref.device];
  }

  personalSpace(user: UserName): string {
    return `_personal:${this.userId(user)}`;
  }

  /** Sets a device's clock offset: the device's clock jumps (skew between devices). */
  setSkew(ref: DeviceRef, skewMs: number): void {
    this.setup.skewMs[ref.user][ref.device] = skewMs;
  }

  /** A device's clock reading `tick` ms after the base: the stamp's instant it chooses. */
  instantOf(ref: DeviceRef, tick: number): number {
    return this.setup.baseT + this.setup.skewMs[ref.user][ref.device] + tick;
  }

  nextOrigin(): string {
    return `w${++this.writes}`;
  }

  /** The space a write resolves to (SPACE-1): named, else its record's, else the author's personal space. */
  resolveSpace(author: UserName, write: ModelWrite, pending: ReadonlyMap<string, string> = new Map()): string {
    const named = write.space === 'personal' ? this.personalSpace(author) : write.space === 'shared' ? this.setup.sharedSpace : undefined;
    const key = recordKey(write.table, write.id);
    return named ?? this.recordSpaces.get(key) ?? pending.get(key) ?? this.personalSpace(author);
  }

  /**
   * The answer a push of `writes` by `author` must get: refused whole when any change writes into
   * another user's personal space (SPACE-3) or a shared space the author is not a member of
   * (SPACE-4), else when any change names another space than its record's (SPACE-5); ERR-11 puts
   * the 403s before the 409.
   */
  verdictOf(author: UserName, writes: readonly ModelWrite[]): PushVerdict {
    const pending = new Map<string, string>();
    const forbidden: { code: ErrorCode; requirement: RequirementId; index: number }[] = [];
    let mismatch: number | undefined;
    writes.forEach((write, index) => {
      const key = recordKey(write.table, write.id);
      const existing = this.recordSpaces.get(key) ?? pending.get(key);
      const spaceId = this.resolveSpace(author, write, pending);
      if (existing === undefined) pending.set(key, spaceId);
      else if (existing !== spaceId) mismatch ??= index;
      if (spaceId.startsWith('_personal:')) {
        if (spaceId !== this.personalSpace(author)) forbidden.push({ code: 'SPACE_PERSONAL_FORBIDDEN', requirement: 'SPACE-3', index });
      } else if (!this.isMember(author)) {
        // A member revoked during the run whose write is taken: the revocation did not take effect (SPACE-8).
        forbidden.push({ code: 'SPACE_NOT_MEMBER', requirement: this.setup.members.includes(author) ? 'SPACE-8' : 'SPACE-4', index });
      }
    });
    if (forbidden.length > 0) {
      const first = forbidden[0]!;
      return { kind: 'refused', status: 403, codes: [...new Set(forbidden.map((f) => f.code))], requirement: first.requirement, index: first.index };
    }
    if (mismatch !== undefined) return { kind: 'refused', status: 409, codes: ['SPACE_MISMATCH'], requirement: 'SPACE-5', index: mismatch };
    return { kind: 'accepted' };
  }

  isMember(user: UserName): boolean {
    return this.members.has(user);
  }

  /** Stores an accepted push: its changes take the next positions of the log, in order (PUSH-7). */
  commit(author: DeviceRef, pushId: string, writes: readonly ModelWrite[]): LoggedChange[] {
    return writes.map((write) => this.append(author, pushId, write, this.log.length + 1, false));
  }

  /**
   * Stores pushes sent at once, before any is answered: their changes share one position of the
   * log, because the server may commit them in any order (PULL-4 orders them against everything
   * before and after, not among themselves), and stay in flight until settleConcurrent. Their
   * verdicts must not depend on each other's order: no record without a space may be written by two
   * of them (concurrentConflict).
   */
  commitConcurrent(pushes: readonly { author: DeviceRef; pushId: string; writes: readonly ModelWrite[] }[]): LoggedChange[][] {
    const seq = this.log.length + 1;
    return pushes.map(({ author, pushId, writes }) =>
      writes.map((write) => {
        this.inFlight.add(write.origin);
        return this.append(author, pushId, write, seq, true);
      }),
    );
  }

  /** Every push sent at once has been answered: its changes are due to every reader from now on. */
  settleConcurrent(): void {
    this.inFlight.clear();
  }

  /** The first record without a space that two of these pushes write: their verdicts would race (SPACE-5). */
  concurrentConflict(pushes: readonly (readonly Pick<ModelWrite, 'table' | 'id'>[])[]): string | undefined {
    const writers = new Map<string, number>();
    for (const [index, writes] of pushes.entries()) {
      for (const write of writes) {
        const key = recordKey(write.table, write.id);
        if (this.recordSpaces.has(key)) continue;
        const first = writers.get(key);
        if (first !== undefined && first !== index) return key;
        writers.set(key, index);
      }
    }
    return undefined;
  }

  private append(author: DeviceRef, pushId: string, write: ModelWrite, seq: number, concurrent: boolean): LoggedChange {
    const spaceId = this.resolveSpace(author.user, write);
    const key = recordKey(write.table, write.id);
    if (!this.recordSpaces.has(key)) this.recordSpaces.set(key, spaceId);
    const change: LoggedChange = {
      seq,
      origin: write.origin,
      author,
      userId: this.userId(author.user),
      clientId: this.clientId(author),
      table: write.table,
      id: write.id,
      op: write.op,
      spaceId,
      fields: write.fields,
      pushId,
      concurrent,
    };
    this.log.push(change);
    return change;
  }

  /** Remembers the writes of a refused push: none of them may ever be delivered (PUSH-6). */
  refuse(writes: readonly ModelWrite[], verdict: Extract<PushVerdict, { kind: 'refused' }>): void {
    writes.forEach((write, index) => this.refused.set(write.origin, index === verdict.index ? verdict.requirement : 'PUSH-6'));
  }

  /** SPACE-2: the reader's personal space, a space it is a member of now, or its own change. */
  visibleTo(user: UserName, change: LoggedChange): boolean {
    if (change.userId === this.userId(user)) return true;
    if (change.spaceId === this.personalSpace(user)) return true;
    return change.spaceId === this.setup.sharedSpace && this.isMember(user);
  }

  /** PULL-12: the changes of the reading writer itself; without a client id nothing is an echo (PULL-13). */
  isEcho(reader: DeviceRef, readsWithClientId: boolean, change: LoggedChange): boolean {
    return readsWithClientId && change.userId === this.userId(reader.user) && change.clientId === this.clientId(reader);
  }

  /** PULL-12: a change of another user written under the reader's client id, which suppression keyed by client id alone would withhold. */
  sharesClientIdOf(reader: DeviceRef, change: LoggedChange): boolean {
    return change.userId !== this.userId(reader.user) && change.clientId === this.clientId(reader);
  }

  /** Whether a reader of `tables` (all when absent) may receive this change at all: visible, and not its own echo. */
  deliverable(reader: DeviceRef, change: LoggedChange, tables?: readonly string[]): boolean {
    return this.visibleTo(reader.user, change) && !this.isEcho(reader, true, change) && (tables === undefined || tables.includes(change.table));
  }

  /** Every change a cursor chain of `reader` over `tables` must still deliver (PULL-3), in log order; pushes not yet answered may still come. */
  due(reader: DeviceRef, delivered: ReadonlySet<string>, tables?: readonly string[]): LoggedChange[] {
    return this.log.filter((change) => this.deliverable(reader, change, tables) && !delivered.has(change.origin) && !this.inFlight.has(change.origin));
  }

  byOrigin(origin: string): LoggedChange | undefined {
    return this.log.find((change) => change.origin === origin);
  }

  /** The spaces whose records a replica of `user` must agree on now. */
  readableSpaces(user: UserName): Set<string> {
    const spaces = new Set([this.personalSpace(user)]);
    if (this.isMember(user)) spaces.add(this.setup.sharedSpace);
    return spaces;
  }

  /** What a replica of `user` that received every visible change holds (LWW-5, LWW-6). */
  expectedState(user: UserName): Replica {
    const replica = new Replica();
    for (const change of this.log) if (this.visibleTo(user, change)) replica.apply(change);
    return replica;
  }
}

/** One record of a replica: its space and, per field, the winning write. */
export interface ReplicaRecord {
  spaceId: string;
  fields: Map<string, Stamp>;
}

/**
 * A replica merged field by field under the total order of LWW-5 (compareStamps, the one statement
 * of that order); a delete is a write of `deletedAt` (LWW-13), a record kept as a tombstone.
 */
export class Replica {
  readonly records = new Map<string, ReplicaRecord>();

  apply(change: Pick<LoggedChange, 'table' | 'id' | 'spaceId' | 'userId' | 'clientId' | 'fields'>): void {
    const key = recordKey(change.table, change.id);
    const record = this.records.get(key) ?? { spaceId: change.spaceId, fields: new Map<string, Stamp>() };
    this.records.set(key, record);
    for (const [name, field] of Object.entries(change.fields)) {
      const stamp: Stamp = { t: field.t, c: field.c, userId: change.userId, clientId: change.clientId, value: field.value };
      const current = record.fields.get(name);
      if (current === undefined || compareStamps(stamp, current) > 0) record.fields.set(name, stamp);
    }
  }

  /** The records of these spaces (and of `table` only, when given) as plain values: `table/id` → field → value, deleted or not. */
  view(spaces: ReadonlySet<string>, table?: string): Record<string, Record<string, unknown>> {
    const view: Record<string, Record<string, unknown>> = {};
    for (const key of [...this.records.keys()].sort()) {
      const record = this.records.get(key)!;
      if (!spaces.has(record.spaceId) || (table !== undefined && !key.startsWith(recordKey(table, '')))) continue;
      view[key] = Object.fromEntries([...record.fields.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, stamp]) => [name, stamp.value]));
    }
    return view;
  }
}
