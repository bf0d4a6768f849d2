import { spawnSync } from 'node:child_process';
import { createDecipheriv, createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  BACKUP_KDF_ITERATIONS,
  BACKUP_KEY_CHECK_BYTES,
  BACKUP_KEY_CHECK_LABEL,
} from '../../spec/generated/constants.js';
import type { BackupManifest } from '../../spec/generated/types.js';
import { validatorFor } from '../../spec/src/schema-registry.js';
import { archiveFileName } from '../src/backup/archive-file-name.js';
import { readBackupArchive } from '../src/backup/archive-reader.js';
import { writeBackupArchive } from '../src/backup/archive-writer.js';
import { archiveInput, LISTS, PASSPHRASE, SCHEMA_VERSION, TASKS, rowsOf, sealedArchive, unsealedArchive } from './support/backup-fixtures.js';

const unzipAvailable = spawnSync('unzip', ['-v']).status === 0;
const text = new TextDecoder();

function unzipTest(bytes: Uint8Array): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'mana-backup-')), 'archive.mana');
  writeFileSync(file, bytes);
  const result = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

function manifestOf(bytes: Uint8Array): BackupManifest {
  return JSON.parse(text.decode(unzipSync(bytes)['manifest.json'])) as BackupManifest;
}

/** The inner ZIP of a sealed archive, opened with Node's crypto from the manifest alone. */
function nodeUnseal(bytes: Uint8Array, passphrase: string): Buffer {
  const block = manifestOf(bytes).passphrase!;
  const sealed = Buffer.from(unzipSync(bytes)['data.sealed']!);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), Buffer.from(block.kdfSaltBase64, 'base64url'), block.kdfIterations, 32, 'sha256');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(block.ivBase64, 'base64url'));
  decipher.setAuthTag(sealed.subarray(-16));
  return Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]);
}

describe('.mana archives written and read back', () => {
  it('BACKUP-2 BACKUP-3 BACKUP-4 an unsealed archive holds a valid manifest and one JSON line per row', async () => {
    const bytes = await unsealedArchive();
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'data/lists.jsonl', 'data/tasks.jsonl', 'manifest.json']);
    const manifest = manifestOf(bytes);
    expect(validatorFor('backup-manifest')(manifest)).toBe(true);
    expect(manifest).toMatchObject({ formatVersion: 2, rowCounts: { tasks: 3, lists: 1, archived: 0 }, fieldsPlaintext: true });
    const lines = text.decode(files['data/tasks.jsonl']).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as unknown)).toEqual(TASKS);
  });

  it('BACKUP-19 an unsealed writer writes the SHA-256 of every data entry', async () => {
    const bytes = await unsealedArchive();
    const files = unzipSync(bytes);
    const sha = (path: string) => createHash('sha256').update(files[path]!).digest('hex');
    expect(manifestOf(bytes).checksums).toEqual({ 'data/tasks.jsonl': sha('data/tasks.jsonl'), 'data/lists.jsonl': sha('data/lists.jsonl') });
  });

  it('BACKUP-4 BACKUP-5 an unsealed archive reads back to the same rows', async () => {
    const contents = await readBackupArchive(await unsealedArchive(), { schemaVersion: SCHEMA_VERSION });
    expect(rowsOf(contents)).toEqual({ tasks: TASKS, lists: LISTS });
    expect(contents).toMatchObject({ sealed: false, manifestAuthenticated: false, ignoredEntries: [] });
    expect(contents.manifest.rowCounts).toEqual({ tasks: 3, lists: 1, archived: 0 });
  });

  it('BACKUP-6 BACKUP-9 BACKUP-11 a sealed archive reads back to the same rows, its manifest authenticated', async () => {
    const contents = await readBackupArchive(await sealedArchive(), { schemaVersion: SCHEMA_VERSION, passphrase: PASSPHRASE });
    expect(rowsOf(contents)).toEqual({ tasks: TASKS, lists: LISTS });
    expect(contents).toMatchObject({ sealed: true, manifestAuthenticated: true, ignoredEntries: [] });
  });

  it('BACKUP-6 BACKUP-21 a sealed archive holds its rows only in data.sealed, stored', async () => {
    const bytes = await sealedArchive();
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'data.sealed', 'manifest.json']);
    // Central directory record of data.sealed: compression method 0.
    const view = Buffer.from(bytes);
    const record = view.indexOf(Buffer.from('data.sealed')) - 30;
    expect(view.readUInt32LE(record)).toBe(0x04034b50);
    expect(view.readUInt16LE(record + 8)).toBe(0);
    for (const secret of ['Buy milk', 'Groceries', 'task-1', 'home']) {
      expect(view.includes(Buffer.from(secret)), secret).toBe(false);
      expect(text.decode(files['manifest.json']).includes(secret)).toBe(false);
    }
  });

  it('BACKUP-6 BACKUP-9 BACKUP-11 the seal opens with Node crypto: inner ZIP, hash and manifest copy as specified', async () => {
    const bytes = await sealedArchive();
    const manifest = manifestOf(bytes);
    const inner = nodeUnseal(bytes, PASSPHRASE);
    expect(createHash('sha256').update(inner).digest('hex')).toBe(manifest.passphrase!.plaintextSha256);
    const files = unzipSync(new Uint8Array(inner));
    expect(Object.keys(files).sort()).toEqual(['data/lists.jsonl', 'data/tasks.jsonl', 'manifest.json']);
    const withoutPassphrase: Partial<BackupManifest> = { ...manifest };
    delete withoutPassphrase.passphrase;
    expect(JSON.parse(text.decode(files['manifest.json']))).toEqual(withoutPassphrase);
  });

  it('BACKUP-7 BACKUP-8 BACKUP-10 the passphrase block: base64url without padding, fresh salt and IV, key check', async () => {
    const first = manifestOf(await sealedArchive()).passphrase!;
    const second = manifestOf(await sealedArchive()).passphrase!;
    for (const block of [first, second]) {
      expect(block.kdfSaltBase64).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(block.ivBase64).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(block.keyCheck).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const key = pbkdf2Sync(Buffer.from(PASSPHRASE), Buffer.from(block.kdfSaltBase64, 'base64url'), block.kdfIterations, 32, 'sha256');
      const check = createHmac('sha256', key).update(BACKUP_KEY_CHECK_LABEL).digest().subarray(0, BACKUP_KEY_CHECK_BYTES);
      expect(block.keyCheck).toBe(check.toString('base64url'));
    }
    expect(second.kdfSaltBase64).not.toBe(first.kdfSaltBase64);
    expect(second.ivBase64).not.toBe(first.ivBase64);
  });

  it('BACKUP-7 a writer uses BACKUP_KDF_ITERATIONS by default (the one test that pays for 600,000 iterations)', async () => {
    const input = { ...archiveInput({ passphrase: PASSPHRASE }), kdfIterations: undefined };
    const started = performance.now();
    const { bytes, manifest } = await writeBackupArchive(input);
    expect(manifest.passphrase!.kdfIterations).toBe(BACKUP_KDF_ITERATIONS);
    const contents = await readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION, passphrase: PASSPHRASE });
    expect(rowsOf(contents)).toEqual({ tasks: TASKS, lists: LISTS });
    console.info(`BACKUP-7: seal and unseal at ${BACKUP_KDF_ITERATIONS} iterations took ${Math.round(performance.now() - started)} ms`);
  });

  it('BACKUP-7 a writer refuses iteration counts a reader would refuse, and an empty passphrase', async () => {
    for (const kdfIterations of [99_999, 10_000_001, 1.5]) {
      await expect(writeBackupArchive(archiveInput({ passphrase: PASSPHRASE, kdfIterations }))).rejects.toMatchObject({ code: 'BACKUP_EXPORT_INVALID' });
    }
    await expect(writeBackupArchive(archiveInput({ passphrase: '' }))).rejects.toMatchObject({ code: 'BACKUP_EXPORT_INVALID' });
  });

  it('BACKUP-3 a writer refuses to write a manifest a reader would refuse', async () => {
    const tables = new Map([['bad-name', TASKS]]);
    await expect(writeBackupArchive(archiveInput({ tables }))).rejects.toMatchObject({ code: 'BACKUP_EXPORT_INVALID' });
  });

  it('BACKUP-20 archive file names', async () => {
    const { manifest } = await writeBackupArchive(archiveInput());
    expect(archiveFileName(manifest)).toBe('mana-full-2026-03-01.mana');
    const filtered = await writeBackupArchive(
      archiveInput({ passphrase: PASSPHRASE, manifest: { ...archiveInput().manifest, scope: { type: 'filtered', appIds: ['todo', 'calendar'] } } }),
    );
    expect(archiveFileName(filtered.manifest)).toBe('mana-todo+calendar-2026-03-01.sealed.mana');
  });

  it.skipIf(!unzipAvailable)('BACKUP-1 unzip -t accepts sealed and unsealed archives and rejects a damaged one (skipped without `unzip`)', async () => {
    for (const bytes of [await unsealedArchive(), await sealedArchive()]) {
      const result = unzipTest(bytes);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain('No errors detected');
    }
    const damaged = await unsealedArchive();
    const at = Buffer.from(damaged).indexOf(Buffer.from('data/tasks.jsonl')) + 'data/tasks.jsonl'.length + 4;
    damaged[at]! ^= 0xff;
    expect(unzipTest(damaged).status).not.toBe(0);
  });
});
