import fc from 'fast-check';
import { CURRENT_SCHEMA_VERSION, MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH, MAX_COLLECTIONS_PER_STREAM, MAX_JSON_DEPTH } from '../../../spec/generated/constants.js';
import type { ErrorCode } from '../../../spec/generated/error-codes.js';
import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { APP_PLACEHOLDER, BAD_REQUEST_CLIENT_ID, type BadRequest, type BodyPiece, type Endpoint, type ExpectedRefusal } from './bad-request.js';

// Bad requests for every endpoint of the spec, each built from a valid request and one deciding
// fault, sometimes with a second fault that ERR-11's order of checks masks. Only faults whose answer
// the spec fixes are generated (a 4xx, the code where one is fixed), so that a failure is always the
// server's: forged cursors that another server might issue, repeated query parameters and the like
// are left out.

/** ERR-11's order of checks; a fault is answered only when no fault of a lower rank is present. */
const RANK = { route: 0, method: 1, auth: 2, mediaType: 3, bodySize: 4, json: 5, changeCount: 6, schema: 7, schemaVersion: 8, stamp: 9, value: 10, space: 11 } as const;

const STAMP = '2026-01-01T00:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const TABLES = ['tasks', 'notes'] as const;

/** Where a serialized push body gets what JSON.stringify cannot write. */
const MARK = { deep: '@@deep@@', utf8: '@@utf8@@', raw: '@@raw@@', fill: '@@fill@@' } as const;

type TextOp =
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' }
  | { kind: 'utf8'; bytes: readonly number[] }
  | { kind: 'raw'; token: string }
  | { kind: 'append' | 'prepend'; text: string }
  | { kind: 'empty' }
  | { kind: 'whole-deep'; depth: number }
  | { kind: 'fill'; extra: number };

interface Draft {
  endpoint: Endpoint;
  method: string;
  path: string;
  query: Array<[name: string, value: string, raw?: boolean]>;
  headers: Record<string, string>;
  bearer: boolean;
  /** The push body as JSON, before the text operations. */
  json?: unknown;
  textOps: TextOp[];
}

interface Fault {
  what: string;
  rank: number;
  expected: { codes: readonly ErrorCode[] | 'any-4xx'; requirement: RequirementId; indexed?: boolean };
  /** A fault whose place in ERR-11's order a server may choose (an undecodable path): never combined. */
  alone?: boolean;
  /** Changes the draft; returns the index of the change it wrote, for `details.index`. */
  apply: (draft: Draft) => number | undefined;
}

const fault = (what: string, rank: number, codes: readonly ErrorCode[] | 'any-4xx', requirement: RequirementId, apply: Fault['apply'], options: { indexed?: boolean; alone?: boolean } = {}): Fault => ({
  what,
  rank,
  expected: { codes, requirement, ...(options.indexed ? { indexed: true } : {}) },
  ...(options.alone ? { alone: true } : {}),
  apply,
});

// ---------------------------------------------------------------- shared odd values

/** App ids as path segments on the wire (already percent-encoded): none matches app-id.schema.json. */
const oddAppSegment: fc.Arbitrary<{ segment: string; undecodable: boolean }> = fc.oneof(
  fc.constantFrom('Todo', 'TODO', '-todo', '_todo', 'to%20do', 'todo!', 't%C3%A2che', '.hidden', 'a.b', 'app%3Bdrop', "app'", '%E2%80%8Btodo', 'todo%0A', '%00').map((segment) => ({ segment, undecodable: false })),
  fc.integer({ min: 65, max: 900 }).map((length) => ({ segment: 'a'.repeat(length), undecodable: false })),
  fc.stringMatching(/^[A-Z][a-z0-9]{0,12}$/).map((segment) => ({ segment, undecodable: false })),
  // Undecodable, or an encoded slash: a router may see no route at all (404) instead of a bad segment.
  fc.constantFrom('%zz', 'a%2Fb', '%', 'a%E0%A4%A').map((segment) => ({ segment, undecodable: true })),
);

/** Table names none of which matches table-name.schema.json (and none holds a comma). */
const oddTableName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '1tasks', 'ta-sks', 'ta sks', 'tâches', '../etc', 'tasks;drop table tasks', 'tasks\u0000', '$tasks', 'tasks.notes', "ta'sks", 'ta"sks', '\u{1F600}'),
  fc.integer({ min: 65, max: 4000 }).map((length) => 'x'.repeat(length)),
  fc.stringMatching(/^[0-9][a-z]{0,8}$/),
);

/** `since` values that are neither empty, nor a cursor (cursor.schema.json has no space or non-ASCII), nor an instant with offset. */
const garbageSince: fc.Arbitrary<string> = fc.constantFrom('not a cursor', 'c1 garbage', 'since ¿', '2026-01-01T00:00:00', '2026-13-45T25:61:00Z', 'yesterday at noon', '\u0000', ' ');

const overlongSince = fc.integer({ min: 513, max: 3000 }).map((length) => 'x'.repeat(length));

const requestedBy = (expected: Fault['expected'], masked: boolean, index: number | undefined): ExpectedRefusal => ({
  codes: expected.codes,
  requirement: masked ? 'ERR-11' : expected.requirement,
  ...(expected.indexed && index !== undefined ? { index } : {}),
});

// ---------------------------------------------------------------- faults every authenticated endpoint shares

const routeFault = (suffix: fc.Arbitrary<string>): fc.Arbitrary<Fault> =>
  suffix.map((word) => fault(`no such endpoint: …/${word}`, RANK.route, ['ROUTE_NOT_FOUND'], 'ERR-5', (draft) => void (draft.path = `${draft.path}/${word}`)));

const methodFault = (methods: readonly string[]): fc.Arbitrary<Fault> =>
  fc.constantFrom(...methods).map((method) => fault(`method ${method}`, RANK.method, ['METHOD_NOT_ALLOWED'], 'ERR-6', (draft) => void (draft.method = method)));

const authFault: fc.Arbitrary<Fault> = fc
  .constantFrom<[string, string | undefined, ErrorCode, RequirementId]>(
    ['no Authorization header', undefined, 'AUTH_MISSING_TOKEN', 'AUTH-1'],
    ['Authorization: Basic', 'Basic YWxpY2U6c2VjcmV0', 'AUTH_MISSING_TOKEN', 'AUTH-1'],
    ['an empty bearer token', 'Bearer ', 'AUTH_MISSING_TOKEN', 'AUTH-12'],
    ['two bearer tokens', 'Bearer a.b.c d.e.f', 'AUTH_INVALID_TOKEN', 'AUTH-12'],
    ['a bearer token that is no JWT', 'Bearer not-a-jwt', 'AUTH_INVALID_TOKEN', 'AUTH-3'],
  )
  .map(([what, header, code, requirement]) =>
    fault(what, RANK.auth, [code], requirement, (draft) => {
      draft.bearer = false;
      if (header !== undefined) draft.headers.authorization = header;
      return undefined;
    }),
  );

const appFault = (requirement: RequirementId): fc.Arbitrary<Fault> =>
  oddAppSegment.map(({ segment, undecodable }) =>
    // An undecodable path may be judged where routes are (ERR-11's first step) or as a parameter.
    fault(`app id segment "${segment.slice(0, 40)}"`, RANK.schema, undecodable ? ['REQUEST_INVALID_PARAMETER', 'ROUTE_NOT_FOUND'] : ['REQUEST_INVALID_PARAMETER'], requirement, (draft) => {
      draft.path = draft.path.replace(APP_PLACEHOLDER, segment);
      return undefined;
    }, { alone: undecodable }),
  );

// ---------------------------------------------------------------- push (section 2)

type Json = Record<string, unknown>;

const validChange: fc.Arbitrary<Json> = fc
  .record({ op: fc.constantFrom('insert', 'update', 'delete'), table: fc.constantFrom(...TABLES), n: fc.nat({ max: 999_999 }) })
  .map(({ op, table, n }): Json => {
    const id = `rec-${n}`;
    if (op === 'insert') return { table, id, op, data: { title: `t${n}`, done: false } };
    if (op === 'update') return { table, id, op, fields: { title: { value: `u${n}`, at: STAMP, c: 0 } } };
    return { table, id, op, deletedAt: STAMP };
  });

function changesOf(draft: Draft): unknown[] {
  const body = draft.json as Json;
  return body.changes as unknown[];
}

/** Puts `change` at `position` (modulo the length) of the changes; returns its index. */
function insertChangeAt(draft: Draft, position: number, change: unknown): number {
  const changes = changesOf(draft);
  const index = position % (changes.length + 1);
  changes.splice(index, 0, change);
  return index;
}

type ChangeMaker = (table: string, id: string, size: number) => unknown;

/** A change that does not match change.schema.json: [what, the change, codes]. */
const SCHEMA_BREAKING_CHANGES: ReadonlyArray<[string, ChangeMaker, ErrorCode[]?]> = [
  ['table is a number', (_t, id) => ({ table: 5, id, op: 'delete' })],
  ['table is null', (_t, id) => ({ table: null, id, op: 'delete' })],
  ['table is an object', (_t, id) => ({ table: { name: 'tasks' }, id, op: 'delete' })],
  ['table is missing', (_t, id) => ({ id, op: 'delete' })],
  ['id is empty', (table) => ({ table, id: '', op: 'delete' })],
  ['id is longer than 255 characters', (table, _id, size) => ({ table, id: 'i'.repeat(256 + size), op: 'delete' })],
  ['id is a number', (table) => ({ table, id: 42, op: 'delete' })],
  ['id holds U+0000', (table) => ({ table, id: 'a\u0000b', op: 'delete' })],
  ['id is missing', (table) => ({ table, op: 'delete' })],
  ['op is missing', (table, id) => ({ table, id, data: {} }), ['PUSH_INVALID_OP', 'REQUEST_INVALID_BODY']],
  ['insert without data', (table, id) => ({ table, id, op: 'insert' })],
  ['insert whose data is an array', (table, id) => ({ table, id, op: 'insert', data: [1, 2] })],
  ['insert whose data is a string', (table, id) => ({ table, id, op: 'insert', data: 'title' })],
  ['insert whose data is null', (table, id) => ({ table, id, op: 'insert', data: null })],
  ['insert with an empty field name', (table, id) => ({ table, id, op: 'insert', data: { '': 1 } })],
  ['insert with a field name starting with $', (table, id) => ({ table, id, op: 'insert', data: { $where: 1 } })],
  ['insert with a field name over 128 characters', (table, id, size) => ({ table, id, op: 'insert', data: { ['f'.repeat(129 + size)]: 1 } })],
  ['update without fields', (table, id) => ({ table, id, op: 'update' })],
  ['update with no field', (table, id) => ({ table, id, op: 'update', fields: {} })],
  ['update whose fields is an array', (table, id) => ({ table, id, op: 'update', fields: [{ value: 1 }] })],
  ['update whose field is a number', (table, id) => ({ table, id, op: 'update', fields: { title: 5 } })],
  ['update whose field has no value', (table, id) => ({ table, id, op: 'update', fields: { title: { at: STAMP, c: 0 } } })],
  ['field stamp "soon"', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: 'soon' } } })],
  ['field stamp without offset', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: '2026-01-01T00:00:00' } } })],
  ['field stamp is a number', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: 1767225600000 } } })],
  ['field updatedAt "later"', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, updatedAt: 'later' } } })],
  ['counter is negative', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: STAMP, c: -1 } } })],
  ['counter is a fraction', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: STAMP, c: 1.5 } } })],
  ['counter is above HLC_COUNTER_MAX', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: STAMP, c: 2 ** 31 } } })],
  ['counter is a string', (table, id) => ({ table, id, op: 'update', fields: { title: { value: 1, at: STAMP, c: '0' } } })],
  ['deletedAt is a number', (table, id) => ({ table, id, op: 'delete', deletedAt: 5 })],
  ['deletedAt "yesterday"', (table, id) => ({ table, id, op: 'delete', deletedAt: 'yesterday' })],
  ['change at "now"', (table, id) => ({ table, id, op: 'delete', at: 'now' })],
  ['spaceId is empty', (table, id) => ({ table, id, op: 'delete', spaceId: '' })],
  ['spaceId is a number', (table, id) => ({ table, id, op: 'delete', spaceId: 7 })],
  ['spaceId starts with _ but is no personal space', (table, id) => ({ table, id, op: 'delete', spaceId: '_team' })],
  ['spaceId is longer than 255 characters', (table, id, size) => ({ table, id, op: 'delete', spaceId: 's'.repeat(256 + size) })],
  ['origin is a number', (table, id) => ({ table, id, op: 'delete', origin: 5 })],
  ['origin is longer than 256 characters', (table, id, size) => ({ table, id, op: 'delete', origin: 'o'.repeat(257 + size) })],
  ['the change is null', () => null],
  ['the change is a number', () => 1],
  ['the change is a string', () => 'insert tasks'],
  ['the change is an array', (table, id) => [table, id, 'delete']],
];

/** Operations that are not insert, update or delete (PUSH-4). */
const unknownOp: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('merge', 'upsert', 'INSERT', 'Insert', 'Delete', '', ' insert', 'delete ', 'remove', 'patch', 'insert\u0000', 5, null, true, ['insert'], { op: 'insert' }),
  fc.stringMatching(/^[a-z]{1,10}$/).filter((op) => !['insert', 'update', 'delete'].includes(op)),
);

const changeSchemaFault: fc.Arbitrary<Fault> = fc
  .record({ entry: fc.constantFrom(...SCHEMA_BREAKING_CHANGES), table: fc.oneof(fc.constantFrom(...TABLES), oddTableName), position: fc.nat(), size: fc.nat({ max: 4000 }), n: fc.nat({ max: 999 }) })
  .chain(({ entry, table, position, size, n }) => {
    // An odd table name is itself the fault; otherwise the entry's fault, on a valid table.
    const [what, make, codes] = TABLES.includes(table as (typeof TABLES)[number]) ? entry : ([`table name "${table.slice(0, 40)}"`, (t: string, id: string) => ({ table: t, id, op: 'delete' })] as const);
    return fc.constant(
      fault(`change: ${what}`, RANK.schema, codes ?? ['REQUEST_INVALID_BODY'], 'PUSH-3', (draft) => insertChangeAt(draft, position, make(table, `bad-${n}`, size)), { indexed: true }),
    );
  });

const unknownOpFault: fc.Arbitrary<Fault> = fc
  .record({ op: unknownOp, table: fc.constantFrom(...TABLES), position: fc.nat(), n: fc.nat({ max: 999 }) })
  .map(({ op, table, position, n }) =>
    fault(`op ${JSON.stringify(op)}`, RANK.schema, ['PUSH_INVALID_OP'], 'PUSH-4', (draft) => insertChangeAt(draft, position, { table, id: `op-${n}`, op, data: {} }), { indexed: true }),
  );

const setMember = (name: string, value: unknown) => (draft: Draft) => {
  (draft.json as Json)[name] = value;
  return undefined;
};

const bodyMemberFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constantFrom<[string, unknown]>(['changes is missing', undefined], ['changes is a string', 'all of them'], ['changes is a number', 5], ['changes is null', null], ['changes is an object', { 0: {} }]).map(([what, value]) =>
    fault(what, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', (draft) => {
      const body = draft.json as Json;
      if (value === undefined) delete body.changes;
      else body.changes = value;
      return undefined;
    }),
  ),
  fc.constantFrom<[string, unknown]>(['since is a number', 12], ['since is an object', {}], ['since is null', null]).map(([what, value]) => fault(what, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', setMember('since', value))),
  overlongSince.map((since) => fault(`since of ${since.length} characters`, RANK.schema, ['REQUEST_INVALID_BODY', 'CURSOR_INVALID'], 'PUSH-3', setMember('since', since))),
  garbageSince.map((since) => fault(`since ${JSON.stringify(since)}`, RANK.schema, ['CURSOR_INVALID'], 'PULL-9', setMember('since', since))),
  fc.constantFrom<unknown>(-1, 1.5, '1', null, true).map((value) => fault(`schemaVersion ${JSON.stringify(value)}`, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', setMember('schemaVersion', value))),
  fc.oneof(fc.constantFrom<unknown>('', 'a b', 5, null, 'p\u0000'), fc.integer({ min: 129, max: 2000 }).map((length) => 'p'.repeat(length))).map((value) =>
    fault(`pushId ${JSON.stringify(value).slice(0, 40)}`, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', setMember('pushId', value)),
  ),
  fc.oneof(fc.constantFrom<unknown>('', 'a b', 5, 'caf\u00e9'), fc.integer({ min: 129, max: 2000 }).map((length) => 'c'.repeat(length))).map((value) =>
    fault(`body clientId ${JSON.stringify(value).slice(0, 40)}`, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', setMember('clientId', value)),
  ),
);

const clientIdFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant(
    fault('no client id in the header or the body', RANK.schema, ['PUSH_MISSING_CLIENT_ID'], 'PUSH-5', (draft) => {
      delete draft.headers['x-client-id'];
      delete (draft.json as Json).clientId;
      return undefined;
    }),
  ),
  // A client id that does not match client-id.schema.json, with none in the body to fall back to.
  fc.oneof(fc.constantFrom('a b', 'caf\u00e9', 'a\tb'), fc.integer({ min: 129, max: 2000 }).map((length) => 'h'.repeat(length))).map((header) =>
    fault(`X-Client-Id "${header.slice(0, 40)}"`, RANK.schema, 'any-4xx', 'PUSH-5', (draft) => {
      draft.headers['x-client-id'] = header;
      delete (draft.json as Json).clientId;
      return undefined;
    }),
  ),
);

const bodyShapeFault: fc.Arbitrary<Fault> = fc
  .constantFrom<unknown>([], [{ table: 'tasks', id: 'x', op: 'delete' }], null, 5, 'changes', true)
  .map((body) => fault(`the body is ${JSON.stringify(body)}`, RANK.schema, ['REQUEST_INVALID_BODY'], 'PUSH-3', (draft) => void (draft.json = body)));

const unprocessableFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.integer({ min: CURRENT_SCHEMA_VERSION + 1, max: 2 ** 31 }).map((version) =>
    fault(`schemaVersion ${version}`, RANK.schemaVersion, ['SCHEMA_VERSION_UNSUPPORTED'], 'PUSH-13', setMember('schemaVersion', version)),
  ),
  fc.record({ position: fc.nat(), n: fc.nat({ max: 999 }), onChange: fc.boolean() }).map(({ position, n, onChange }) =>
    fault(`a stamp in ${FAR_FUTURE.slice(0, 4)}`, RANK.stamp, ['LWW_CLOCK_AHEAD'], 'LWW-12', (draft) =>
      insertChangeAt(draft, position, onChange ? { table: 'tasks', id: `ahead-${n}`, op: 'delete', at: FAR_FUTURE } : { table: 'tasks', id: `ahead-${n}`, op: 'update', fields: { title: { value: 1, at: FAR_FUTURE, c: 0 } } }),
    ),
  ),
  fc
    .record({
      where: fc.constantFrom<[string, (id: string) => Json]>(
        ['a value', (id) => ({ table: 'tasks', id, op: 'insert', data: { title: 'a\u0000b' } })],
        ['a field name', (id) => ({ table: 'tasks', id, op: 'insert', data: { 'ti\u0000tle': 1 } })],
        ['a nested value', (id) => ({ table: 'tasks', id, op: 'insert', data: { tags: [{ label: ['\u0000'] }] } })],
        ['an updated value', (id) => ({ table: 'tasks', id, op: 'update', fields: { title: { value: '\u0000', at: STAMP, c: 0 } } })],
        ['actor', (id) => ({ table: 'tasks', id, op: 'delete', actor: { name: 'x\u0000' } })],
        ['origin', (id) => ({ table: 'tasks', id, op: 'delete', origin: 'user\u0000' })],
      ),
      position: fc.nat(),
      n: fc.nat({ max: 999 }),
    })
    .map(({ where, position, n }) => fault(`U+0000 in ${where[0]}`, RANK.value, ['PUSH_UNSTORABLE_VALUE'], 'PUSH-15', (draft) => insertChangeAt(draft, position, where[1](`nul-${n}`)))),
);

const spaceFault: fc.Arbitrary<Fault> = fc
  .record({ foreign: fc.boolean(), position: fc.nat(), n: fc.nat({ max: 999_999 }) })
  .map(({ foreign, position, n }) =>
    foreign
      ? fault('an insert into another user\'s personal space', RANK.space, ['SPACE_PERSONAL_FORBIDDEN'], 'SPACE-3', (draft) => insertChangeAt(draft, position, { table: 'tasks', id: `sp-${n}`, op: 'insert', data: {}, spaceId: `_personal:someone-else-${n}` }))
      : fault('an insert into a space the user is not a member of', RANK.space, ['SPACE_NOT_MEMBER'], 'SPACE-4', (draft) => insertChangeAt(draft, position, { table: 'tasks', id: `sp-${n}`, op: 'insert', data: {}, spaceId: `org-malformed-${n}` })),
  );

const textFault = (what: string, rank: number, codes: ErrorCode[], requirement: RequirementId, op: TextOp, member?: [string, string]): Fault =>
  fault(what, rank, codes, requirement, (draft) => {
    draft.textOps.push(op);
    if (member !== undefined) (draft.json as Json)[member[0]] = member[1];
    return undefined;
  });

const invalidJsonFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constantFrom(',', 'x', '}', ']', ' 1', '{}', 'null').map((text) => textFault(`"${text}" after the JSON`, RANK.json, ['REQUEST_INVALID_JSON'], 'PUSH-3', { kind: 'append', text })),
  fc.constantFrom('x', ',', ':', ']', "'").map((text) => textFault(`"${text}" before the JSON`, RANK.json, ['REQUEST_INVALID_JSON'], 'PUSH-3', { kind: 'prepend', text })),
  fc.constantFrom('NaN', 'undefined', "'single'", '01', '.5', '+1', '0x10', '"\\x"', '"a\tb"', '/*c*/1', 'Infinity', 'tru').map((token) =>
    textFault(`the JSON holds ${token}`, RANK.json, ['REQUEST_INVALID_JSON'], 'PUSH-3', { kind: 'raw', token }, ['note', MARK.raw]),
  ),
  fc.constantFrom<readonly number[]>([0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf4, 0x90, 0x80, 0x80]).map((bytes) =>
    textFault(`invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')} in a string`, RANK.json, ['REQUEST_INVALID_JSON'], 'PUSH-3', { kind: 'utf8', bytes }, ['note', MARK.utf8]),
  ),
);

/** Not maskable: it would take a masking fault's body (an oversized one) with it. */
const emptyBodyFault: fc.Arbitrary<Fault> = fc.constant(fault('an empty body', RANK.json, ['REQUEST_INVALID_JSON'], 'PUSH-3', (draft) => void draft.textOps.push({ kind: 'empty' })));

const deepFault: fc.Arbitrary<Fault> = fc
  .record({ depth: fc.oneof(fc.integer({ min: MAX_JSON_DEPTH, max: 400 }), fc.constant(100_000)), shape: fc.constantFrom<'array' | 'object'>('array', 'object') })
  .map(({ depth, shape }) => textFault(`a value nested ${depth} ${shape}s deep`, RANK.json, ['REQUEST_INVALID_BODY'], 'PUSH-16', { kind: 'deep', depth, shape }, ['nested', MARK.deep]));

const wholeDeepFault: fc.Arbitrary<Fault> = fc
  .oneof(fc.integer({ min: MAX_JSON_DEPTH + 1, max: 400 }), fc.constant(100_000))
  .map((depth) => fault(`the body is ${depth} nested arrays`, RANK.json, ['REQUEST_INVALID_BODY'], 'PUSH-16', (draft) => void draft.textOps.push({ kind: 'whole-deep', depth })));

const oversizeFault: fc.Arbitrary<Fault> = fc
  .integer({ min: 1, max: 4096 })
  .map((extra) => textFault(`a body of MAX_BODY_BYTES + ${extra} bytes`, RANK.bodySize, ['REQUEST_TOO_LARGE'], 'PUSH-14', { kind: 'fill', extra }, ['padding', MARK.fill]));

const tooManyFault: fc.Arbitrary<Fault> = fc.integer({ min: 1, max: 100 }).map((extra) =>
  fault(`MAX_CHANGES_PER_PUSH + ${extra} changes`, RANK.changeCount, ['PUSH_TOO_MANY_CHANGES'], 'PUSH-14', (draft) => {
    const changes = changesOf(draft);
    while (changes.length < MAX_CHANGES_PER_PUSH + extra) changes.push({ table: 'tasks', id: `many-${changes.length}`, op: 'delete' });
    return undefined;
  }),
);

const mediaTypeFault: fc.Arbitrary<Fault> = fc
  .constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json', 'application/xml', 'application/json-patch+json', 'json')
  .map((type) =>
    fault(`Content-Type ${type ?? '(none)'}`, RANK.mediaType, ['UNSUPPORTED_MEDIA_TYPE'], 'PUSH-2', (draft) => {
      if (type === undefined) delete draft.headers['content-type'];
      else draft.headers['content-type'] = type;
      return undefined;
    }),
  );

const routeWord = fc.stringMatching(/^[a-z]{1,8}$/).map((word) => `x-${word}`);

const pushDeciding: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: routeFault(routeWord), weight: 1 },
  { arbitrary: methodFault(['PUT', 'PATCH', 'DELETE', 'GET']), weight: 1 },
  { arbitrary: authFault, weight: 2 },
  { arbitrary: mediaTypeFault, weight: 2 },
  { arbitrary: oversizeFault, weight: 1 },
  { arbitrary: invalidJsonFault, weight: 4 },
  { arbitrary: emptyBodyFault, weight: 1 },
  { arbitrary: deepFault, weight: 1 },
  { arbitrary: wholeDeepFault, weight: 1 },
  { arbitrary: tooManyFault, weight: 1 },
  { arbitrary: changeSchemaFault, weight: 8 },
  { arbitrary: unknownOpFault, weight: 3 },
  { arbitrary: bodyMemberFault, weight: 4 },
  { arbitrary: bodyShapeFault, weight: 1 },
  { arbitrary: clientIdFault, weight: 1 },
  { arbitrary: appFault('PUSH-1'), weight: 2 },
  { arbitrary: unprocessableFault, weight: 3 },
  { arbitrary: spaceFault, weight: 1 },
);

/** Faults that can stand behind a deciding one, by the lowest rank each arbitrary yields. */
interface Maskable {
  rank: number;
  arbitrary: fc.Arbitrary<Fault>;
}

const pushMaskable: Maskable[] = [
  { rank: RANK.mediaType, arbitrary: mediaTypeFault },
  { rank: RANK.bodySize, arbitrary: oversizeFault },
  { rank: RANK.json, arbitrary: fc.oneof(invalidJsonFault, deepFault) },
  { rank: RANK.changeCount, arbitrary: tooManyFault },
  { rank: RANK.schema, arbitrary: fc.oneof(changeSchemaFault, unknownOpFault, garbageSince.map((since) => fault(`since ${JSON.stringify(since)}`, RANK.schema, ['CURSOR_INVALID'], 'PULL-9', setMember('since', since)))) },
  { rank: RANK.schemaVersion, arbitrary: unprocessableFault },
  { rank: RANK.space, arbitrary: spaceFault },
];

/** Sometimes a second fault that comes later in ERR-11's order than the deciding one, so must not decide the answer. */
function maskedBehind(deciding: Fault, maskable: readonly Maskable[]): fc.Arbitrary<Fault | null> {
  const later = maskable.filter((candidate) => candidate.rank > deciding.rank).map((candidate) => candidate.arbitrary);
  if (later.length === 0 || deciding.alone) return fc.constant(null);
  return fc.option(fc.oneof(...later).filter((masked) => !masked.alone), { freq: 3 });
}

/** The serialized push body: JSON text with the markers replaced, then the operations at its ends. */
function pushBody(json: unknown, ops: readonly TextOp[]): BodyPiece[] {
  if (ops.some((op) => op.kind === 'empty')) return [];
  const whole = ops.find((op) => op.kind === 'whole-deep');
  if (whole !== undefined) return [{ repeat: '[', times: whole.depth }, { repeat: ']', times: whole.depth }];
  let pieces: BodyPiece[] = [JSON.stringify(json)];
  const replace = (marker: string, replacement: BodyPiece[]) => {
    const quoted = JSON.stringify(marker);
    pieces = pieces.flatMap((piece) => {
      if (typeof piece !== 'string' || !piece.includes(quoted)) return [piece];
      const [before, after] = [piece.slice(0, piece.indexOf(quoted)), piece.slice(piece.indexOf(quoted) + quoted.length)];
      return [before, ...replacement, after];
    });
  };
  for (const op of ops) {
    if (op.kind === 'deep') replace(MARK.deep, op.shape === 'array' ? [{ repeat: '[', times: op.depth }, { repeat: ']', times: op.depth }] : [{ repeat: '{"a":', times: op.depth }, '1', { repeat: '}', times: op.depth }]);
    if (op.kind === 'utf8') replace(MARK.utf8, ['"ab', { bytes: op.bytes }, 'cd"']);
    if (op.kind === 'raw') replace(MARK.raw, [op.token]);
    if (op.kind === 'fill') replace(MARK.fill, ['"', { fillTo: MAX_BODY_BYTES + op.extra }, '"']);
  }
  for (const op of ops) {
    if (op.kind === 'append') pieces.push(op.text);
    if (op.kind === 'prepend') pieces.unshift(op.text);
  }
  return pieces.filter((piece) => piece !== '');
}

const pushBase = fc.record({
  changes: fc.array(validChange, { maxLength: 3 }),
  since: fc.constantFrom(undefined, ''),
  clientIdIn: fc.constantFrom('header', 'body', 'both'),
});

const badPush: fc.Arbitrary<BadRequest> = fc
  .tuple(pushBase, pushDeciding)
  .chain(([base, deciding]) => fc.tuple(fc.constant(base), fc.constant(deciding), maskedBehind(deciding, pushMaskable)))
  .map(([base, deciding, masked]) => {
    const json: Json = { changes: [...base.changes.map((change) => ({ ...change }))] };
    if (base.since !== undefined) json.since = base.since;
    if (base.clientIdIn !== 'header') json.clientId = BAD_REQUEST_CLIENT_ID;
    const draft: Draft = {
      endpoint: 'push',
      method: 'POST',
      path: `/sync/${APP_PLACEHOLDER}`,
      query: [],
      headers: { 'content-type': 'application/json', ...(base.clientIdIn === 'body' ? {} : { 'x-client-id': BAD_REQUEST_CLIENT_ID }) },
      bearer: true,
      json,
      textOps: [],
    };
    // The masked fault first, so that the deciding one is not undone and its index stays where it put it.
    masked?.apply(draft);
    const index = deciding.apply(draft);
    return finish(draft, deciding, masked, index, pushBody(draft.json, draft.textOps));
  });

// ---------------------------------------------------------------- pull and stream (sections 3 and 4)

const setQuery = (name: string, value: string | undefined, raw = false) => (draft: Draft) => {
  draft.query = draft.query.filter(([key]) => key !== name);
  if (value !== undefined) draft.query.push([name, value, raw]);
  return undefined;
};

const badLimit = fc.constantFrom('0', '1001', '-1', '1.5', 'abc', '', '01', '1e3', ' 5', '99999999999999999999', '0x10', '10 ');
const badClientIdParam = fc.oneof(fc.constantFrom('', 'a b', 'caf\u00e9', '\u0000'), fc.integer({ min: 129, max: 1500 }).map((length) => 'q'.repeat(length)));

const sinceFaults = (requirementOfLong: RequirementId): fc.Arbitrary<Fault> =>
  fc.oneof(
    garbageSince.map((since) => fault(`since ${JSON.stringify(since)}`, RANK.schema, ['CURSOR_INVALID'], since.startsWith('2026-01-01T00:00:00') ? 'LWW-1' : 'PULL-9', setQuery('since', since))),
    overlongSince.map((since) => fault(`since of ${since.length} characters`, RANK.schema, ['REQUEST_INVALID_PARAMETER', 'CURSOR_INVALID'], requirementOfLong, setQuery('since', since))),
  );

const pullParameterFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant(fault('no collection', RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'PULL-1', setQuery('collection', undefined))),
  oddTableName.map((table) => fault(`collection "${table.slice(0, 40)}"`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'PULL-1', setQuery('collection', table))),
  fc.constant(fault('collection with undecodable percent-encoding', RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'PULL-1', setQuery('collection', 'ta%zzsks', true))),
  badLimit.map((limit) => fault(`limit "${limit}"`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'PULL-1', setQuery('limit', limit))),
  badClientIdParam.map((clientId) => fault(`clientId "${clientId.slice(0, 40)}"`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'PULL-1', setQuery('clientId', clientId))),
  sinceFaults('PULL-1'),
  appFault('PULL-1'),
);

/** Parameters pull-query.schema.json does not define, which a server must ignore (PULL-1). */
const noise = fc.array(fc.constantFrom<[string, string]>(['x-extra', '1'], ['foo', ''], ['collections', 'notes'], ['heartbeat', 'often'], ['utm_source', 'suite']), { maxLength: 2 });

const badPull: fc.Arbitrary<BadRequest> = fc
  .record({ since: fc.constantFrom(undefined, ''), limit: fc.constantFrom(undefined, '1', '1000'), noise, deciding: fc.oneof({ arbitrary: pullParameterFault, weight: 8 }, { arbitrary: authFault, weight: 1 }, { arbitrary: methodFault(['POST', 'PUT', 'DELETE']), weight: 1 }, { arbitrary: routeFault(routeWord), weight: 1 }) })
  .chain((base) => fc.tuple(fc.constant(base), maskedBehind(base.deciding, [{ rank: RANK.auth, arbitrary: authFault }, { rank: RANK.schema, arbitrary: pullParameterFault }])))
  .map(([base, masked]) => {
    const draft: Draft = {
      endpoint: 'pull',
      method: 'GET',
      path: `/sync/${APP_PLACEHOLDER}/pull`,
      query: [['collection', 'tasks'], ...(base.since === undefined ? [] : [['since', base.since] as [string, string]]), ...(base.limit === undefined ? [] : [['limit', base.limit] as [string, string]]), ...base.noise],
      headers: { 'x-client-id': BAD_REQUEST_CLIENT_ID },
      bearer: true,
      textOps: [],
    };
    masked?.apply(draft);
    return finish(draft, base.deciding, masked, base.deciding.apply(draft), undefined);
  });

const streamParameterFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant(fault('no collections', RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'SSE-13', setQuery('collections', undefined))),
  fc.constant(fault('empty collections', RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'SSE-13', setQuery('collections', ''))),
  oddTableName.map((table) => fault(`collections "tasks,${table.slice(0, 40)}"`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'SSE-13', setQuery('collections', `tasks,${table}`))),
  fc.constantFrom('tasks,,notes', 'tasks,', ',tasks', 'tasks, notes', 'tasks;notes').map((list) => fault(`collections "${list}"`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'SSE-13', setQuery('collections', list))),
  fc.integer({ min: MAX_COLLECTIONS_PER_STREAM + 1, max: 200 }).map((count) =>
    fault(`${count} collections`, RANK.schema, ['REQUEST_INVALID_PARAMETER'], 'SSE-13', setQuery('collections', Array.from({ length: count }, (_, i) => `t${i}`).join(','))),
  ),
  garbageSince.map((id) =>
    fault(`Last-Event-ID ${JSON.stringify(id)}`, RANK.schema, ['CURSOR_INVALID'], 'SSE-5', (draft) => {
      // A header cannot carry U+0000 or a lone space: those stay query faults.
      draft.headers['last-event-id'] = id.trim() === '' || id.includes('\u0000') ? 'not a cursor' : id;
      return undefined;
    }),
  ),
  sinceFaults('SSE-1'),
  appFault('SSE-1'),
);

const badStream: fc.Arbitrary<BadRequest> = fc
  .record({ collections: fc.constantFrom('tasks', 'tasks,notes'), since: fc.constantFrom(undefined, ''), deciding: fc.oneof({ arbitrary: streamParameterFault, weight: 8 }, { arbitrary: authFault, weight: 1 }, { arbitrary: methodFault(['POST', 'PUT', 'DELETE']), weight: 1 }) })
  .chain((base) => fc.tuple(fc.constant(base), maskedBehind(base.deciding, [{ rank: RANK.auth, arbitrary: authFault }, { rank: RANK.schema, arbitrary: streamParameterFault }])))
  .map(([base, masked]) => {
    const draft: Draft = {
      endpoint: 'stream',
      method: 'GET',
      path: `/sync/${APP_PLACEHOLDER}/stream`,
      query: [['collections', base.collections], ...(base.since === undefined ? [] : [['since', base.since] as [string, string]])],
      headers: { 'x-client-id': BAD_REQUEST_CLIENT_ID, accept: 'text/event-stream' },
      bearer: true,
      textOps: [],
    };
    masked?.apply(draft);
    return finish(draft, base.deciding, masked, base.deciding.apply(draft), undefined);
  });

// ---------------------------------------------------------------- WebSocket upgrades (section 5)

export const UPGRADE_HEADERS: Readonly<Record<string, string>> = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' };

const handshakeFault: fc.Arbitrary<Fault> = fc
  .constantFrom<[string, string, string | undefined]>(
    ['Sec-WebSocket-Key "short"', 'sec-websocket-key', 'short'],
    ['Sec-WebSocket-Key that is not base64', 'sec-websocket-key', 'not base64 at all!!!!!=='],
    ['no Sec-WebSocket-Key', 'sec-websocket-key', undefined],
    ['Sec-WebSocket-Version 7', 'sec-websocket-version', '7'],
    ['Sec-WebSocket-Version "abc"', 'sec-websocket-version', 'abc'],
    ['no Sec-WebSocket-Version', 'sec-websocket-version', undefined],
    ['Upgrade: h2c', 'upgrade', 'h2c'],
  )
  .map(([what, header, value]) =>
    // RFC 6455 handshakes the spec has no code for: any 4xx, as the spec's JSON error (ERR-1).
    fault(what, RANK.schema, 'any-4xx', 'ERR-1', (draft) => {
      if (value === undefined) delete draft.headers[header];
      else draft.headers[header] = value;
      return undefined;
    }),
  );

const badUpgrade: fc.Arbitrary<BadRequest> = fc
  .record({
    legacy: fc.boolean(),
    deciding: fc.oneof(
      { arbitrary: appFault('WS-1').map((f) => ({ ...f, apply: (draft: Draft) => ((draft.path = `/ws/${APP_PLACEHOLDER}`), f.apply(draft)) })), weight: 4 },
      { arbitrary: handshakeFault, weight: 3 },
      { arbitrary: methodFault(['POST', 'PUT', 'DELETE']), weight: 1 },
      {
        arbitrary: fc.constant(
          fault('a plain GET without Upgrade', RANK.schema, 'any-4xx', 'WS-1', (draft) => {
            for (const name of Object.keys(UPGRADE_HEADERS)) delete draft.headers[name];
            return undefined;
          }),
        ),
        weight: 1,
      },
      // Below the legacy endpoint: `/ws/x-word` alone would be a valid app.
      { arbitrary: routeWord.map((word) => fault(`no such endpoint: /ws/{app}/${word}`, RANK.route, ['ROUTE_NOT_FOUND'], 'ERR-5', (draft) => void (draft.path = `/ws/${APP_PLACEHOLDER}/${word}`))), weight: 1 },
    ),
  })
  .map(({ legacy, deciding: fault }) => {
    const draft: Draft = { endpoint: 'ws-upgrade', method: 'GET', path: legacy ? `/ws/${APP_PLACEHOLDER}` : '/ws', query: [], headers: { ...UPGRADE_HEADERS }, bearer: false, textOps: [] };
    return finish(draft, fault, null, fault.apply(draft), undefined);
  });

// ---------------------------------------------------------------- the other endpoints (sections 7, 9, 10)

const badOther: fc.Arbitrary<BadRequest> = fc
  .oneof(
    fc.record({ path: fc.oneof(routeWord.map((word) => `/${word}`), fc.constant('/sync'), routeWord.map((word) => `/sync/${APP_PLACEHOLDER}/${word}`), routeWord.map((word) => `/health/${word}`)), method: fc.constantFrom('GET', 'POST'), bearer: fc.boolean() }).map(
      ({ path, method, bearer }) => ({ draft: { path, method, bearer }, fault: fault(`no endpoint ${path}`, RANK.route, ['ROUTE_NOT_FOUND'], 'ERR-5', () => undefined) }),
    ),
    fc.record({ path: fc.constantFrom('/health', '/metrics'), method: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH') }).map(({ path, method }) => ({
      draft: { path, method, bearer: false },
      fault: fault(`${method} ${path}`, RANK.method, ['METHOD_NOT_ALLOWED'], 'ERR-6', () => undefined),
    })),
    fc.record({ key: fc.constantFrom(undefined, 'wrong-key', ''), user: fc.constantFrom('alice', 'u-%C3%A9', 'x') }).map(({ key, user }) => ({
      draft: { path: `/internal/memberships/${user}/invalidate`, method: 'POST', bearer: true, headers: Object.fromEntries(key === undefined ? [] : [['x-service-key', key]]) },
      // SPACE-9 is a SHOULD: a server without the endpoint answers 404.
      fault: fault(`invalidate memberships with service key ${JSON.stringify(key ?? null)}`, RANK.auth, ['AUTH_INVALID_TOKEN', 'ROUTE_NOT_FOUND'], 'SPACE-9', () => undefined),
    })),
    fc.constant({ draft: { path: '/internal/memberships/alice/invalidate', method: 'GET', bearer: false }, fault: fault('GET on the invalidation endpoint', RANK.method, ['METHOD_NOT_ALLOWED', 'ROUTE_NOT_FOUND'], 'ERR-6', () => undefined) }),
  )
  .map(({ draft, fault: f }) => finish({ endpoint: 'other', query: [], textOps: [], headers: {}, ...draft }, f, null, undefined, undefined));

// ---------------------------------------------------------------- assembly

function queryString(query: Draft['query']): string {
  if (query.length === 0) return '';
  return `?${query.map(([name, value, raw]) => `${encodeURIComponent(name)}=${raw ? value : encodeURIComponent(value)}`).join('&')}`;
}

function finish(draft: Draft, decidingFault: Fault, masked: Fault | null, index: number | undefined, body: BodyPiece[] | undefined): BadRequest {
  return {
    endpoint: draft.endpoint,
    faults: [decidingFault.what, ...(masked ? [`masked: ${masked.what}`] : [])],
    method: draft.method,
    target: `${draft.path}${queryString(draft.query)}`,
    headers: draft.headers,
    bearer: draft.bearer,
    ...(body === undefined ? {} : { body }),
    expected: requestedBy(decidingFault.expected, masked !== null, index),
  };
}

/** Every kind of bad request of this module, weighted towards the push, where most can go wrong. */
export const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  { arbitrary: badPush, weight: 45 },
  { arbitrary: badPull, weight: 20 },
  { arbitrary: badStream, weight: 15 },
  { arbitrary: badUpgrade, weight: 10 },
  { arbitrary: badOther, weight: 10 },
);
