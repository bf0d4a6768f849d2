// The archive checker on hostile archives (issue 10, backup hostility): the same builders the
// reference client's hostility tests import, judged by the independent checker. Damage exits 4,
// limits exit 1; on random corruptions the checker and the reference reader must agree.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_MAX_ENTRIES } from '../../spec/generated/constants.js';
import { readBackupArchive } from '../../reference-client/src/backup/archive-reader.js';
import { writeBackupArchive } from '../../reference-client/src/backup/archive-writer.js';
import { isBackupError } from '../../reference-client/src/backup/backup-errors.js';
import { corrupt, corruptionOf, sameBytes } from '../../reference-client/test/support/archive-corruptions.js';
import { archiveInput, FAST_KDF, LISTS, PASSPHRASE, SCHEMA_VERSION } from '../../reference-client/test/support/backup-fixtures.js';
import { handZip } from '../../reference-client/test/support/hand-zip.js';
import {
  manyEntries,
  nestedZipEntry,
  overlappingEntries,
  sealedHostile,
  swapManifest,
  TWO_TASKS,
  unsealedHostile,
  zeroBomb,
} from '../../reference-client/test/support/hostile-archives.js';
import { checkArchive, type ArchiveReport } from '../src/archive/archive-check.js';
import type { ReaderCode } from '../src/archive/archive-findings.js';

const SEAL = { passphrase: PASSPHRASE, iterations: FAST_KDF } as const;

/** The failures with a reader code, as `ID code`: what a reader refuses the archive for. */
function refusals(report: ArchiveReport): string[] {
  return report.requirements.flatMap(({ id, failures }) => failures.flatMap((failure) => (failure.code === undefined ? [] : [`${id} ${failure.code}`])));
}

describe('the checker on zip bombs (BACKUP-13)', () => {
  let bomb: ReturnType<typeof zeroBomb>;
  beforeAll(() => {
    bomb = zeroBomb('data/tasks.jsonl', 32 * 1024 * 1024);
  });

  it('BACKUP-13 a high-ratio entry exits 1 (limit exceeded) after inflating no more than the ratio allows, whatever size it declares', async () => {
    for (const declared of [bomb.predeflated!.size, 0xfffffffe]) {
      const report = await checkArchive(unsealedHostile([{ ...bomb, predeflated: { ...bomb.predeflated!, size: declared } }]));
      expect(report.exitCode, `declaring ${declared}`).toBe(1);
      expect(refusals(report)).toEqual(['BACKUP-13 BACKUP_LIMIT_EXCEEDED']);
      expect(report.summary.inflatedBytes).toBeLessThanOrEqual(bomb.data.length * 1000 + 1000);
    }
  });

  it('BACKUP-5 a bomb declaring a small size exits 4, stopped at that size', async () => {
    const report = await checkArchive(unsealedHostile([{ ...bomb, predeflated: { ...bomb.predeflated!, size: 100 } }]));
    expect(report.exitCode).toBe(4);
    expect(refusals(report)).toEqual(['BACKUP-5 BACKUP_CORRUPTED']);
  });

  it('BACKUP-13 a manifest bomb, a bomb inside the sealed inner ZIP, and too many entries exit 1', async () => {
    const cases: [string, Uint8Array<ArrayBuffer>, string | undefined][] = [
      ['manifest bomb', handZip([zeroBomb('manifest.json', 4 * 1024 * 1024)]), undefined],
      ['inner bomb', sealedHostile([bomb], SEAL), PASSPHRASE],
      ['entries', unsealedHostile(manyEntries(BACKUP_MAX_ENTRIES)), undefined],
    ];
    for (const [label, archive, passphrase] of cases) {
      const report = await checkArchive(archive, passphrase === undefined ? {} : { passphrase });
      expect(report.exitCode, label).toBe(1);
      expect(refusals(report), label).toEqual(['BACKUP-13 BACKUP_LIMIT_EXCEEDED']);
    }
  });

  it('BACKUP-2 BACKUP-13 a ZIP of bombs inside an ordinary entry is not unpacked: the archive conforms and little is inflated', async () => {
    const archive = unsealedHostile([{ name: 'data/tasks.jsonl', data: TWO_TASKS }, nestedZipEntry('backups/older.zip', [bomb])]);
    const report = await checkArchive(archive);
    expect(report.exitCode).toBe(0);
    expect(report.summary.inflatedBytes).toBeLessThan(1024);
    expect(report.requirements.find(({ id }) => id === 'BACKUP-2')!.notes.join()).toContain('backups/older.zip');
  });

  it('BACKUP-1 entries that share bytes exit 4', async () => {
    expect(refusals(await checkArchive(overlappingEntries()))).toEqual(['BACKUP-1 BACKUP_CORRUPTED']);
  });
});

describe('the checker on unsafe names and swapped manifests', () => {
  it('BACKUP-2 unsafe and duplicate entry names, outer or inside the seal, exit 4', async () => {
    const task = { name: 'data/tasks.jsonl', data: TWO_TASKS };
    for (const name of ['../evil.jsonl', 'data/../data/tasks.jsonl', '/etc/passwd', 'C:/x', 'data\\tasks.jsonl', 'a\u0000b', 'data/tasks.jsonl']) {
      const entries = [task, { name, data: '{"id":"x"}\n' }];
      expect(refusals(await checkArchive(unsealedHostile(entries))), `outer ${JSON.stringify(name)}`).toEqual(['BACKUP-2 BACKUP_CORRUPTED']);
      expect(refusals(await checkArchive(sealedHostile(entries, SEAL), { passphrase: PASSPHRASE })), `inner ${JSON.stringify(name)}`).toEqual(['BACKUP-2 BACKUP_CORRUPTED']);
    }
  });

  it('BACKUP-10 BACKUP-11 BACKUP-19 a manifest swapped between two archives exits 4', async () => {
    const alice = (await writeBackupArchive(archiveInput({ passphrase: PASSPHRASE }))).bytes;
    const malloryInput = archiveInput({ passphrase: PASSPHRASE, tables: new Map([['tasks', [{ id: 'm-1' }]], ['lists', LISTS]]) });
    const mallory = (await writeBackupArchive({ ...malloryInput, manifest: { ...malloryInput.manifest, userId: 'u-mallory' } })).bytes;
    expect(refusals(await checkArchive(swapManifest(alice, mallory), { passphrase: PASSPHRASE }))).toEqual(['BACKUP-10 BACKUP_TAMPERED']);
    const kept = await checkArchive(swapManifest(alice, mallory, true), { passphrase: PASSPHRASE });
    expect(kept.exitCode).toBe(4);
    expect(refusals(kept)).toContain('BACKUP-11 BACKUP_TAMPERED');
    const plainAlice = (await writeBackupArchive(archiveInput())).bytes;
    const plainMallory = (await writeBackupArchive(archiveInput({ tables: new Map([['tasks', [{ id: 'm-1' }]]]) }))).bytes;
    const unsealed = await checkArchive(swapManifest(plainAlice, plainMallory));
    expect(unsealed.exitCode).toBe(4);
    expect(refusals(unsealed)).toContain('BACKUP-19 BACKUP_CORRUPTED');
  });
});

describe('the checker on truncated and randomly damaged archives', () => {
  for (const sealed of [false, true]) {
    it(`BACKUP-1 BACKUP-5 every truncation of ${sealed ? 'a sealed' : 'an unsealed'} archive exits 4`, async () => {
      const archive = (await writeBackupArchive(archiveInput(sealed ? { passphrase: PASSPHRASE } : {}))).bytes;
      for (let length = 0; length < archive.length; length += 1) {
        const report = await checkArchive(archive.slice(0, length), sealed ? { passphrase: PASSPHRASE } : {});
        expect(report.exitCode, `cut at ${length}: ${refusals(report).join(', ')}`).toBe(4);
      }
    });
  }

  /** What the reference reader makes of an archive, in the checker's terms: its exit status. */
  async function readerExit(bytes: Uint8Array<ArrayBuffer>, passphrase: string | undefined, accepted: number): Promise<number> {
    try {
      await readBackupArchive(bytes, { schemaVersion: SCHEMA_VERSION, passphrase });
      return accepted;
    } catch (error) {
      if (!isBackupError(error)) throw error;
      const exits: Record<ReaderCode, number> = {
        BACKUP_PASSPHRASE_REQUIRED: 0,
        BACKUP_WRONG_PASSPHRASE: 3,
        BACKUP_WRONG_PASSPHRASE_OR_TAMPERED: 3,
        BACKUP_TAMPERED: 4,
        BACKUP_CORRUPTED: 4,
        BACKUP_UNSUPPORTED_VERSION: 1,
        BACKUP_LIMIT_EXCEEDED: 1,
      };
      return exits[error.code];
    }
  }

  for (const [sealed, seed] of [
    [false, 20261127],
    [true, 20261128],
  ] as const) {
    it(`BACKUP-5 BACKUP-12 500 random corruptions of ${sealed ? 'a sealed' : 'an unsealed'} archive: the checker exits 4 (or 1 for a limit) exactly when the reference reader refuses, and otherwise judges it as the original (seed ${seed})`, async () => {
      const passphrase = sealed ? PASSPHRASE : undefined;
      const original = (await writeBackupArchive(archiveInput(sealed ? { passphrase: PASSPHRASE } : {}))).bytes;
      const baseline = await checkArchive(original, passphrase === undefined ? {} : { passphrase });
      const verdictsOf = (report: ArchiveReport) => report.requirements.map(({ id, verdict }) => `${id} ${verdict}`);
      const exits = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(corruptionOf(original.length), async (corruption) => {
          const damaged = corrupt(original, corruption);
          fc.pre(!sameBytes(damaged, original));
          const report = await checkArchive(damaged, passphrase === undefined ? {} : { passphrase });
          const label = `${JSON.stringify(corruption)}: checker ${refusals(report).join(', ') || 'accepts'}`;
          expect(report.exitCode, label).toBe(await readerExit(damaged, passphrase, baseline.exitCode));
          const asOriginal = refusals(report).length === 0;
          if (asOriginal) expect(verdictsOf(report), label).toEqual(verdictsOf(baseline));
          else expect([1, 4], label).toContain(report.exitCode);
          const outcome = asOriginal ? 'judged as the original' : `exit ${report.exitCode}`;
          exits.set(outcome, (exits.get(outcome) ?? 0) + 1);
        }),
        { seed, numRuns: 500 },
      );
      console.info(`checker over 500 corruptions (seed ${seed}):`, Object.fromEntries(exits));
    });
  }
});
