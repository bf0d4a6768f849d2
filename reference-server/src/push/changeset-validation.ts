import type { ErrorObject } from 'ajv';
import { CURRENT_SCHEMA_VERSION, MAX_CHANGES_PER_PUSH, MAX_FUTURE_SKEW_SECONDS } from '../../../spec/generated/constants.js';
import type { Change } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { SyncError } from '../errors.js';
import { namedSpaceOf } from '../spaces/space-resolution.js';
import { parseSince, type ReadStart } from '../store/cursor.js';
import { changeWritesOf, instantOf, type ChangeWrites } from './field-writes.js';
import { jsonPointer } from './json-pointer.js';
import { firstUnstorableValue } from './unstorable-values.js';

/** The parameters of a push outside its body: the path's app and the X-Client-Id header. */
export interface PushParameters {
  readonly appId: string;
  readonly clientIdHeader: string | undefined;
}

/** A push that passed every check up to and including the 422s of ERR-11. */
export interface ValidatedPush {
  readonly appId: string;
  readonly changes: readonly Change[];
  /** The field writes of each change, stamps resolved (LWW-9). */
  readonly writes: readonly ChangeWrites[];
  readonly clientId: string;
  readonly pushId: string | undefined;
  readonly since: ReadStart;
  /** The `since` as sent, for the answer of a push stored during a membership outage (SPACE-10). */
  readonly sinceText: string | undefined;
  /** PUSH-13: absent and 0 mean 1. */
  readonly schemaVersion: number;
}

const validChangeset = validatorFor('changeset');
const validSpaceId = validatorFor('space-id');

/**
 * Checks a parsed push body in the order of ERR-11, from the number of changes to the 422s:
 * 413 PUSH_TOO_MANY_CHANGES, 400 (schema: REQUEST_INVALID_BODY or PUSH_INVALID_OP; the client id;
 * the since), 422 SCHEMA_VERSION_UNSUPPORTED, LWW_CLOCK_AHEAD, PUSH_UNSTORABLE_VALUE.
 */
export function validatePush(body: unknown, readParameters: () => PushParameters, nowMs: number): ValidatedPush {
  if (isObject(body) && Array.isArray(body.changes) && body.changes.length > MAX_CHANGES_PER_PUSH) {
    throw new SyncError('PUSH_TOO_MANY_CHANGES', `a push may hold at most ${MAX_CHANGES_PER_PUSH} changes, this one holds ${body.changes.length}`);
  }
  // Parameters and schema share one place in the order of checks; the parameters are read first.
  const { appId, clientIdHeader } = readParameters();
  if (!validChangeset(body)) throw schemaError(validChangeset.errors ?? []);
  body.changes.forEach(checkInstantsAndSpace);
  const clientId = clientIdHeader ?? body.clientId;
  if (clientId === undefined) throw new SyncError('PUSH_MISSING_CLIENT_ID', 'the push names no client: send the X-Client-Id header or a clientId member');
  const since = parseSince(body.since);
  if (since === null) throw cursorInvalid('since');
  const schemaVersion = body.schemaVersion === undefined || body.schemaVersion === 0 ? 1 : body.schemaVersion;
  if (schemaVersion > CURRENT_SCHEMA_VERSION) {
    throw new SyncError('SCHEMA_VERSION_UNSUPPORTED', `schemaVersion ${schemaVersion} is newer than ${CURRENT_SCHEMA_VERSION}, the newest this server supports`);
  }
  const writes = body.changes.map(changeWritesOf);
  checkClockSkew(writes, nowMs);
  body.changes.forEach((change, index) => {
    const path = firstUnstorableValue(change);
    if (path !== undefined) {
      throw new SyncError('PUSH_UNSTORABLE_VALUE', `change ${index} holds a string with U+0000 or an unpaired surrogate, or a number out of range`, {
        details: { index, path: `/changes/${index}${path}` },
      });
    }
  });
  return { appId, changes: body.changes, writes, clientId, pushId: body.pushId, since, sinceText: body.since, schemaVersion };
}

/** 400 CURSOR_INVALID for a `since` (or Last-Event-ID) that is not empty, a cursor of this server or an instant (PULL-9). */
export function cursorInvalid(parameter: string): SyncError {
  return new SyncError('CURSOR_INVALID', `${parameter} is neither empty, nor a cursor of this server, nor an RFC 3339 instant`, {
    details: { parameter },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CHANGE_PATH = /^\/changes\/(\d+)(?:\/|$)/;
// Keywords that only say that a sub-schema failed; their more precise errors are reported instead.
const COMPOSITE = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not']);

/**
 * The first schema failure (PUSH-3): a member of the body itself before the changes, else the change
 * of the lowest index; an invalid `op` of that change is PUSH_INVALID_OP (PUSH-4).
 */
function schemaError(errors: readonly ErrorObject[]): SyncError {
  const indexOf = (error: ErrorObject): number => {
    const match = CHANGE_PATH.exec(error.instancePath);
    return match === null ? -1 : Number(match[1]);
  };
  const first = Math.min(...errors.map(indexOf));
  const candidates = errors.filter((error) => indexOf(error) === first);
  const precise = candidates.filter((error) => !COMPOSITE.has(error.keyword));
  const error = precise[0] ?? candidates[0];
  if (error === undefined) return new SyncError('REQUEST_INVALID_BODY', 'the body does not match changeset.schema.json', { details: { path: '' } });
  const index = first >= 0 ? { index: first } : {};
  const opError = candidates.find((candidate) => candidate.instancePath === `/changes/${first}/op`);
  if (first >= 0 && opError !== undefined) {
    return new SyncError('PUSH_INVALID_OP', `change ${first} has an op other than insert, update or delete`, {
      details: { ...index, path: opError.instancePath },
    });
  }
  const path = pathOf(error);
  const where = first >= 0 ? `change ${first}: ` : '';
  return new SyncError('REQUEST_INVALID_BODY', `${where}${path === '' ? 'the body' : path} ${error.message ?? `fails ${error.keyword}`}`, {
    details: { ...index, path },
  });
}

/** The pointer to the offending member itself: a missing member or a bad member name is named, not its parent. */
function pathOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: unknown; propertyName?: unknown };
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') return `${error.instancePath}${jsonPointer([params.missingProperty])}`;
  if (typeof params.propertyName === 'string') return `${error.instancePath}${jsonPointer([params.propertyName])}`;
  return error.instancePath;
}

/**
 * Instants the schema accepts but the server cannot hold in canonical form (before year 0000 or after
 * 9999 once converted to UTC), and spaces named in record values (SPACE-1), which the schema does
 * not reach: both are 400 REQUEST_INVALID_BODY like any schema failure.
 */
function checkInstantsAndSpace(change: Change, index: number): void {
  const invalid = (path: Array<string | number>, message: string) =>
    new SyncError('REQUEST_INVALID_BODY', `change ${index}: ${message}`, { details: { index, path: `/changes/${index}${jsonPointer(path)}` } });
  const instants: Array<[Array<string | number>, unknown]> = [
    [['at'], change.at],
    [['deletedAt'], change.deletedAt],
    ...Object.entries(change.fields ?? {}).flatMap(([name, field]): Array<[Array<string | number>, unknown]> => [
      [['fields', name, 'at'], field.at],
      [['fields', name, 'updatedAt'], field.updatedAt],
    ]),
  ];
  for (const [path, value] of instants) {
    if (typeof value === 'string' && instantOf(value) === null) throw invalid(path, `${jsonPointer(path)} is not an instant between the years 0000 and 9999`);
  }
  const named = namedSpaceOf(change);
  if (named !== undefined && !validSpaceId(named.spaceId)) throw invalid(named.path, `${jsonPointer(named.path)} is not a space id`);
}

/** LWW-12: no stamp more than MAX_FUTURE_SKEW_SECONDS after the server's clock. */
function checkClockSkew(writes: readonly ChangeWrites[], nowMs: number): void {
  const limit = nowMs + MAX_FUTURE_SKEW_SECONDS * 1000;
  writes.forEach(({ writes: fields, deletion }, index) => {
    const ahead = [...fields, ...(deletion === undefined ? [] : [{ name: 'deletedAt', t: deletion.t }])].find((write) => write.t !== null && write.t > limit);
    if (ahead !== undefined) {
      throw new SyncError('LWW_CLOCK_AHEAD', `change ${index} stamps field "${ahead.name}" at ${formatCanonicalInstant(ahead.t!)}, more than ${MAX_FUTURE_SKEW_SECONDS} s ahead of the server's clock`, {
        details: { index, field: ahead.name },
      });
    }
  });
}
