import { beforeEach, describe, expect, it } from 'vitest';
import { readBackupArchive } from '../src/backup/archive-reader.js';
import { writeBackupArchive } from '../src/backup/archive-writer.js';
import { exportBackup } from '../src/backup/backup-export.js';
import { importBackup } from '../src/backup/backup-import.js';
import type { BackupProgress } from '../src/backup/backup-progress.js';
import { isCryptError } from '../src/crypto/crypt-error.js';
import type { CryptoKey } from '../src/crypto/crypto-key.js';
import { EncryptedFieldRegistry } from '../src/crypto/encrypted-fields.js';
import { encryptValue } from '../src/crypto/field-cipher.js';
import { decryptRecord, encryptRecord, type SpacedRecord } from '../src/crypto/record-cipher.js';
import { archiveInput, expectBackupError, FAST_KDF, PASSPHRASE, rowsOf, SCHEMA_VERSION } from './support/backup-fixtures.js';
import { randomVaultKey } from './support/field-keys.js';
import { MemoryBackupStore } from './support/memory-backup-store.js';

const registry = new EncryptedFieldRegistry({ tasks: ['title', 'notes'], events: ['location'] });
const TABLES = { tasks: 'todo', lists: 'todo', events: 'calendar' };

// Alice's records as her application sees them.
const TASKS: SpacedRecord[] = [
  { id: 'task-1', spaceId: '_personal:u-alice', title: 'Buy milk', notes: { steps: ['shop', 'pay'] }, done: false, userId: 'u-alice' },
  { id: 'task-2', spaceId: '_personal:u-alice', title: 'Call mum', notes: null, done: true, authorId: 'u-alice' },
  { id: 'task-3', spaceId: 'org-family', title: 'Family dinner', notes: 'Sunday', done: false, authorId: 'u-alice' },
];
const DELETED: SpacedRecord = { id: 'task-4', spaceId: '_personal:u-alice', title: 'old', done: false, deletedAt: '2026-02-01T00:00:00.000Z' };
const LISTS: SpacedRecord[] = [{ id: 'list-1', spaceId: '_personal:u-alice', name: 'Groceries' }];
const EVENTS: SpacedRecord[] = [{ id: 'event-1', spaceId: '_personal:u-alice', location: 'Home', at: '2026-03-02T18:00:00.000Z' }];

let keyA: CryptoKey;
let keyB: CryptoKey;
let alice: MemoryBackupStore;

async function store(target: MemoryBackupStore, key: CryptoKey, table: string, records: readonly SpacedRecord[]): Promise<void> {
  for (const record of records) target.put(table, await encryptRecord(record, { table, key, registry }));
}

/** The application's view of a stored row under a key; throws when a field does not decrypt. */
async function readable(row: SpacedRecord | undefined, table: string, key: CryptoKey): Promise<SpacedRecord> {
  const { record, failures } = await decryptRecord(row!, { table, key, registry });
  if (failures[0] !== undefined) throw failures[0].error;
  return record;
}

beforeEach(async () => {
  keyA = await randomVaultKey();
  keyB = await randomVaultKey();
  alice = new MemoryBackupStore('u-alice', TABLES, SCHEMA_VERSION);
  await store(alice, keyA, 'tasks', [...TASKS, DELETED]);
  await store(alice, keyA, 'lists', LISTS);
  await store(alice, keyA, 'events', EVENTS);
});

describe('export (BACKUP-15)', () => {
  it('BACKUP-15 an export holds the rows that are not deleted, decrypted, with exact counts and scope full', async () => {
    expect(alice.row('tasks', 'task-1')!.title).toMatch(/^enc:2:/);
    const { bytes, manifest, fileName } = await exportBackup(alice, { key: keyA, registry, now: new Date('2026-03-01T10:00:00Z') });
    expect(manifest).toMatchObject({
      formatVersion: 2,
      schemaVersion: SCHEMA_VERSION,
      userId: 'u-alice',
      scope: { type: 'full' },
      rowCounts: { tasks: 3, lists: 1, events: 1 },
      fieldsPlaintext: true,
      exportedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(fileName).toBe('mana-full-2026-03-01.mana');
    expect(rowsOf(await readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION }))).toEqual({ tasks: TASKS, lists: LISTS, events: EVENTS });
  });

  it('BACKUP-15 CRYPT-3 an export decrypts enc:1 values of older clients too', async () => {
    const place = { table: 'tasks', id: 'task-1', field: 'title' };
    alice.put('tasks', { ...alice.row('tasks', 'task-1')!, title: await encryptValue('from the first client', keyA, place, 1) });
    const { bytes } = await exportBackup(alice, { key: keyA, registry });
    const contents = await readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION });
    expect(contents.tables.get('tasks')![0]!.title).toBe('from the first client');
  });

  it('BACKUP-15 an export of selected apps holds their tables only, with scope filtered', async () => {
    const { bytes, manifest, fileName } = await exportBackup(alice, { key: keyA, registry, appIds: ['todo'], passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    expect(manifest.scope).toEqual({ type: 'filtered', appIds: ['todo'] });
    expect(manifest.rowCounts).toEqual({ tasks: 3, lists: 1 });
    expect(fileName).toMatch(/^mana-todo-\d{4}-\d{2}-\d{2}\.sealed\.mana$/);
    expect(rowsOf(await readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION, passphrase: PASSPHRASE }))).toEqual({ tasks: TASKS, lists: LISTS });
  });

  it('BACKUP-15 CRYPT-8 a field that cannot be decrypted stops the export with its CryptError', async () => {
    alice.put('tasks', { ...alice.row('tasks', 'task-2')!, title: await encryptValue('x', keyB, { table: 'tasks', id: 'task-2', field: 'title' }) });
    const failure: unknown = await exportBackup(alice, { key: keyA, registry }).catch((error: unknown) => error);
    expect(isCryptError(failure, 'CRYPT_AUTHENTICATION_FAILED')).toBe(true);
    expect(isCryptError(failure) && failure.place).toEqual({ table: 'tasks', id: 'task-2', field: 'title', spaceId: '_personal:u-alice' });
  });

  it('BACKUP-15 two selected tables of one name, or no app at all, cannot be exported', async () => {
    const clash = new MemoryBackupStore('u-alice', TABLES);
    clash.tables = () => Promise.resolve([{ appId: 'todo', table: 'tasks' }, { appId: 'work', table: 'tasks' }]);
    await expect(exportBackup(clash, { key: keyA, registry })).rejects.toMatchObject({ code: 'BACKUP_EXPORT_INVALID' });
    await expect(exportBackup(alice, { key: keyA, registry, appIds: [] })).rejects.toMatchObject({ code: 'BACKUP_EXPORT_INVALID' });
  });
});

describe('import (BACKUP-16)', () => {
  it('BACKUP-16 cross-account restore: ids kept, rows in the importer\'s personal space, ids of the old owner dropped, fields under the new key', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry, passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    const bob = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION);
    const report = await importBackup(bytes, bob, { key: keyB, registry, passphrase: PASSPHRASE });
    expect(report).toMatchObject({ imported: { tasks: 3, lists: 1, events: 1 }, skippedTables: {}, sealed: true, manifestAuthenticated: true });
    for (const task of TASKS) {
      const stored = bob.row('tasks', task.id)!;
      expect(stored.title, task.id).toMatch(/^enc:2:/);
      const expected: Record<string, unknown> = { ...task, spaceId: '_personal:u-bob' };
      delete expected.userId;
      delete expected.authorId;
      expect(await readable(stored, 'tasks', keyB)).toEqual(expected);
      await expect(readable(stored, 'tasks', keyA)).rejects.toMatchObject({ code: 'CRYPT_AUTHENTICATION_FAILED' });
    }
    expect(await readable(bob.row('events', 'event-1'), 'events', keyB)).toEqual({ ...EVENTS[0], spaceId: '_personal:u-bob' });
    expect(bob.row('tasks', 'task-4')).toBeUndefined();
    // Both forms reach the store: plaintext values and the wire values it will push.
    const handed = bob.lastImport!.get('tasks')!.find(({ values }) => values.id === 'task-3')!;
    expect(handed.values).toEqual({ id: 'task-3', spaceId: '_personal:u-bob', title: 'Family dinner', notes: 'Sunday', done: false });
    expect(handed.wire.notes).toMatch(/^enc:2:/);
  });

  it('CRYPT-4 BACKUP-16 an import writes enc:1 when the importing client must stay readable by the first web client', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry });
    const bob = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION);
    await importBackup(bytes, bob, { key: keyB, registry, version: 1 });
    expect(bob.row('tasks', 'task-1')!.title).toMatch(/^enc:1:/);
  });

  it('BACKUP-16 tables the importing client does not know are skipped and reported', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry });
    const bob = new MemoryBackupStore('u-bob', { tasks: 'todo' }, SCHEMA_VERSION);
    const report = await importBackup(bytes, bob, { key: keyB, registry });
    expect(report.imported).toEqual({ tasks: 3 });
    expect(report.skippedTables).toEqual({ lists: 1, events: 1 });
    expect([...bob.lastImport!.keys()]).toEqual(['tasks']);
  });

  it('BACKUP-16 a row with the id of an existing row overwrites it', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry });
    const bob = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION);
    await store(bob, keyB, 'tasks', [{ id: 'task-1', spaceId: '_personal:u-bob', title: 'Bob\'s own', extra: 1 }]);
    await importBackup(bytes, bob, { key: keyB, registry });
    const task = await readable(bob.row('tasks', 'task-1'), 'tasks', keyB);
    expect(task.title).toBe('Buy milk');
    expect(task).not.toHaveProperty('extra');
  });

  it('BACKUP-16 all or nothing: a failing write, a damaged archive or a wrong passphrase leave the store as it was', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry, passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    const bob = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION);
    await store(bob, keyB, 'tasks', [{ id: 'task-1', spaceId: '_personal:u-bob', title: 'keep me' }]);
    const before = bob.snapshot();
    bob.failNextImport = new Error('disk full');
    await expect(importBackup(bytes, bob, { key: keyB, registry, passphrase: PASSPHRASE })).rejects.toThrow('disk full');
    expect(bob.snapshot()).toEqual(before);
    const damaged = bytes.slice();
    damaged[damaged.length - 200]! ^= 0x10;
    await expectBackupError(importBackup(damaged, bob, { key: keyB, registry, passphrase: PASSPHRASE }), 'BACKUP_CORRUPTED');
    await expectBackupError(importBackup(bytes, bob, { key: keyB, registry, passphrase: 'nope' }), 'BACKUP_WRONG_PASSPHRASE');
    expect(bob.lastImport).toBeUndefined();
    expect(bob.snapshot()).toEqual(before);
  });

  it('BACKUP-14 an import refuses an archive from a newer schema', async () => {
    const { bytes } = await exportBackup(alice, { key: keyA, registry });
    const older = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION - 1);
    await expectBackupError(importBackup(bytes, older, { key: keyB, registry }), 'BACKUP_UNSUPPORTED_VERSION');
    expect(older.lastImport).toBeUndefined();
  });

  it('BACKUP-16 an archive that kept ciphertext (fieldsPlaintext false) restores into its own account only', async () => {
    const rows = await Promise.all(TASKS.map((task) => encryptRecord(task, { table: 'tasks', key: keyA, registry })));
    const input = archiveInput({ tables: new Map([['tasks', rows]]) });
    const { bytes } = await writeBackupArchive({ ...input, manifest: { ...input.manifest, fieldsPlaintext: false } });
    const again = new MemoryBackupStore('u-alice', TABLES, SCHEMA_VERSION);
    await importBackup(bytes, again, { key: keyA, registry });
    expect(await readable(again.row('tasks', 'task-1'), 'tasks', keyA)).toMatchObject({ title: 'Buy milk', notes: { steps: ['shop', 'pay'] } });
    const bob = new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION);
    await expect(importBackup(bytes, bob, { key: keyB, registry })).rejects.toMatchObject({ code: 'CRYPT_AUTHENTICATION_FAILED' });
    expect(bob.lastImport).toBeUndefined();
  });
});

describe('progress', () => {
  function stages(events: readonly BackupProgress[]): string[] {
    return events.map(({ stage, done, total }) => `${stage} ${done}/${total}`);
  }

  it('BACKUP-15 BACKUP-16 export and import report their progress stage by stage', async () => {
    const exported: BackupProgress[] = [];
    const { bytes } = await exportBackup(alice, { key: keyA, registry, passphrase: PASSPHRASE, kdfIterations: FAST_KDF, onProgress: (event) => exported.push(event) });
    expect(stages(exported)).toEqual(['collect 0/3', 'collect 1/3', 'collect 2/3', 'collect 3/3', 'seal 0/1', 'seal 1/1', 'compress 0/1', 'compress 1/1']);
    expect(exported.slice(0, 3).map(({ table }) => table)).toEqual(['tasks', 'lists', 'events']);

    const imported: BackupProgress[] = [];
    await importBackup(bytes, new MemoryBackupStore('u-bob', TABLES, SCHEMA_VERSION), { key: keyB, registry, passphrase: PASSPHRASE, onProgress: (event) => imported.push(event) });
    expect(stages(imported)).toEqual([
      'verify 1/3',
      'verify 2/3',
      'verify 3/3',
      'unseal 0/1',
      'unseal 1/1',
      'verify 0/4',
      'verify 1/4',
      'verify 2/4',
      'verify 3/4',
      'verify 4/4',
      'encrypt 0/5',
      'encrypt 3/5',
      'encrypt 4/5',
      'encrypt 5/5',
      'write 0/1',
      'write 1/1',
    ]);
  });
});
