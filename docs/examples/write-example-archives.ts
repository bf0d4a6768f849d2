// Writes two small `.mana` archives of a to-do app with the reference client's exporter, one plain
// and one sealed, for docs/backup-format.md to open and check:
//   npx tsx docs/examples/write-example-archives.ts <directory>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptedFieldRegistry, exportBackup, importVaultKey } from '../../reference-client/src/index.js';

export const EXAMPLE_PASSPHRASE = 'correct horse battery staple';

const USER = 'user-ada';
const TASKS = [
  { id: 'task-1', spaceId: `_personal:${USER}`, title: 'Buy milk', done: false },
  { id: 'task-2', spaceId: `_personal:${USER}`, title: 'Call the dentist', done: true, notes: 'Tuesday 10:00' },
  { id: 'task-3', spaceId: `_personal:${USER}`, title: 'Old idea', done: false, deletedAt: '2026-02-27T09:00:00.000Z' },
];

const source = {
  userId: USER,
  schemaVersion: 1,
  tables: () => Promise.resolve([{ appId: 'todo', table: 'tasks' }]),
  // An async iterable, as a store reading IndexedDB would give.
  rows: () => (async function* () {
    yield* await Promise.resolve(TASKS);
  })(),
};

const directory = process.argv[2];
if (directory === undefined) {
  process.stderr.write('usage: write-example-archives.ts <directory>\n');
  process.exit(2);
}
mkdirSync(directory, { recursive: true });
// Nothing is registered for encryption, so the key is never used; the exporter needs one to decrypt.
const crypto = { key: await importVaultKey(new Uint8Array(32)), registry: new EncryptedFieldRegistry({}) };
const now = new Date('2026-03-01T10:00:00Z');
for (const passphrase of [undefined, EXAMPLE_PASSPHRASE]) {
  const archive = await exportBackup(source, { ...crypto, now, ...(passphrase === undefined ? {} : { passphrase }) });
  writeFileSync(join(directory, archive.fileName), archive.bytes);
  process.stdout.write(`${join(directory, archive.fileName)}: ${archive.manifest.rowCounts.tasks ?? 0} tasks${passphrase === undefined ? '' : ', sealed'}\n`);
}
