// `mana-conformance archive`: verdicts per BACKUP requirement and exit statuses, on archives of the
// reference client's writer (used here only to produce inputs), of the first web client's format,
// and damaged or non-conforming ones. Some cases run the real command end to end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_KDF_ITERATIONS } from '../../spec/generated/constants.js';
import { requirementsByArea } from '../../spec/src/requirements.js';
import { writeBackupArchive } from '../../reference-client/src/backup/archive-writer.js';
import { archiveInput, editManifest, FAST_KDF, PASSPHRASE, rezip } from '../../reference-client/test/support/backup-fixtures.js';
import { firstClientArchive } from '../../reference-client/test/support/first-client-archive.js';
import { handZip } from '../../reference-client/test/support/hand-zip.js';
import { entryHeaders } from '../../reference-client/test/support/zip-layout.js';
import { checkArchive, type ArchiveCheckOptions, type ArchiveReport } from '../src/archive/archive-check.js';
import { archiveCommand, parseArchiveOptions } from '../src/archive/archive-command.js';
import type { ArchiveVerdict, RequirementResult } from '../src/archive/archive-findings.js';
import { UsageError } from '../src/usage-error.js';
import { cli } from './support/cli-process.js';

const BACKUP_IDS = (requirementsByArea().get('BACKUP') ?? []).map(({ id }) => id);
const dir = mkdtempSync(join(tmpdir(), 'mana-archive-command-'));
const FIRST_CLIENT_TASKS = { tasks: [{ id: 'a1', title: 'Steuererklärung', userId: 'unknown' }, { id: 'b2', done: true }] };

function saved(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function result(report: ArchiveReport, id: string): RequirementResult {
  const found = report.requirements.find((requirement) => requirement.id === id);
  if (found === undefined) throw new Error(`no verdict for ${id}`);
  return found;
}

function verdicts(report: ArchiveReport): Record<string, ArchiveVerdict> {
  return Object.fromEntries(report.requirements.map(({ id, verdict }) => [id, verdict]));
}

/** The failures of a report as `ID code` strings, the shortest statement of why it did not conform. */
function failures(report: ArchiveReport): string[] {
  return report.requirements.flatMap(({ id, failures: found }) => found.map((failure) => `${id} ${failure.code ?? 'writer rule'}`));
}

let unsealed: Uint8Array<ArrayBuffer>;
let sealed: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  unsealed = (await writeBackupArchive(archiveInput())).bytes;
  sealed = (await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE, kdfIterations: BACKUP_KDF_ITERATIONS }))).bytes;
});

function check(bytes: Uint8Array<ArrayBuffer>, options: ArchiveCheckOptions = {}): Promise<ArchiveReport> {
  return checkArchive(bytes, options);
}

describe('mana-conformance archive (the real command)', () => {
  it('BACKUP-1 BACKUP-4 BACKUP-5 BACKUP-19 BACKUP-20 an unsealed archive of the reference writer conforms: exit 0 and a verdict line per BACKUP requirement', async () => {
    const { code, stdout, stderr } = await cli(['archive', saved('mana-full-2026-03-01.mana', unsealed)]);
    expect(code, stderr).toBe(0);
    for (const id of BACKUP_IDS) expect(stdout).toMatch(new RegExp(`^(PASS|NOT CHECKED|NOT APPLICABLE) +${id} `, 'm'));
    for (const id of ['BACKUP-1', 'BACKUP-2', 'BACKUP-3', 'BACKUP-4', 'BACKUP-5', 'BACKUP-13', 'BACKUP-19', 'BACKUP-20']) expect(stdout).toMatch(new RegExp(`^PASS +${id} `, 'm'));
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^conforms \(exit 0\): /);
  });

  it('BACKUP-6 BACKUP-7 BACKUP-9 BACKUP-10 BACKUP-11 a sealed archive opened with --passphrase-file conforms, and --json prints the report', async () => {
    const passphraseFile = saved('passphrase.txt', `${PASSPHRASE}\n`);
    const { code, stdout, stderr } = await cli(['archive', saved('mana-full-2026-03-01.sealed.mana', sealed), '--passphrase-file', passphraseFile, '--json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as ArchiveReport & { file: string };
    expect(report).toMatchObject({ outcome: 'conforms', exitCode: 0, summary: { sealed: true, opened: true, manifestAuthenticated: true, rowCounts: { tasks: 3, lists: 1, archived: 0 } } });
    expect(report.requirements.map(({ id }) => id)).toEqual(BACKUP_IDS);
    for (const id of ['BACKUP-4', 'BACKUP-6', 'BACKUP-7', 'BACKUP-8', 'BACKUP-9', 'BACKUP-10', 'BACKUP-11', 'BACKUP-21']) expect(result(report, id).verdict, id).toBe('PASS');
  });

  it('BACKUP-10 a wrong passphrase exits 3, naming the key check', async () => {
    const { code, stdout } = await cli(['archive', saved('wrong.sealed.mana', sealed), '--passphrase-file', saved('wrong.txt', 'not the passphrase')]);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^FAIL +BACKUP-10 /m);
    expect(stdout).toContain('BACKUP_WRONG_PASSPHRASE: the key check value does not match');
  });

  it('BACKUP-5 a flipped byte in the compressed data of a data entry exits 4 (tampered or corrupted)', async () => {
    const damaged = unsealed.slice();
    const { local } = entryHeaders(damaged).get('data/tasks.jsonl')!;
    damaged[local + 30 + 'data/tasks.jsonl'.length + 10]! ^= 0x20;
    const { code, stdout } = await cli(['archive', saved('flipped.mana', damaged)]);
    expect(code).toBe(4);
    expect(stdout).toMatch(/^FAIL +BACKUP-5 /m);
    expect(stdout).toMatch(/BACKUP_CORRUPTED: archive, entry "data\/tasks.jsonl"/);
  });

  it('usage errors exit 2 with a message: a missing file, an unknown flag', async () => {
    expect(await cli(['archive', join(dir, 'no-such.mana')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read the archive') as unknown });
    expect(await cli(['archive', saved('usage.mana', unsealed), '--passphrase', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--passphrase'") as unknown });
  });
});

describe('archive command options (in process)', () => {
  const stdout = new PassThrough();
  const run = async (args: string[]) => archiveCommand(parseArchiveOptions(args), { stdout });

  it('usage errors: no file, two files, a missing or empty passphrase file, a bad --schema-version', async () => {
    const archive = saved('options.mana', unsealed);
    const cases: [string[], string][] = [
      [[], 'archive needs the file to check'],
      [[archive, archive], 'archive checks one file'],
      [[archive, '--passphrase-file', join(dir, 'none.txt')], 'cannot read the passphrase file'],
      [[archive, '--passphrase-file', saved('empty.txt', '\n')], 'is empty'],
      [[archive, '--schema-version', 'three'], '--schema-version needs a non-negative integer'],
    ];
    for (const [args, message] of cases) {
      const error: unknown = await run(args).catch((failure: unknown) => failure);
      expect(error, args.join(' ')).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toContain(message);
    }
  });

  it('BACKUP-7 the passphrase file is used as given but for one final line break', async () => {
    const archive = saved('crlf.sealed.mana', (await writeBackupArchive(archiveInput({ passphrase: ` ${PASSPHRASE} ` }))).bytes);
    // Exit 1: opened, only the tests' fast KDF breaks BACKUP-7's writer rule; exit 3: the key check refused it.
    expect(await run([archive, '--passphrase-file', saved('crlf.txt', ` ${PASSPHRASE} \r\n`)])).toBe(1);
    expect(await run([archive, '--passphrase-file', saved('trimmed.txt', PASSPHRASE)])).toBe(3);
  });
});

describe('checkArchive', () => {
  it('BACKUP-6 BACKUP-9 BACKUP-10 BACKUP-11 a sealed archive without a passphrase: its contents NOT CHECKED with the reason, the rest checked, exit 0', async () => {
    const report = await check(sealed);
    expect(report.exitCode).toBe(0);
    for (const id of ['BACKUP-4', 'BACKUP-9', 'BACKUP-10', 'BACKUP-11', 'BACKUP-19']) {
      expect(result(report, id), id).toMatchObject({ verdict: 'NOT CHECKED', notes: [expect.stringContaining('no passphrase was given') as unknown] });
    }
    expect(verdicts(report)).toMatchObject({ 'BACKUP-1': 'PASS', 'BACKUP-3': 'PASS', 'BACKUP-6': 'PASS', 'BACKUP-7': 'PASS', 'BACKUP-8': 'PASS', 'BACKUP-21': 'PASS' });
  });

  it('BACKUP-7 a writer that seals with fewer than BACKUP_KDF_ITERATIONS does not conform (exit 1), although readers open it', async () => {
    const fast = (await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE, kdfIterations: FAST_KDF }))).bytes;
    const report = await check(fast, { passphrase: PASSPHRASE });
    expect(report.exitCode).toBe(1);
    expect(failures(report)).toEqual(['BACKUP-7 writer rule']);
    expect(result(report, 'BACKUP-7').failures[0]).toMatchObject({ expected: String(BACKUP_KDF_ITERATIONS), actual: String(FAST_KDF) });
  });

  it('BACKUP-18 archives of the first web client conform: unsealed, and sealed without key check or inner manifest', async () => {
    const plain = await check(firstClientArchive({ tables: FIRST_CLIENT_TASKS }));
    expect(plain.exitCode).toBe(0);
    expect(verdicts(plain)).toMatchObject({ 'BACKUP-18': 'PASS', 'BACKUP-4': 'PASS', 'BACKUP-14': 'PASS' });
    const sealedFirst = await check(firstClientArchive({ tables: FIRST_CLIENT_TASKS, passphrase: PASSPHRASE }), { passphrase: PASSPHRASE });
    expect(failures(sealedFirst)).toEqual([]);
    expect(sealedFirst.summary).toMatchObject({ sealed: true, opened: true, manifestAuthenticated: false });
    expect(result(sealedFirst, 'BACKUP-11').notes.join()).toContain('unauthenticated');
  });

  it('BACKUP-10 without a key check a wrong passphrase cannot be told from tampering: exit 3, BACKUP_WRONG_PASSPHRASE_OR_TAMPERED', async () => {
    const archive = firstClientArchive({ tables: FIRST_CLIENT_TASKS, passphrase: PASSPHRASE });
    const report = await check(archive, { passphrase: 'wrong' });
    expect(report.exitCode).toBe(3);
    expect(failures(report)).toEqual(['BACKUP-10 BACKUP_WRONG_PASSPHRASE_OR_TAMPERED']);
  });

  it('BACKUP-6 BACKUP-10 the first web client\'s allowances are its own: another producer without key check or inner manifest does not conform', async () => {
    const archive = firstClientArchive({ tables: FIRST_CLIENT_TASKS, passphrase: PASSPHRASE, manifest: { producedBy: 'another-writer' } });
    const report = await check(archive, { passphrase: PASSPHRASE });
    expect(report.exitCode).toBe(1);
    expect(failures(report).sort()).toEqual(['BACKUP-10 writer rule', 'BACKUP-6 writer rule']);
  });

  it('BACKUP-10 BACKUP-11 BACKUP-9 tampering with the right passphrase exits 4: altered sealed data, an altered outer manifest, a wrong plaintextSha256', async () => {
    const alteredData = rezip(sealed, (files) => {
      files['data.sealed']![40]! ^= 0x01;
    });
    expect(failures(await check(alteredData, { passphrase: PASSPHRASE }))).toEqual(['BACKUP-10 BACKUP_TAMPERED']);
    const alteredManifest = editManifest(sealed, (manifest) => (manifest.userId = 'u-mallory'));
    expect(failures(await check(alteredManifest, { passphrase: PASSPHRASE }))).toEqual(['BACKUP-11 BACKUP_TAMPERED']);
    const wrongHash = editManifest(sealed, (manifest) => ((manifest.passphrase as Record<string, unknown>).plaintextSha256 = '0'.repeat(64)));
    const report = await check(wrongHash, { passphrase: PASSPHRASE });
    expect(report.exitCode).toBe(4);
    expect(failures(report)).toEqual(['BACKUP-9 BACKUP_CORRUPTED']);
  });

  it('BACKUP-4 BACKUP-19 a row count or a checksum that does not match exits 4', async () => {
    const counts = editManifest(unsealed, (manifest) => (manifest.rowCounts = { tasks: 4, lists: 1 }));
    expect(failures(await check(counts))).toEqual(['BACKUP-4 BACKUP_CORRUPTED']);
    const checksum = editManifest(unsealed, (manifest) => ((manifest.checksums as Record<string, string>)['data/lists.jsonl'] = 'a'.repeat(64)));
    const report = await check(checksum);
    expect(report.exitCode).toBe(4);
    expect(result(report, 'BACKUP-19').failures[0]).toMatchObject({ expected: 'a'.repeat(64), actual: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
  });

  it('BACKUP-3 BACKUP-14 another formatVersion, or a schemaVersion outside the importing client\'s window, is unsupported: exit 1', async () => {
    expect(failures(await check(editManifest(unsealed, (manifest) => (manifest.formatVersion = 3))))).toEqual(['BACKUP-3 BACKUP_UNSUPPORTED_VERSION']);
    expect(failures(await check(unsealed, { schemaVersion: 6 }))).toEqual(['BACKUP-14 BACKUP_UNSUPPORTED_VERSION']);
    expect(result(await check(unsealed, { schemaVersion: 5 }), 'BACKUP-14').verdict).toBe('PASS');
    expect(result(await check(unsealed), 'BACKUP-14').verdict).toBe('NOT CHECKED');
  });

  it('BACKUP-3 a manifest that breaks the schema exits 4 (BACKUP_CORRUPTED), with the schema errors as actual', async () => {
    const report = await check(editManifest(unsealed, (manifest) => (manifest.scope = { type: 'partial' })));
    expect(failures(report)).toEqual(['BACKUP-3 BACKUP_CORRUPTED']);
    expect(result(report, 'BACKUP-3').failures[0]!.actual).toContain('/scope');
  });

  it('BACKUP-15 an export that kept ciphertext or deleted rows does not conform: exit 1', async () => {
    const input = archiveInput({ tables: new Map([['tasks', [{ id: 't', title: `enc:2:${'A'.repeat(16)}.${'B'.repeat(32)}` }, { id: 'gone', deletedAt: '2026-01-01T00:00:00.000Z' }]]]) });
    const report = await check((await writeBackupArchive(input)).bytes);
    expect(report.exitCode).toBe(1);
    expect(failures(report)).toEqual(['BACKUP-15 writer rule', 'BACKUP-15 writer rule']);
    const kept = await check((await writeBackupArchive({ ...archiveInput(), manifest: { ...archiveInput().manifest, fieldsPlaintext: false } })).bytes);
    expect(failures(kept)).toEqual(['BACKUP-15 writer rule']);
  });

  it('BACKUP-6 BACKUP-8 a deflated data.sealed, row data beside it and padded base64url do not conform: exit 1', async () => {
    const layout = rezip(sealed, (files) => {
      files['data/tasks.jsonl'] = new TextEncoder().encode('{"id":"leak"}\n');
    });
    expect(failures(await check(layout, { passphrase: PASSPHRASE }))).toEqual(['BACKUP-6 writer rule']);
    const files = Object.entries((await import('fflate')).unzipSync(sealed)).map(([name, data]) => ({ name, data }));
    expect(failures(await check(handZip(files), { passphrase: PASSPHRASE }))).toEqual(['BACKUP-6 writer rule']);
    const padded = editManifest(sealed, (manifest) => ((manifest.passphrase as Record<string, string>).kdfSaltBase64 += '=='));
    const report = await check(padded, { passphrase: PASSPHRASE });
    expect(failures(report)).toEqual(['BACKUP-8 writer rule']);
    expect(report.summary.opened).toBe(true);
  });

  it('BACKUP-1 a non-ASCII entry name without the UTF-8 flag does not conform: exit 1', async () => {
    const bytes = rezip(unsealed, (entries) => {
      entries['notes/grüße.txt'] = new TextEncoder().encode('hi');
    });
    const { local, central } = entryHeaders(bytes).get('notes/grüße.txt')!;
    const view = new DataView(bytes.buffer);
    view.setUint16(local + 6, view.getUint16(local + 6, true) & ~0x0800, true);
    view.setUint16(central + 8, view.getUint16(central + 8, true) & ~0x0800, true);
    expect(failures(await check(bytes))).toEqual(['BACKUP-1 writer rule']);
  });

  it('BACKUP-20 a file name off the naming rule is NON-STRICT (a SHOULD) and leaves the exit status at 0', async () => {
    const report = await check(unsealed, { fileName: 'my backup.zip' });
    expect(result(report, 'BACKUP-20')).toMatchObject({ verdict: 'NON-STRICT', failures: [{ expected: 'mana-full-YYYY-MM-DD.mana', actual: 'my backup.zip' }] });
    expect(report.exitCode).toBe(0);
  });
});
