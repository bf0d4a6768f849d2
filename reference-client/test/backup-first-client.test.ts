import { describe, expect, it } from 'vitest';
import { readBackupArchive } from '../src/backup/archive-reader.js';
import { importBackup } from '../src/backup/backup-import.js';
import { EncryptedFieldRegistry } from '../src/crypto/encrypted-fields.js';
import { decryptRecord } from '../src/crypto/record-cipher.js';
import { editManifest, expectBackupError, FAST_KDF, PASSPHRASE, rezip, rowsOf } from './support/backup-fixtures.js';
import { randomVaultKey } from './support/field-keys.js';
import { firstClientArchive } from './support/first-client-archive.js';
import { MemoryBackupStore } from './support/memory-backup-store.js';

// Rows as the first web client exported them: decrypted, with the exporting user's ids still in.
const TASKS = [
  { id: 'a1b2', title: 'Steuererklärung', done: false, spaceId: '_personal:u-old', userId: 'u-old', createdAt: '2024-04-30T08:00:00.000Z' },
  { id: 'c3d4', title: 'Pay rent', done: true, spaceId: 'org-flat', authorId: 'u-old' },
];
const NOTES = [{ id: 'n1', body: 'remember', spaceId: '_personal:u-old' }];
// A reader well past the first client's schema versions: schemaVersion 0 must still pass.
const READER = { schemaVersion: 9 };

describe('archives of the first web client (BACKUP-18)', () => {
  for (const method of ['deflated', 'stored'] as const) {
    it(`BACKUP-18 BACKUP-14 an unsealed archive with ${method} entries, schemaVersion 0 and userId "unknown" reads`, async () => {
      const contents = await readBackupArchive(firstClientArchive({ tables: { tasks: TASKS, notes: NOTES }, method }), READER);
      expect(rowsOf(contents)).toEqual({ tasks: TASKS, notes: NOTES });
      expect(contents.manifest).toMatchObject({ producedBy: 'mana-web', userId: 'unknown', schemaVersion: 0 });
      expect(contents).toMatchObject({ sealed: false, manifestAuthenticated: false });
    });
  }

  for (const paddedBase64 of [false, true]) {
    it(`BACKUP-18 BACKUP-8 BACKUP-11 a sealed archive without key check or inner manifest reads (base64url ${paddedBase64 ? 'padded' : 'unpadded'})`, async () => {
      const archive = firstClientArchive({ tables: { tasks: TASKS }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF, paddedBase64 });
      const contents = await readBackupArchive(archive, { ...READER, passphrase: PASSPHRASE });
      expect(rowsOf(contents)).toEqual({ tasks: TASKS });
      // BACKUP-11: nothing inside authenticates the outer manifest of such an archive.
      expect(contents).toMatchObject({ sealed: true, manifestAuthenticated: false });
    });
  }

  it('BACKUP-10 without a key check, a wrong passphrase and altered data are both BACKUP_WRONG_PASSPHRASE_OR_TAMPERED', async () => {
    const archive = firstClientArchive({ tables: { tasks: TASKS }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    await expectBackupError(readBackupArchive(archive, { ...READER, passphrase: 'wrong' }), 'BACKUP_WRONG_PASSPHRASE_OR_TAMPERED');
    const tampered = rezip(archive, (files) => {
      files['data.sealed']![5]! ^= 0x80;
    });
    await expectBackupError(readBackupArchive(tampered, { ...READER, passphrase: PASSPHRASE }), 'BACKUP_WRONG_PASSPHRASE_OR_TAMPERED');
  });

  it('BACKUP-9 a first-client archive whose plaintextSha256 does not match is BACKUP_CORRUPTED', async () => {
    const archive = editManifest(firstClientArchive({ tables: { tasks: TASKS }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF }), (manifest) => {
      (manifest.passphrase as Record<string, unknown>).plaintextSha256 = '0'.repeat(64);
    });
    await expectBackupError(readBackupArchive(archive, { ...READER, passphrase: PASSPHRASE }), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-18 BACKUP-16 a sealed first-client archive imports into another account, re-encrypted under its key', async () => {
    const registry = new EncryptedFieldRegistry({ tasks: ['title'], notes: ['body'] });
    const key = await randomVaultKey();
    const bob = new MemoryBackupStore('u-bob', { tasks: 'todo', notes: 'notes' }, 9);
    const archive = firstClientArchive({ tables: { tasks: TASKS, notes: NOTES }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    const report = await importBackup(archive, bob, { key, registry, passphrase: PASSPHRASE });
    expect(report).toMatchObject({ imported: { tasks: 2, notes: 1 }, skippedTables: {}, manifestAuthenticated: false });
    const stored = bob.row('tasks', 'a1b2')!;
    expect(stored).toMatchObject({ id: 'a1b2', spaceId: '_personal:u-bob', done: false, createdAt: '2024-04-30T08:00:00.000Z' });
    expect(stored).not.toHaveProperty('userId');
    expect(stored.title).toMatch(/^enc:2:/);
    const { record } = await decryptRecord(stored, { table: 'tasks', key, registry });
    expect(record.title).toBe('Steuererklärung');
  });
});
