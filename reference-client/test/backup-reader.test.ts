import { crc32, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readBackupArchive, type ReadBackupOptions } from '../src/backup/archive-reader.js';
import { writeBackupArchive } from '../src/backup/archive-writer.js';
import type { BackupLimitExceededError } from '../src/backup/backup-errors.js';
import { Crc32 } from '../src/backup/crc32.js';
import {
  archiveInput,
  editManifest,
  expectBackupError,
  PASSPHRASE,
  rezip,
  rowsOf,
  SCHEMA_VERSION,
  sealedArchive,
  unsealedArchive,
} from './support/backup-fixtures.js';
import { handZip, type HandZipEntry } from './support/hand-zip.js';
import { patchEntryField } from './support/zip-layout.js';

const MANIFEST = {
  formatVersion: 2,
  schemaVersion: SCHEMA_VERSION,
  producedBy: 'reader tests',
  exportedAt: '2026-03-01T09:30:00Z',
  userId: 'u-alice',
  scope: { type: 'full' },
  rowCounts: { tasks: 2 },
  fieldsPlaintext: true,
};
const TASKS_JSONL = '{"id":"task-1","title":"a"}\n{"id":"task-2","title":"b"}\n';

function crafted(entries: readonly HandZipEntry[], manifest: Record<string, unknown> = {}): Uint8Array<ArrayBuffer> {
  return handZip([{ name: 'manifest.json', data: JSON.stringify({ ...MANIFEST, ...manifest }) }, ...entries]);
}

function read(bytes: Uint8Array<ArrayBuffer>, options: Partial<ReadBackupOptions> = {}) {
  return readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION, ...options });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading crafted archives', () => {
  it('BACKUP-4 a hand-written archive with stored and deflated entries reads, with or without a final LF', async () => {
    const contents = await read(
      crafted(
        [
          { name: 'data/tasks.jsonl', data: TASKS_JSONL.trimEnd(), method: 'stored' },
          { name: 'data/lists.jsonl', data: '{"id":"l"}\n' },
        ],
        { rowCounts: { tasks: 2, lists: 1 } },
      ),
    );
    expect(rowsOf(contents)).toEqual({ tasks: [{ id: 'task-1', title: 'a' }, { id: 'task-2', title: 'b' }], lists: [{ id: 'l' }] });
  });

  it('BACKUP-2 other entries are ignored and reported', async () => {
    const contents = await read(
      crafted([
        { name: 'data/tasks.jsonl', data: TASKS_JSONL },
        { name: 'README.md', data: '# hi' },
        { name: 'notes/extra.txt', data: 'x' },
        { name: 'data/not-a-table.jsonl', data: 'not json' },
        { name: 'data/', data: '' },
      ]),
    );
    expect(contents.ignoredEntries).toEqual(['notes/extra.txt', 'data/not-a-table.jsonl', 'data/']);
    expect([...contents.tables.keys()]).toEqual(['tasks']);
  });

  it('BACKUP-2 duplicate entry names are BACKUP_CORRUPTED', async () => {
    const twice = { name: 'data/tasks.jsonl', data: TASKS_JSONL };
    await expectBackupError(read(crafted([twice, twice])), 'BACKUP_CORRUPTED');
    await expectBackupError(read(handZip([{ name: 'manifest.json', data: JSON.stringify(MANIFEST) }, { name: 'manifest.json', data: '{}' }, twice])), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-2 absolute names, .. segments, backslashes and NUL are BACKUP_CORRUPTED', async () => {
    for (const name of ['/etc/passwd', '../escape.jsonl', 'data/../../x', 'data\\tasks.jsonl', 'data/a\u0000.jsonl', 'C:/x', '..']) {
      const error = await expectBackupError(read(crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }, { name, data: 'x' }])), 'BACKUP_CORRUPTED');
      expect(error.requirement, name).toBe('BACKUP-2');
    }
  });

  it('BACKUP-2 an archive without manifest.json is BACKUP_CORRUPTED', async () => {
    await expectBackupError(read(handZip([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }])), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-1 what is not a ZIP is BACKUP_CORRUPTED', async () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array(21), new TextEncoder().encode('{"formatVersion":2}'), crypto.getRandomValues(new Uint8Array(4096))]) {
      await expectBackupError(read(bytes), 'BACKUP_CORRUPTED');
    }
  });

  it('BACKUP-1 ZIP encryption and compression methods other than stored and deflated are BACKUP_CORRUPTED', async () => {
    for (const [offset, value, reason] of [
      [6, 0x0001, 'ZIP encryption'],
      [8, 12, 'compression method 12'],
    ] as const) {
      const bytes = crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }]);
      const view = new DataView(bytes.buffer);
      // Both the local header and the central record of the first entry, so that they agree.
      const central = bytes.length - 22 - (46 + 'manifest.json'.length) - (46 + 'data/tasks.jsonl'.length);
      view.setUint16(offset, value, true);
      view.setUint16(central + offset + 2, value, true);
      expect((await expectBackupError(read(bytes), 'BACKUP_CORRUPTED')).message).toContain(reason);
    }
  });

  it('BACKUP-3 a manifest of another formatVersion is BACKUP_UNSUPPORTED_VERSION', async () => {
    for (const formatVersion of [1, 3, '2', null]) {
      await expectBackupError(read(crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }], { formatVersion })), 'BACKUP_UNSUPPORTED_VERSION');
    }
  });

  it('BACKUP-3 a manifest that is not JSON or breaks the schema is BACKUP_CORRUPTED', async () => {
    const entries = [{ name: 'data/tasks.jsonl', data: TASKS_JSONL }];
    await expectBackupError(read(handZip([{ name: 'manifest.json', data: '{"formatVersion":2,' }, ...entries])), 'BACKUP_CORRUPTED');
    await expectBackupError(read(handZip([{ name: 'manifest.json', data: '[2]' }, ...entries])), 'BACKUP_CORRUPTED');
    for (const change of [{ userId: 7 }, { scope: { type: 'partial' } }, { rowCounts: { 'bad-name': 1 } }, { fieldsPlaintext: 'yes' }, { exportedAt: 'yesterday' }]) {
      await expectBackupError(read(crafted(entries, change)), 'BACKUP_CORRUPTED');
    }
  });

  it('BACKUP-14 the schema window: newer or more than BACKUP_SCHEMA_WINDOW older is unsupported, 0 is accepted', async () => {
    const archive = (schemaVersion: number) => crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }], { schemaVersion });
    for (const accepted of [0, 5, 6, 7]) await expect(read(archive(accepted), { schemaVersion: 7 })).resolves.toBeDefined();
    for (const refused of [4, 8, 100]) await expectBackupError(read(archive(refused), { schemaVersion: 7 }), 'BACKUP_UNSUPPORTED_VERSION');
  });

  it('BACKUP-4 row counts must match, and every line must be a JSON object with an id', async () => {
    const cases: [string, Record<string, unknown>][] = [
      [TASKS_JSONL, { rowCounts: { tasks: 3 } }],
      [TASKS_JSONL, { rowCounts: { tasks: 1 } }],
      [TASKS_JSONL, { rowCounts: {} }],
      ['{"id":"task-1"}\n\n{"id":"task-2"}\n', { rowCounts: { tasks: 2 } }],
      ['{"id":"task-1"}\n{"id":"task-2"}\n\n', { rowCounts: { tasks: 2 } }],
      ['{"id":"task-1"}\n[1]\n', {}],
      ['{"id":"task-1"}\n{"title":"no id"}\n', {}],
      ['{"id":"task-1"}\n{"id":""}\n', {}],
      ['{"id":"task-1"}\nnull\n', {}],
      ['{"id":"task-1"} {"id":"task-2"}\n', { rowCounts: { tasks: 1 } }],
    ];
    for (const [jsonl, manifest] of cases) {
      const error = await expectBackupError(read(crafted([{ name: 'data/tasks.jsonl', data: jsonl }], manifest)), 'BACKUP_CORRUPTED');
      expect(error.requirement, jsonl).toBe('BACKUP-4');
    }
    const invalidUtf8 = new Uint8Array([...new TextEncoder().encode('{"id":"a","t":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}\n')]);
    await expectBackupError(read(crafted([{ name: 'data/tasks.jsonl', data: invalidUtf8 }], { rowCounts: { tasks: 1 } })), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-4 declared rows without their data entry are BACKUP_CORRUPTED; a declared 0 needs no entry', async () => {
    await expectBackupError(read(crafted([], { rowCounts: { tasks: 2 } })), 'BACKUP_CORRUPTED');
    await expect(read(crafted([], { rowCounts: { tasks: 0 } }))).resolves.toMatchObject({ ignoredEntries: [] });
  });

  it('BACKUP-5 a CRC-32 or a size that does not match the content is BACKUP_CORRUPTED', async () => {
    for (const method of ['stored', 'deflated'] as const) {
      const badCrc = crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL, method }]);
      patchEntryField(badCrc, 'data/tasks.jsonl', 'crc32', 0x12345678);
      expect((await expectBackupError(read(badCrc), 'BACKUP_CORRUPTED')).message).toContain('CRC-32');
      const badSize = crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL, method: 'deflated' }]);
      patchEntryField(badSize, 'data/tasks.jsonl', 'size', TASKS_JSONL.length + (method === 'stored' ? 1 : -1));
      await expectBackupError(read(badSize), 'BACKUP_CORRUPTED');
    }
  });

  it('BACKUP-5 the CRC-32 a reader checks equals zlib\'s, however the bytes are chunked (fast-check, seed 32)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(), (bytes, split) => {
        const at = bytes.length === 0 ? 0 : split % bytes.length;
        expect(new Crc32().update(bytes.subarray(0, at)).update(bytes.subarray(at)).digest()).toBe(crc32(bytes));
      }),
      { seed: 32, numRuns: 300 },
    );
  });

  it('BACKUP-19 a checksum mismatch or a checksum of a missing entry is BACKUP_CORRUPTED', async () => {
    const entries = [{ name: 'data/tasks.jsonl', data: TASKS_JSONL }];
    for (const checksums of [{ 'data/tasks.jsonl': '0'.repeat(64) }, { 'data/lists.jsonl': 'a'.repeat(64) }]) {
      const error = await expectBackupError(read(crafted(entries, { checksums })), 'BACKUP_CORRUPTED');
      expect(error.requirement).toBe('BACKUP-19');
    }
  });

  it('BACKUP-6 a sealed archive without a passphrase is BACKUP_PASSPHRASE_REQUIRED', async () => {
    const bytes = await sealedArchive();
    await expectBackupError(read(bytes), 'BACKUP_PASSPHRASE_REQUIRED');
    await expectBackupError(read(bytes, { passphrase: '' }), 'BACKUP_PASSPHRASE_REQUIRED');
  });

  it('BACKUP-6 a passphrase block without data.sealed is BACKUP_CORRUPTED', async () => {
    const bytes = rezip(await sealedArchive(), (files) => {
      delete files['data.sealed'];
    });
    await expectBackupError(read(bytes, { passphrase: PASSPHRASE }), 'BACKUP_CORRUPTED');
  });

  it('BACKUP-10 BACKUP-12 a wrong passphrase is BACKUP_WRONG_PASSPHRASE', async () => {
    const bytes = await sealedArchive();
    for (const passphrase of ['wrong', `${PASSPHRASE} `, PASSPHRASE.normalize('NFD').toUpperCase()]) {
      await expectBackupError(read(bytes, { passphrase }), 'BACKUP_WRONG_PASSPHRASE');
    }
  });

  it('BACKUP-7 the passphrase is used as given, without Unicode normalization', async () => {
    const composed = 'Grüße';
    const { bytes } = await writeBackupArchive(archiveInput({ passphrase: composed }));
    await expect(read(bytes, { passphrase: composed })).resolves.toMatchObject({ sealed: true });
    await expectBackupError(read(bytes, { passphrase: composed.normalize('NFD') }), 'BACKUP_WRONG_PASSPHRASE');
  });

  it('BACKUP-10 BACKUP-12 altered sealed data with a right passphrase is BACKUP_TAMPERED, not a wrong passphrase', async () => {
    const original = await sealedArchive();
    for (const at of [0, 100, -1]) {
      const bytes = rezip(original, (files) => {
        const sealed = files['data.sealed']!;
        sealed[at < 0 ? sealed.length + at : at]! ^= 0x01;
      });
      await expectBackupError(read(bytes, { passphrase: PASSPHRASE }), 'BACKUP_TAMPERED');
    }
  });

  it('BACKUP-10 an altered IV is BACKUP_TAMPERED; an altered salt or key check reads as a wrong passphrase', async () => {
    const original = await sealedArchive();
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const edit = (member: 'ivBase64' | 'kdfSaltBase64' | 'keyCheck') =>
      editManifest(original, (manifest) => {
        const block = manifest.passphrase as Record<string, string>;
        block[member] = flip(block[member]!);
      });
    await expectBackupError(read(edit('ivBase64'), { passphrase: PASSPHRASE }), 'BACKUP_TAMPERED');
    await expectBackupError(read(edit('kdfSaltBase64'), { passphrase: PASSPHRASE }), 'BACKUP_WRONG_PASSPHRASE');
    await expectBackupError(read(edit('keyCheck'), { passphrase: PASSPHRASE }), 'BACKUP_WRONG_PASSPHRASE');
  });

  it('BACKUP-11 any change of the outer manifest of a sealed archive is BACKUP_TAMPERED', async () => {
    const original = await sealedArchive();
    const edits: ((manifest: Record<string, unknown>) => void)[] = [
      (manifest) => (manifest.rowCounts = { tasks: 3, lists: 1 }),
      (manifest) => (manifest.userId = 'u-mallory'),
      (manifest) => (manifest.exportedAt = '2026-03-02T09:30:00.000Z'),
      (manifest) => (manifest.scope = { type: 'filtered', appIds: ['todo'] }),
      (manifest) => (manifest.checksums = {}),
    ];
    for (const edit of edits) {
      const error = await expectBackupError(read(editManifest(original, edit), { passphrase: PASSPHRASE }), 'BACKUP_TAMPERED');
      expect(error.requirement).toBe('BACKUP-11');
    }
    // Only the key order and the whitespace changed: the same JSON value.
    const reformatted = editManifest(original, (manifest) => {
      const { rowCounts } = manifest;
      delete manifest.rowCounts;
      manifest.rowCounts = rowCounts;
    });
    await expect(read(reformatted, { passphrase: PASSPHRASE })).resolves.toMatchObject({ manifestAuthenticated: true });
  });

  it('BACKUP-9 a plaintextSha256 that differs from the inner ZIP is BACKUP_CORRUPTED', async () => {
    // The passphrase block is not part of the authenticated copy (BACKUP-11), so BACKUP-9 decides.
    const bytes = editManifest(await sealedArchive(), (manifest) => ((manifest.passphrase as Record<string, unknown>).plaintextSha256 = 'f'.repeat(64)));
    const error = await expectBackupError(read(bytes, { passphrase: PASSPHRASE }), 'BACKUP_CORRUPTED');
    expect(error.requirement).toBe('BACKUP-9');
  });

  it('BACKUP-7 iteration counts outside the reader bounds are BACKUP_CORRUPTED before any key derivation', async () => {
    const original = await sealedArchive();
    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveBits');
    for (const kdfIterations of [99_999, 10_000_001, 1e12, 0]) {
      const bytes = editManifest(original, (manifest) => ((manifest.passphrase as Record<string, unknown>).kdfIterations = kdfIterations));
      await expectBackupError(read(bytes, { passphrase: PASSPHRASE }), 'BACKUP_CORRUPTED');
    }
    expect(derive).not.toHaveBeenCalled();
  });
});

describe('reader limits (BACKUP-13)', () => {
  const BOMB_BYTES = 32 * 1024 * 1024;
  let bomb: Uint8Array;
  let bombCrc: number;

  beforeAll(() => {
    const zeros = new Uint8Array(BOMB_BYTES);
    bomb = deflateRawSync(zeros, { level: 9 });
    bombCrc = crc32(zeros);
  });

  /** An archive whose tasks entry inflates to BOMB_BYTES from ~32 KiB, declaring its sizes honestly. */
  function bombArchive(declaredSize = BOMB_BYTES): Uint8Array<ArrayBuffer> {
    return crafted([{ name: 'data/tasks.jsonl', data: bomb, predeflated: { size: declaredSize, crc32: bombCrc } }]);
  }

  async function limitError(read: Promise<unknown>): Promise<BackupLimitExceededError> {
    return (await expectBackupError(read, 'BACKUP_LIMIT_EXCEEDED')) as BackupLimitExceededError;
  }

  it('BACKUP-13 a zip bomb is refused by the ratio limit at the spec defaults, long before it is inflated', async () => {
    const error = await limitError(read(bombArchive()));
    expect(error.exceeded.limit).toBe('maxCompressionRatio');
    expect(error.exceeded.inflatedBytes).toBeLessThan(BOMB_BYTES / 4);
  });

  it('BACKUP-13 the inflated total is counted on actual bytes and stops inflation at the limit', async () => {
    const limit = 256 * 1024;
    const error = await limitError(read(bombArchive(), { limits: { maxInflatedBytes: limit, maxCompressionRatio: 1e9 } }));
    expect(error.exceeded.limit).toBe('maxInflatedBytes');
    expect(error.exceeded.inflatedBytes).toBeGreaterThan(limit);
    expect(error.exceeded.inflatedBytes).toBeLessThan(BOMB_BYTES / 4);
  });

  it('BACKUP-13 BACKUP-5 an entry that inflates beyond its declared size stops at that size as BACKUP_CORRUPTED', async () => {
    const error = await expectBackupError(read(bombArchive(100)), 'BACKUP_CORRUPTED');
    expect(error.message).toContain('beyond its declared size');
  });

  it('BACKUP-13 the inner ZIP of a sealed archive counts towards the inflated total', async () => {
    const rows = Array.from({ length: 4000 }, (_, index) => ({ id: `task-${index}`, title: 'the same title again and again' }));
    const { bytes } = await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE, tables: new Map([['tasks', rows]]) }));
    await expect(read(bytes, { passphrase: PASSPHRASE })).resolves.toBeDefined();
    const error = await limitError(read(bytes, { passphrase: PASSPHRASE, limits: { maxInflatedBytes: 64 * 1024 } }));
    expect(error.exceeded.limit).toBe('maxInflatedBytes');
    expect(error.message).toContain('sealed data');
  });

  it('BACKUP-13 more entries than the limit are refused before anything is inflated', async () => {
    const entries = Array.from({ length: 11 }, (_, index) => ({ name: `extra/${index}`, data: 'x' }));
    const error = await limitError(read(crafted(entries), { limits: { maxEntries: 11 } }));
    expect(error.exceeded).toEqual({ limit: 'maxEntries', inflatedBytes: 0 });
    await expect(read(crafted(entries.slice(1), { rowCounts: {} }), { limits: { maxEntries: 11 } })).resolves.toBeDefined();
  });

  it('BACKUP-13 a manifest larger than the limit is refused while inflating it', async () => {
    const bytes = crafted([], { rowCounts: {}, producedBy: 'x'.repeat(100) });
    const error = await limitError(read(bytes, { limits: { maxManifestBytes: 200 } }));
    expect(error.exceeded.limit).toBe('maxManifestBytes');
    const stored = handZip([{ name: 'manifest.json', data: JSON.stringify({ ...MANIFEST, rowCounts: {}, producedBy: 'x'.repeat(100) }), method: 'stored' }]);
    expect((await limitError(read(stored, { limits: { maxManifestBytes: 200 } }))).exceeded.limit).toBe('maxManifestBytes');
  });

  it('BACKUP-13 ZIP64 archives are beyond the limits of a reader', async () => {
    const bytes = crafted([{ name: 'data/tasks.jsonl', data: TASKS_JSONL }]);
    new DataView(bytes.buffer).setUint32(bytes.length - 22 + 16, 0xffffffff, true);
    expect((await limitError(read(bytes))).exceeded.limit).toBe('zip64');
  });

  it('BACKUP-13 the spec limits read an ordinary archive', async () => {
    await expect(read(await unsealedArchive())).resolves.toMatchObject({ sealed: false });
  });
});
