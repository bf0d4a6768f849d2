import { afterEach, describe, expect, it } from 'vitest';
import { exportBackup } from '../../src/backup/backup-export.js';
import { importBackup } from '../../src/backup/backup-import.js';
import { EncryptedFieldRegistry } from '../../src/crypto/encrypted-fields.js';
import { fieldEncryption } from '../../src/crypto/field-encryption.js';
import { importVaultKey } from '../../src/crypto/vault-key.js';
import { isClientError } from '../../src/errors.js';
import { backupSourceOf, backupTargetOf } from '../../src/store/backup-adapters.js';
import type { LocalStore } from '../../src/store/local-store.js';
import { openTestStore } from '../support/local-stores.js';

const opened: LocalStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

const registry = new EncryptedFieldRegistry({ tasks: ['title'] });

async function keyOf(byte: number) {
  return importVaultKey(new Uint8Array(32).fill(byte));
}

async function encryptingStore(userId: string, byte: number) {
  const key = await keyOf(byte);
  const { store } = await openTestStore({ userId, codec: fieldEncryption({ key, registry }) });
  opened.push(store);
  return { store, key };
}

describe('the local store as backup source and target', () => {
  it('BACKUP-17 a cross-account restore writes every row as a local write of the importer: its space, its key, stamped and queued', async () => {
    const alice = await encryptingStore('alice', 1);
    const kept = await alice.store.insert('tasks', { title: 'secret', done: false });
    const gone = await alice.store.insert('tasks', { title: 'deleted' });
    await alice.store.delete('tasks', gone.id);
    // The stored value of an encrypted field is its ciphertext (LWW-17).
    expect((await alice.store.getStored('tasks', kept.id))!.meta.title!.value).toMatch(/^enc:2:/);
    const { bytes } = await exportBackup(backupSourceOf(alice.store, 1), { key: alice.key, registry, appIds: ['todo'] });

    const bob = await encryptingStore('bob', 2);
    const report = await importBackup(bytes, backupTargetOf(bob.store, 1), { key: bob.key, registry });
    expect(report.imported).toEqual({ tasks: 1 });
    expect(await bob.store.list('tasks')).toEqual([{ id: kept.id, spaceId: '_personal:bob', title: 'secret', done: false }]);
    const stored = (await bob.store.getStored('tasks', kept.id))!;
    expect(stored.meta.title).toMatchObject({ userId: 'bob', clientId: bob.store.self.clientId });
    expect(stored.meta.title!.value).toMatch(/^enc:2:/);
    expect(stored.meta.title!.value).not.toBe((await alice.store.getStored('tasks', kept.id))!.meta.title!.value);
    const [queued] = await bob.store.database.outbox.toArray();
    expect(queued!.change).toMatchObject({ op: 'insert', id: kept.id, spaceId: '_personal:bob', data: { title: stored.meta.title!.value, done: false } });
  });

  it('BACKUP-16 an import that cannot write one row writes none', async () => {
    const alice = await encryptingStore('alice', 1);
    await alice.store.insert('tasks', { id: 'a', title: 'one' });
    await alice.store.insert('tasks', { id: 'shared', title: 'two' });
    const { bytes } = await exportBackup(backupSourceOf(alice.store, 1), { key: alice.key, registry });

    const bob = await encryptingStore('bob', 2);
    // Bob holds `shared` in a shared space: a record stays in its space (SPACE-5).
    await bob.store.insert('tasks', { id: 'shared', spaceId: 'org-family', title: 'theirs' });
    const before = await bob.store.outboxSize();
    await expect(importBackup(bytes, backupTargetOf(bob.store, 1), { key: bob.key, registry })).rejects.toSatisfy((error) => isClientError(error, 'CLIENT_SPACE_MISMATCH'));
    expect(await bob.store.get('tasks', 'a')).toBeUndefined();
    expect(await bob.store.outboxSize()).toBe(before);
  });
});
