import { describe, expect, it } from 'vitest';
import { EncryptedFieldRegistry } from '../src/crypto/encrypted-fields.js';
import { encryptValue, isEncryptedValue } from '../src/crypto/field-cipher.js';
import { fieldEncryption } from '../src/crypto/field-encryption.js';
import { decryptRecord, encryptRecord } from '../src/crypto/record-cipher.js';
import { randomVaultKey } from './support/field-keys.js';

const registry = new EncryptedFieldRegistry({ tasks: ['title', 'notes', 'tags'] });
const personal = { id: 'task-1', spaceId: '_personal:u-alice', title: 'Buy milk', notes: null, tags: ['home'], done: false, order: 3 };
const shared = { ...personal, id: 'task-2', spaceId: 'org-family' };

describe('per-field encryption of records', () => {
  it('CRYPT-7 registered fields of personal records are encrypted, the others stay plaintext', async () => {
    const key = await randomVaultKey();
    const sealed = await encryptRecord(personal, { table: 'tasks', key, registry });
    expect(sealed.title).toMatch(/^enc:2:/);
    expect(isEncryptedValue(sealed.tags)).toBe(true);
    expect(sealed.notes).toBeNull();
    expect({ id: sealed.id, spaceId: sealed.spaceId, done: sealed.done, order: sealed.order }).toEqual({
      id: 'task-1',
      spaceId: '_personal:u-alice',
      done: false,
      order: 3,
    });
    expect(personal.title).toBe('Buy milk');
    const { record, failures } = await decryptRecord(sealed, { table: 'tasks', key, registry });
    expect(failures).toEqual([]);
    expect(record).toEqual(personal);
  });

  it('CRYPT-7 records of shared spaces are written in plaintext', async () => {
    const key = await randomVaultKey();
    expect(await encryptRecord(shared, { table: 'tasks', key, registry })).toEqual(shared);
  });

  it('CRYPT-7 tables without registered fields are not encrypted', async () => {
    const key = await randomVaultKey();
    const note = { id: 'n-1', spaceId: '_personal:u-alice', title: 'plain' };
    expect(await encryptRecord(note, { table: 'notes', key, registry })).toEqual(note);
  });

  it('CRYPT-4 writers write enc:2 by default and enc:1 when asked', async () => {
    const key = await randomVaultKey();
    expect((await encryptRecord(personal, { table: 'tasks', key, registry })).title).toMatch(/^enc:2:/);
    expect((await encryptRecord(personal, { table: 'tasks', key, registry, version: 1 })).title).toMatch(/^enc:1:/);
  });

  it('CRYPT-7 the fields the server must read cannot be registered', () => {
    for (const field of ['id', 'spaceId', 'deletedAt']) {
      expect(() => new EncryptedFieldRegistry({ tasks: [field] })).toThrow(expect.objectContaining({ code: 'CRYPT_FIELD_NOT_ENCRYPTABLE' }));
    }
  });

  it('CRYPT-11 a field that cannot be decrypted is reported and left out; the other fields are decrypted', async () => {
    const key = await randomVaultKey();
    const sealed = await encryptRecord(personal, { table: 'tasks', key, registry });
    const broken = { ...sealed, title: await encryptValue('under another key', await randomVaultKey(), { table: 'tasks', id: 'task-1', field: 'title' }), notes: 'enc:1:garbage' };
    const { record, failures } = await decryptRecord(broken, { table: 'tasks', key, registry });
    expect(failures.map(({ field, error }) => [field, error.code]).sort()).toEqual([
      ['notes', 'CRYPT_MALFORMED_VALUE'],
      ['title', 'CRYPT_AUTHENTICATION_FAILED'],
    ]);
    // CRYPT-8: the undecryptable values never reach the application as if they were plaintext.
    expect(record).toEqual({ id: 'task-1', spaceId: '_personal:u-alice', tags: ['home'], done: false, order: 3 });
  });

  it('CRYPT-8 registered fields are decrypted whatever the space, unregistered ones pass through', async () => {
    const key = await randomVaultKey();
    const codec = fieldEncryption({ key, registry });
    const ciphertext = await encryptValue('x', key, { table: 'tasks', id: 'task-2', field: 'title' });
    expect(await codec.decode(ciphertext, { table: 'tasks', id: 'task-2', field: 'title', spaceId: 'org-family' })).toBe('x');
    expect(await codec.decode(ciphertext, { table: 'tasks', id: 'task-2', field: 'done', spaceId: 'org-family' })).toBe(ciphertext);
    await expect(codec.decode('enc:2:broken', { table: 'tasks', id: 'task-2', field: 'title', spaceId: 'org-family' })).rejects.toMatchObject({
      code: 'CRYPT_MALFORMED_VALUE',
    });
  });

  it('CRYPT-7 the store codec encrypts exactly the registered fields of personal records', async () => {
    const key = await randomVaultKey();
    const codec = fieldEncryption({ key, registry, version: 1 });
    const place = { table: 'tasks', id: 't', field: 'title' };
    expect(await codec.encode('a', { ...place, spaceId: '_personal:u-bob' })).toMatch(/^enc:1:/);
    expect(await codec.encode('a', { ...place, spaceId: 'org-1' })).toBe('a');
    expect(await codec.encode('a', { ...place, field: 'done', spaceId: '_personal:u-bob' })).toBe('a');
    expect(await codec.encode(null, { ...place, spaceId: '_personal:u-bob' })).toBeNull();
  });
});
