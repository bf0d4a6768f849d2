import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBackupArchive, type BackupContents } from '../src/backup/archive-reader.js';
import { isBackupError } from '../src/backup/backup-errors.js';
import { PASSPHRASE, SCHEMA_VERSION, sealedArchive, unsealedArchive } from './support/backup-fixtures.js';
import { zipLayout } from './support/zip-layout.js';

const RUNS = 1000;

function summary(contents: BackupContents): unknown {
  return { manifest: contents.manifest, tables: Object.fromEntries(contents.tables), sealed: contents.sealed, authenticated: contents.manifestAuthenticated };
}

/**
 * Flips bits of one byte per run and reads the archive. Every run must end in BACKUP_CORRUPTED
 * (BACKUP-5: CRCs and sizes; BACKUP-1: structure), never in another code (a corrupted file is not a
 * wrong passphrase, BACKUP-12), never in a generic error, and never in different contents. A run
 * may read back only when the byte carries no content (a central-directory attribute, or deflate
 * bits the inflater ignores) and the contents are exactly the original's.
 */
async function corruptOneByteAtATime(original: Uint8Array<ArrayBuffer>, passphrase: string | undefined, seed: number): Promise<number> {
  const options = { schemaVersion: SCHEMA_VERSION, passphrase };
  const expected = summary(await readBackupArchive(original, options));
  const { contentFree, deflatedData } = zipLayout(original);
  const mayCarryNoContent = (at: number) => contentFree.has(at) || deflatedData.some(([start, end]) => at >= start && at < end);
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
      const bytes = original.slice();
      bytes[at]! ^= mask;
      let contents: BackupContents;
      try {
        contents = await readBackupArchive(bytes, options);
      } catch (error) {
        if (!isBackupError(error)) throw new Error(`byte ${at} ^ ${mask}: not a BackupError: ${String(error)}`, { cause: error });
        expect(error.code, `byte ${at} ^ ${mask}: ${error.message}`).toBe('BACKUP_CORRUPTED');
        return;
      }
      expect(mayCarryNoContent(at), `byte ${at} ^ ${mask} was accepted although it carries content`).toBe(true);
      expect(summary(contents), `byte ${at} ^ ${mask}`).toEqual(expected);
      accepted += 1;
    }),
    { seed, numRuns: RUNS },
  );
  return accepted;
}

describe('single-byte corruptions', () => {
  it('BACKUP-5 BACKUP-12 1000 single-byte corruptions of an unsealed archive: each refused as BACKUP_CORRUPTED, or read back identical when the byte carries no content (seed 20261123)', async () => {
    const accepted = await corruptOneByteAtATime(await unsealedArchive(), undefined, 20261123);
    console.info(`unsealed: ${RUNS - accepted} refused, ${accepted} content-free bytes read back identical`);
  });

  it('BACKUP-5 BACKUP-12 1000 single-byte corruptions of a sealed archive: each refused as BACKUP_CORRUPTED, or read back identical when the byte carries no content (seed 20261124)', async () => {
    const accepted = await corruptOneByteAtATime(await sealedArchive(), PASSPHRASE, 20261124);
    console.info(`sealed: ${RUNS - accepted} refused, ${accepted} content-free bytes read back identical`);
  });
});
