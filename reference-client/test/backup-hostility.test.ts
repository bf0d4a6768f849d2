// Backup hostility (issue 10): zip bombs, unsafe and duplicate names, swapped manifests, truncated
// files and random damage, each imported into a real Dexie store. Every one must be refused with the
// code section 12 gives it (BACKUP-12) and leave the store exactly as it was (BACKUP-16).
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_MAX_ENTRIES } from '../../spec/generated/constants.js';
import { readBackupArchive, type BackupContents } from '../src/backup/archive-reader.js';
import { writeBackupArchive } from '../src/backup/archive-writer.js';
import { isBackupError, type BackupLimitExceededError, type BackupReaderErrorCode } from '../src/backup/backup-errors.js';
import { importBackup, type ImportReport } from '../src/backup/backup-import.js';
import type { BackupTarget } from '../src/backup/backup-store.js';
import type { CryptoKey } from '../src/crypto/crypto-key.js';
import { EncryptedFieldRegistry } from '../src/crypto/encrypted-fields.js';
import { fieldEncryption } from '../src/crypto/field-encryption.js';
import { importVaultKey } from '../src/crypto/vault-key.js';
import { backupTargetOf } from '../src/store/backup-adapters.js';
import type { LocalStore } from '../src/store/local-store.js';
import { changedOffsets, corrupt, corruptionOf, sameBytes, type Corruption } from './support/archive-corruptions.js';
import { archiveInput, expectBackupError, FAST_KDF, LISTS, PASSPHRASE, rezip, rowsOf, SCHEMA_VERSION } from './support/backup-fixtures.js';
import { firstClientArchive } from './support/first-client-archive.js';
import { handZip } from './support/hand-zip.js';
import {
  HOSTILE_MANIFEST,
  manyEntries,
  nestedZipEntry,
  overlappingEntries,
  sealedHostile,
  sealInnerZip,
  swapManifest,
  TWO_TASKS,
  unsealedHostile,
  zeroBomb,
} from './support/hostile-archives.js';
import { openTestStore } from './support/local-stores.js';
import { zipLayout } from './support/zip-layout.js';

const registry = new EncryptedFieldRegistry({ tasks: ['title'] });
const SEAL = { passphrase: PASSPHRASE, iterations: FAST_KDF } as const;
const BOMB_BYTES = 32 * 1024 * 1024;

let key: CryptoKey;
let store: LocalStore;
let target: BackupTarget;
/** Calls of the store's atomic write: a refused archive must not reach it. */
let writes: number;

beforeEach(async () => {
  key = await importVaultKey(new Uint8Array(32).fill(7));
  ({ store } = await openTestStore({ userId: 'bob', codec: fieldEncryption({ key, registry }) }));
  await store.insert('tasks', { id: 'task-1', title: 'bob keeps this', done: false });
  await store.insert('lists', { id: 'own-list', name: 'bob\'s list' });
  const real = backupTargetOf(store, SCHEMA_VERSION);
  writes = 0;
  target = {
    ...real,
    importAtomically: (rows) => {
      writes += 1;
      return real.importAtomically(rows);
    },
  };
});

afterEach(() => {
  store.close();
});

/** Everything the store holds: every table's stored records and the outbox. */
async function storeState(): Promise<unknown> {
  const tables = await Promise.all(store.tableNames.map(async (table) => [table, await store.database.records(table).toArray()] as const));
  return { tables: Object.fromEntries(tables), outbox: await store.database.outbox.toArray() };
}

function importInto(archive: Uint8Array<ArrayBuffer>, passphrase?: string): Promise<ImportReport> {
  return importBackup(archive, target, { key, registry, ...(passphrase === undefined ? {} : { passphrase }) });
}

/** Imports, expects the refusal `code`, and proves the store untouched. */
async function expectRefused(archive: Uint8Array<ArrayBuffer>, code: BackupReaderErrorCode, passphrase?: string) {
  const before = await storeState();
  const error = await expectBackupError(importInto(archive, passphrase), code);
  expect(await storeState()).toEqual(before);
  expect(writes).toBe(0);
  return error;
}

describe('zip bombs (BACKUP-13)', () => {
  let bomb: ReturnType<typeof zeroBomb>;
  beforeAll(() => {
    bomb = zeroBomb('data/tasks.jsonl', BOMB_BYTES);
  });

  it('BACKUP-13 a high-ratio entry (32 MiB of zeros from ~32 KiB) is refused at the spec limits as BACKUP_LIMIT_EXCEEDED, long before it is inflated', async () => {
    for (const entry of [bomb, { ...bomb, predeflated: { ...bomb.predeflated!, size: 0xfffffffe } }, { ...bomb, name: 'README.md' }]) {
      const error = (await expectRefused(unsealedHostile([entry]), 'BACKUP_LIMIT_EXCEEDED')) as BackupLimitExceededError;
      expect(error.exceeded.limit, `${entry.name} declaring ${entry.predeflated!.size}`).toBe('maxCompressionRatio');
      // The reader inflates in small chunks, so it overshoots the 1 MiB threshold by one chunk's output at most.
      expect(error.exceeded.inflatedBytes).toBeLessThan(BOMB_BYTES / 4);
    }
  });

  it('BACKUP-13 BACKUP-5 a bomb that declares a small size is stopped at that size as BACKUP_CORRUPTED', async () => {
    await expectRefused(unsealedHostile([{ ...bomb, predeflated: { ...bomb.predeflated!, size: 100 } }]), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-13 a manifest.json bomb is refused by the manifest limit', async () => {
    const manifestBomb = zeroBomb('manifest.json', 4 * 1024 * 1024);
    const error = (await expectRefused(handZip([manifestBomb]), 'BACKUP_LIMIT_EXCEEDED')) as BackupLimitExceededError;
    expect(error.exceeded.limit).toBe('maxManifestBytes');
  });

  it('BACKUP-13 nested: a sealed archive whose inner ZIP holds a bomb is refused while inflating the inner ZIP', async () => {
    const error = (await expectRefused(sealedHostile([bomb], SEAL), 'BACKUP_LIMIT_EXCEEDED', PASSPHRASE)) as BackupLimitExceededError;
    expect(error.exceeded.limit).toBe('maxCompressionRatio');
    expect(error.message).toContain('sealed data');
  });

  it('BACKUP-2 BACKUP-13 nested: a ZIP of bombs inside an ordinary entry is ignored and never unpacked', async () => {
    const nested = nestedZipEntry('backups/older.zip', [bomb, { ...bomb, name: 'data/lists.jsonl' }]);
    const archive = unsealedHostile([{ name: 'data/tasks.jsonl', data: TWO_TASKS }, nested]);
    // A reader that unpacked the nested ZIP would inflate 64 MiB; this one may inflate only the archive's own bytes.
    await expect(readBackupArchive(archive, { schemaVersion: SCHEMA_VERSION, limits: { maxInflatedBytes: 64 * 1024 } })).resolves.toMatchObject({ ignoredEntries: ['backups/older.zip'] });
    const report = await importInto(archive);
    expect(report).toMatchObject({ imported: { tasks: 2 }, ignoredEntries: ['backups/older.zip'] });
  });

  it(`BACKUP-13 more than BACKUP_MAX_ENTRIES (${BACKUP_MAX_ENTRIES}) entries are refused at the spec limit before anything is inflated`, async () => {
    const error = (await expectRefused(unsealedHostile(manyEntries(BACKUP_MAX_ENTRIES)), 'BACKUP_LIMIT_EXCEEDED')) as BackupLimitExceededError;
    expect(error.exceeded).toEqual({ limit: 'maxEntries', inflatedBytes: 0 });
    await expect(readBackupArchive(unsealedHostile(manyEntries(BACKUP_MAX_ENTRIES - 1), { rowCounts: {} }), { schemaVersion: SCHEMA_VERSION })).resolves.toBeDefined();
  });

  it('BACKUP-13 the inflated total counts outer and inner ZIP together: each alone under the limit, both over it', async () => {
    // A lowered limit: a test does not inflate the spec's BACKUP_MAX_INFLATED_BYTES (1 GiB).
    const rows = Array.from({ length: 600 }, (_, index) => `{"id":"t-${index}","title":"${'x'.repeat(40)}"}\n`).join('');
    const archive = sealedHostile([{ name: 'data/tasks.jsonl', data: rows }], SEAL, { rowCounts: { tasks: 600 }, producedBy: 'p'.repeat(100) });
    const innerBytes = rows.length + JSON.stringify({ ...HOSTILE_MANIFEST, rowCounts: { tasks: 600 }, producedBy: 'p'.repeat(100) }).length;
    const error = (await expectBackupError(
      readBackupArchive(archive, { schemaVersion: SCHEMA_VERSION, passphrase: PASSPHRASE, limits: { maxInflatedBytes: innerBytes + 100 } }),
      'BACKUP_LIMIT_EXCEEDED',
    )) as BackupLimitExceededError;
    expect(error.exceeded.limit).toBe('maxInflatedBytes');
  });

  it('BACKUP-1 BACKUP-13 entries that share bytes (two records, one local header) are BACKUP_CORRUPTED', async () => {
    await expectRefused(overlappingEntries(), 'BACKUP_CORRUPTED');
  });
});

describe('unsafe and duplicate entry names (BACKUP-2)', () => {
  const UNSAFE = ['../evil.jsonl', 'data/../../evil.jsonl', 'data/../data/tasks.jsonl', '/etc/cron.d/mana', 'C:/mana.jsonl', 'data\\tasks.jsonl', 'data/a\u0000.jsonl', '..'];

  it('BACKUP-2 absolute names, ".." segments, backslashes and NUL are refused in the outer and in the sealed inner ZIP', async () => {
    for (const name of UNSAFE) {
      const entries = [{ name: 'data/tasks.jsonl', data: TWO_TASKS }, { name, data: '{"id":"x"}\n' }];
      for (const [where, archive, passphrase] of [
        ['outer', unsealedHostile(entries), undefined],
        ['inner', sealedHostile(entries, SEAL), PASSPHRASE],
      ] as const) {
        const error = await expectRefused(archive, 'BACKUP_CORRUPTED', passphrase);
        expect(error.requirement, `${where} ${JSON.stringify(name)}`).toBe('BACKUP-2');
      }
    }
  });

  it('BACKUP-2 duplicate names are refused, whichever copy a reader would have taken: data entries, manifest.json, outer and inner', async () => {
    const first = { name: 'data/tasks.jsonl', data: TWO_TASKS };
    const second = { name: 'data/tasks.jsonl', data: '{"id":"evil-1"}\n{"id":"evil-2"}\n' };
    const cases: [string, Uint8Array<ArrayBuffer>, string | undefined][] = [
      ['outer data', unsealedHostile([first, second]), undefined],
      ['outer manifest', handZip([{ name: 'manifest.json', data: JSON.stringify(HOSTILE_MANIFEST) }, first, { name: 'manifest.json', data: JSON.stringify({ ...HOSTILE_MANIFEST, userId: 'u-other' }) }]), undefined],
      ['inner data', sealedHostile([first, second], SEAL), PASSPHRASE],
      ['inner manifest', sealedHostile([first, { name: 'manifest.json', data: JSON.stringify({ ...HOSTILE_MANIFEST, userId: 'u-other' }) }], SEAL), PASSPHRASE],
    ];
    for (const [label, archive, passphrase] of cases) {
      expect((await expectRefused(archive, 'BACKUP_CORRUPTED', passphrase)).requirement, label).toBe('BACKUP-2');
    }
  });
});

describe('table names that are Object.prototype members', () => {
  it('BACKUP-16 tables named "__proto__" or "constructor" (valid table names) are skipped and reported like any other unknown table', async () => {
    const rowCounts = JSON.parse('{"tasks":2,"__proto__":1,"constructor":1}') as Record<string, number>;
    const archive = unsealedHostile(
      [{ name: 'data/tasks.jsonl', data: TWO_TASKS }, { name: 'data/__proto__.jsonl', data: '{"id":"p"}\n' }, { name: 'data/constructor.jsonl', data: '{"id":"c"}\n' }],
      { rowCounts },
    );
    const report = await importInto(archive);
    expect(Object.entries(report.skippedTables).sort()).toEqual([['__proto__', 1], ['constructor', 1]]);
    expect(report.imported).toEqual({ tasks: 2 });
  });

  it('BACKUP-4 a "constructor" table the manifest does not declare is BACKUP_CORRUPTED, not counted by Object.prototype', async () => {
    const archive = unsealedHostile([{ name: 'data/tasks.jsonl', data: TWO_TASKS }, { name: 'data/constructor.jsonl', data: '{"id":"c"}\n' }]);
    expect((await expectRefused(archive, 'BACKUP_CORRUPTED')).requirement).toBe('BACKUP-4');
  });
});

describe('a manifest swapped between two archives', () => {
  async function twoSealed() {
    const alice = await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE }));
    const input = archiveInput({ passphrase: PASSPHRASE, tables: new Map([['tasks', [{ id: 'm-1', title: 'mallory' }]], ['lists', LISTS]]) });
    const mallory = await writeBackupArchive({ ...input, manifest: { ...input.manifest, userId: 'u-mallory' } });
    return { alice: alice.bytes, mallory: mallory.bytes };
  }

  it('BACKUP-10 BACKUP-11 a sealed archive with another archive\'s manifest is BACKUP_TAMPERED: by the tag with its passphrase block, by the inner manifest without', async () => {
    const { alice, mallory } = await twoSealed();
    expect((await expectRefused(swapManifest(alice, mallory), 'BACKUP_TAMPERED', PASSPHRASE)).requirement).toBe('BACKUP-10');
    expect((await expectRefused(swapManifest(alice, mallory, true), 'BACKUP_TAMPERED', PASSPHRASE)).requirement).toBe('BACKUP-11');
  });

  it('BACKUP-19 BACKUP-4 an unsealed archive with another archive\'s manifest is BACKUP_CORRUPTED by its checksums, or its row counts without them', async () => {
    const alice = (await writeBackupArchive(archiveInput())).bytes;
    const mallory = (await writeBackupArchive(archiveInput({ tables: new Map([['tasks', [{ id: 'm-1' }]]]) }))).bytes;
    expect((await expectRefused(swapManifest(alice, mallory), 'BACKUP_CORRUPTED')).requirement).toBe('BACKUP-19');
    const unchecked = rezip(swapManifest(alice, mallory), (files) => {
      const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
      delete manifest.checksums;
      files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
    });
    expect((await expectRefused(unchecked, 'BACKUP_CORRUPTED')).requirement).toBe('BACKUP-4');
  });

  it('BACKUP-11 BACKUP-18 a first-client sealed archive has no inner manifest: a swap shows only where row counts differ, and otherwise reads as unauthenticated', async () => {
    const mine = firstClientArchive({ tables: { tasks: [{ id: 'a' }, { id: 'b' }] }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF });
    const theirs = firstClientArchive({ tables: { tasks: [{ id: 'c' }] }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF, manifest: { exportedAt: '2025-01-01T00:00:00.000Z' } });
    expect((await expectRefused(swapManifest(mine, theirs, true), 'BACKUP_CORRUPTED', PASSPHRASE)).requirement).toBe('BACKUP-4');
    const sameCounts = firstClientArchive({ tables: { tasks: [{ id: 'x' }, { id: 'y' }] }, passphrase: PASSPHRASE, kdfIterations: FAST_KDF, manifest: { exportedAt: '2025-01-01T00:00:00.000Z' } });
    const report = await importInto(swapManifest(mine, sameCounts, true), PASSPHRASE);
    expect(report).toMatchObject({ manifestAuthenticated: false, manifest: { exportedAt: '2025-01-01T00:00:00.000Z' }, imported: { tasks: 2 } });
  });
});

/** Where a cut at `length` falls in the archive's layout, for the count of truncation classes. */
function cutClass(archive: Uint8Array, length: number): string {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const end = archive.length - 22;
  const directory = view.getUint32(end + 16, true);
  if (length === 0) return 'empty';
  if (length >= end) return 'inside the end record';
  if (length >= directory) return 'inside the central directory';
  const { deflatedData } = zipLayout(archive);
  return deflatedData.some(([start, stop]) => length > start && length < stop) ? 'inside compressed data' : 'inside a local header or stored data';
}

describe('truncated files', () => {
  for (const sealed of [false, true]) {
    it(`BACKUP-1 BACKUP-5 every truncation of ${sealed ? 'a sealed' : 'an unsealed'} archive, at each of its lengths, is BACKUP_CORRUPTED and writes nothing`, async () => {
      const archive = (await writeBackupArchive(archiveInput(sealed ? { passphrase: PASSPHRASE } : {}))).bytes;
      const before = await storeState();
      const classes = new Map<string, number>();
      for (let length = 0; length < archive.length; length += 1) {
        const error = await expectBackupError(importInto(archive.slice(0, length), sealed ? PASSPHRASE : undefined), 'BACKUP_CORRUPTED').catch((failure: unknown) => {
          throw new Error(`cut at ${length} of ${archive.length}: ${String(failure)}`, { cause: failure });
        });
        expect(error.code).toBe('BACKUP_CORRUPTED');
        const label = cutClass(archive, length);
        classes.set(label, (classes.get(label) ?? 0) + 1);
      }
      expect(writes).toBe(0);
      expect(await storeState()).toEqual(before);
      expect([...classes.keys()].sort()).toEqual(
        ['empty', 'inside a local header or stored data', 'inside compressed data', 'inside the central directory', 'inside the end record'].sort(),
      );
      console.info(`${sealed ? 'sealed' : 'unsealed'} archive of ${archive.length} bytes, every cut refused:`, Object.fromEntries(classes));
    });
  }

  it('BACKUP-10 data.sealed cut short with every CRC right is BACKUP_TAMPERED (the tag no longer authenticates)', async () => {
    const archive = (await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE }))).bytes;
    for (const keep of [0, 15, 16, 100, -1]) {
      const cut = rezip(archive, (files) => {
        files['data.sealed'] = files['data.sealed']!.slice(0, keep < 0 ? files['data.sealed']!.length + keep : keep);
      });
      await expectRefused(cut, 'BACKUP_TAMPERED', PASSPHRASE);
    }
  });

  it('BACKUP-1 BACKUP-9 an inner ZIP cut short, then sealed intact (a writer that died mid-write), is BACKUP_CORRUPTED', async () => {
    const inner = handZip([{ name: 'manifest.json', data: JSON.stringify(HOSTILE_MANIFEST) }, { name: 'data/tasks.jsonl', data: TWO_TASKS }]);
    for (const length of [0, 30, Math.floor(inner.length / 2), inner.length - 1]) {
      await expectRefused(sealInnerZip(inner.slice(0, length), SEAL), 'BACKUP_CORRUPTED', PASSPHRASE);
    }
  });

  it('BACKUP-4 a data file cut mid-line, its CRC recomputed and no checksums listed, is BACKUP_CORRUPTED', async () => {
    const archive = unsealedHostile([{ name: 'data/tasks.jsonl', data: TWO_TASKS.slice(0, TWO_TASKS.length - 7) }]);
    expect((await expectRefused(archive, 'BACKUP_CORRUPTED')).requirement).toBe('BACKUP-4');
  });
});

function summary(contents: BackupContents): unknown {
  return { manifest: contents.manifest, tables: rowsOf(contents), sealed: contents.sealed, authenticated: contents.manifestAuthenticated };
}

describe('random corruptions', () => {
  const RUNS = 500;
  for (const [sealed, seed] of [
    [false, 20261125],
    [true, 20261126],
  ] as const) {
    it(`BACKUP-5 BACKUP-12 BACKUP-16 ${RUNS} random corruptions (bytes flipped, spans overwritten, bytes inserted, deleted, repeated, swapped, cut) of ${sealed ? 'a sealed' : 'an unsealed'} archive imported into Dexie: each BACKUP_CORRUPTED with the store unchanged, or read back identical when only content-free bytes changed (seed ${seed})`, async () => {
      const passphrase = sealed ? PASSPHRASE : undefined;
      const original = (await writeBackupArchive(archiveInput(sealed ? { passphrase: PASSPHRASE } : {}))).bytes;
      const expected = summary(await readBackupArchive(original, { schemaVersion: SCHEMA_VERSION, passphrase }));
      const { contentFree, deflatedData } = zipLayout(original);
      const mayCarryNoContent = (at: number) => contentFree.has(at) || deflatedData.some(([start, stop]) => at >= start && at < stop);
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(corruptionOf(original.length), async (corruption: Corruption) => {
          const damaged = corrupt(original, corruption);
          fc.pre(!sameBytes(damaged, original));
          const label = JSON.stringify(corruption);
          const before = await storeState();
          const writesBefore = writes;
          let report: ImportReport;
          try {
            report = await importInto(damaged, passphrase);
          } catch (error) {
            if (!isBackupError(error)) throw new Error(`${label}: not a BackupError: ${String(error)}`, { cause: error });
            const limit = (error as Partial<BackupLimitExceededError>).exceeded?.limit;
            // A random ZIP64 marker or entry count is the reader's limit, not damage it could see first.
            const expectedCode = limit === 'zip64' || limit === 'maxEntries' ? 'BACKUP_LIMIT_EXCEEDED' : 'BACKUP_CORRUPTED';
            expect(error.code, `${label}: ${error.message}`).toBe(expectedCode);
            expect(writes, label).toBe(writesBefore);
            expect(await storeState(), label).toEqual(before);
            outcomes.set(`${corruption.kind} refused`, (outcomes.get(`${corruption.kind} refused`) ?? 0) + 1);
            return;
          }
          const changed = changedOffsets(original, damaged);
          expect(changed, `${label} changed the length and was imported`).toBeDefined();
          expect(changed!.every(mayCarryNoContent), `${label} changed content-bearing bytes and was imported`).toBe(true);
          expect(summary(await readBackupArchive(damaged, { schemaVersion: SCHEMA_VERSION, passphrase })), label).toEqual(expected);
          expect(report.imported, label).toEqual({ tasks: 3, lists: 1 });
          outcomes.set(`${corruption.kind} read back identical`, (outcomes.get(`${corruption.kind} read back identical`) ?? 0) + 1);
        }),
        { seed, numRuns: RUNS },
      );
      console.info(`${sealed ? 'sealed' : 'unsealed'} (seed ${seed}):`, Object.fromEntries([...outcomes].sort()));
    });
  }
});
