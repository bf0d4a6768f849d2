// Rows and archives shared by the backup tests. Archives are sealed with the fewest iterations a
// reader accepts, so that a test derives a key in ~30 ms instead of the default's ~160 ms.
import { unzipSync } from 'fflate';
import { BACKUP_MIN_KDF_ITERATIONS } from '../../../spec/generated/constants.js';
import type { BackupRow } from '../../../spec/generated/types.js';
import { writeBackupArchive, type BackupArchiveInput } from '../../src/backup/archive-writer.js';
import type { BackupContents } from '../../src/backup/archive-reader.js';
import { isBackupError, type BackupError, type BackupReaderErrorCode } from '../../src/backup/backup-errors.js';
import { handZip } from './hand-zip.js';

export const FAST_KDF = BACKUP_MIN_KDF_ITERATIONS;
export const PASSPHRASE = 'correct horse battery staple';
/** The schema version of the test readers and stores. */
export const SCHEMA_VERSION = 3;

export const TASKS: readonly BackupRow[] = [
  { id: 'task-1', title: 'Buy milk', done: false, tags: ['home'], spaceId: '_personal:u-alice', userId: 'u-alice' },
  { id: 'task-2', title: 'Grüße an Zoë 🌱', done: true, notes: null, spaceId: '_personal:u-alice', userId: 'u-alice' },
  { id: 'task-3', title: 'Line\nbreak "quoted"', done: false, order: 2.5, spaceId: 'org-family', authorId: 'u-alice' },
];
export const LISTS: readonly BackupRow[] = [{ id: 'list-1', name: 'Groceries', spaceId: '_personal:u-alice' }];

export function archiveInput(overrides: Partial<BackupArchiveInput> = {}): BackupArchiveInput {
  return {
    manifest: {
      schemaVersion: SCHEMA_VERSION,
      producedBy: 'backup tests',
      exportedAt: '2026-03-01T09:30:00.000Z',
      userId: 'u-alice',
      scope: { type: 'full' },
      fieldsPlaintext: true,
    },
    tables: new Map([
      ['tasks', TASKS],
      ['lists', LISTS],
      ['archived', []],
    ]),
    kdfIterations: FAST_KDF,
    ...overrides,
  };
}

export async function unsealedArchive(): Promise<Uint8Array<ArrayBuffer>> {
  return (await writeBackupArchive(archiveInput())).bytes;
}

export async function sealedArchive(): Promise<Uint8Array<ArrayBuffer>> {
  return (await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE }))).bytes;
}

/** The rows of a read archive, as a plain object for comparisons. */
export function rowsOf(contents: BackupContents): Record<string, readonly BackupRow[]> {
  return Object.fromEntries(contents.tables);
}

/** The BackupError a read fails with; a success or any other error fails the test. */
export async function backupError(read: Promise<unknown>): Promise<BackupError> {
  try {
    await read;
  } catch (error) {
    if (isBackupError(error)) return error;
    throw new Error(`expected a BackupError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a BackupError, but the archive was accepted');
}

export async function expectBackupError(read: Promise<unknown>, code: BackupReaderErrorCode): Promise<BackupError> {
  const error = await backupError(read);
  if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`, { cause: error });
  return error;
}

/** The archive rebuilt after `change` edits its entries: every CRC stays right, as a tamperer would keep it. */
export function rezip(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array<ArrayBuffer> {
  const files = unzipSync(bytes);
  change(files);
  return handZip(Object.entries(files).map(([name, data]) => ({ name, data, method: name === 'data.sealed' ? 'stored' : 'deflated' })));
}

export function editManifest(bytes: Uint8Array, edit: (manifest: Record<string, unknown>) => void): Uint8Array<ArrayBuffer> {
  return rezip(bytes, (files) => {
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
    edit(manifest);
    files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
  });
}
