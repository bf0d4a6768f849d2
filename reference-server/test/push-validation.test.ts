import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../spec/generated/constants.js';
import type { Change } from '../../spec/generated/types.js';
import { bearerToken } from '../src/auth/bearer.js';
import { SyncError } from '../src/errors.js';
import { changeWritesOf } from '../src/push/field-writes.js';
import { parseJsonBody } from '../src/push/json-body.js';
import { planSpaces } from '../src/spaces/space-resolution.js';
import { recordKeyString } from '../src/store/record-spaces.js';

const refusal = (work: () => unknown): SyncError => {
  try {
    work();
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('the JSON body', () => {
  it('PUSH-16 measures depth on the text, ignoring brackets inside strings, and points at the first container too deep', () => {
    const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    expect(parseJsonBody(Buffer.from(`{"a":"[[[[","b":${deep(MAX_JSON_DEPTH - 1)}}`))).toBeTruthy();
    const error = refusal(() => parseJsonBody(Buffer.from(`{"x":[1,{"k\\"ey":${deep(MAX_JSON_DEPTH)}}]}`)));
    expect(error.code).toBe('REQUEST_INVALID_BODY');
    // Containers at depth 4 and below are reached through the key; the one at MAX_JSON_DEPTH + 1 is 61 arrays further in.
    expect(error.details?.path).toBe(`/x/1/k"ey${'/0'.repeat(MAX_JSON_DEPTH + 1 - 4)}`);
  });

  it('PUSH-3 refuses invalid UTF-8 and invalid JSON as REQUEST_INVALID_JSON', () => {
    expect(refusal(() => parseJsonBody(Buffer.from([0xc3, 0x28]))).code).toBe('REQUEST_INVALID_JSON');
    expect(refusal(() => parseJsonBody(Buffer.from('{"a":}'))).code).toBe('REQUEST_INVALID_JSON');
  });
});

describe('stamps of field writes', () => {
  it('LWW-9 LWW-10 an insert writes data and fields, a field\'s own stamp overriding the record\'s', () => {
    const change: Change = {
      table: 't',
      id: 'r',
      op: 'insert',
      c: 2,
      data: { a: 1, b: 2, updatedAt: 'not an instant', createdAt: '2025-01-01T00:00:00Z' },
      fields: { b: { value: 3, updatedAt: '2025-02-01T00:00:00Z', c: 9 } },
    };
    const { writes, deletion } = changeWritesOf(change);
    expect(deletion).toBeUndefined();
    expect(Object.fromEntries(writes.map((write) => [write.name, [write.value, write.t, write.c]]))).toEqual({
      a: [1, Date.parse('2025-01-01T00:00:00Z'), 2],
      b: [3, Date.parse('2025-02-01T00:00:00Z'), 9],
      updatedAt: ['not an instant', Date.parse('2025-01-01T00:00:00Z'), 2],
      createdAt: ['2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:00:00Z'), 2],
    });
  });

  it('LWW-13 a delete writes deletedAt: stamped by its own field, the change\'s at, or its deletedAt; no stamp means the server clock', () => {
    expect(changeWritesOf({ table: 't', id: 'r', op: 'delete', deletedAt: '2025-03-01T00:00:00Z' }).deletion).toEqual({
      t: Date.parse('2025-03-01T00:00:00Z'),
      c: 0,
      recordedT: Date.parse('2025-03-01T00:00:00Z'),
    });
    expect(changeWritesOf({ table: 't', id: 'r', op: 'delete', fields: { deletedAt: { value: null, at: '2025-04-01T00:00:00Z', c: 5 } } }).deletion).toEqual({
      t: Date.parse('2025-04-01T00:00:00Z'),
      c: 5,
      recordedT: null,
    });
    expect(changeWritesOf({ table: 't', id: 'r', op: 'delete' }).deletion).toEqual({ t: null, c: 0, recordedT: null });
  });
});

describe('space resolution', () => {
  const change = (id: string, spaceId?: string): Change => ({ table: 't', id, op: 'update', fields: { x: { value: 1 } }, ...(spaceId === undefined ? {} : { spaceId }) });

  it('SPACE-3 SPACE-4 SPACE-5 reports every 403 of the push before any 409, each the first in array order', () => {
    const stored = new Map([[recordKeyString({ table: 't', id: 'r' }), 'org-a']]);
    const members = new Set(['org-a', 'org-b']);
    expect(planSpaces([change('r', 'org-b'), change('s', 'org-c')], stored, 'u', members)).toEqual({ kind: 'not-member', index: 1 });
    expect(planSpaces([change('r', 'org-b'), change('s', '_personal:v')], stored, 'u', members)).toEqual({ kind: 'personal-forbidden', index: 1 });
    expect(planSpaces([change('s', 'org-b'), change('r', 'org-b')], stored, 'u', members)).toEqual({ kind: 'mismatch', index: 1 });
    expect(planSpaces([change('s', 'org-b')], stored, 'u', null)).toEqual({ kind: 'membership-unknown', index: 0 });
  });

  it('SPACE-1 SPACE-5 an unnamed change takes its record\'s space; a new record is claimed by its first change', () => {
    const stored = new Map([[recordKeyString({ table: 't', id: 'r' }), 'org-a']]);
    const plan = planSpaces([change('r'), change('n', 'org-a'), change('n'), change('p')], stored, 'u', new Set(['org-a']));
    expect(plan).toEqual({
      kind: 'ok',
      spaces: ['org-a', 'org-a', 'org-a', '_personal:u'],
      claims: [
        { table: 't', id: 'n', spaceId: 'org-a', index: 1 },
        { table: 't', id: 'p', spaceId: '_personal:u', index: 3 },
      ],
    });
  });
});

describe('the Authorization header', () => {
  it('AUTH-1 AUTH-12 takes one bearer token, case-insensitive scheme; refuses none, another scheme, empty, or two', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer  ']) expect(refusal(() => bearerToken(header)).code).toBe('AUTH_MISSING_TOKEN');
    expect(refusal(() => bearerToken('Bearer a b')).code).toBe('AUTH_INVALID_TOKEN');
  });
});
