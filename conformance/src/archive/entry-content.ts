// The content of a ZIP entry for the archive checker: inflated by Node's zlib (not the fflate the
// reference client uses) under the limits of BACKUP-13, which are counted on the bytes actually
// produced, then held to the declared size and CRC-32 (BACKUP-5).
import { crc32, inflateRawSync } from 'node:zlib';
import {
  BACKUP_MAX_COMPRESSION_RATIO,
  BACKUP_MAX_INFLATED_BYTES,
  BACKUP_MAX_MANIFEST_BYTES,
  BACKUP_RATIO_CHECK_MIN_BYTES,
} from '../../../spec/generated/constants.js';
import { corrupted, limitExceeded } from './archive-defect.js';
import type { ZipEntryRecord } from './zip-structure.js';

/** The inflation of one archive, outer and inner ZIP together (BACKUP-13: "inner ZIP included"). */
export class InflationBudget {
  inflatedBytes = 0;
  /** The highest inflated-to-compressed ratio of an entry beyond BACKUP_RATIO_CHECK_MIN_BYTES. */
  highestLargeRatio = 0;
}

type Bound = 'declared size' | 'inflated total' | 'ratio' | 'manifest size';

/**
 * The entry's bytes. Inflation stops at the first of: one byte beyond the declared size (damage,
 * BACKUP-5), beyond the archive's remaining inflation budget, beyond the ratio limit, beyond the
 * manifest limit (BACKUP-13); so a lying header cannot make the checker inflate more than that.
 */
export function entryContent(zip: Uint8Array, entry: ZipEntryRecord, budget: InflationBudget, where: string, isManifest = false): Uint8Array {
  const label = `${where}, entry ${JSON.stringify(entry.name)}`;
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let content: Uint8Array;
  if (entry.method === 0) {
    if (isManifest && data.length > BACKUP_MAX_MANIFEST_BYTES) {
      throw limitExceeded(`${label} is larger than the manifest limit`, `at most ${BACKUP_MAX_MANIFEST_BYTES} bytes`, `${data.length} bytes`);
    }
    content = data;
  } else {
    const bounds: [Bound, number][] = [
      ['declared size', entry.size],
      ['inflated total', BACKUP_MAX_INFLATED_BYTES - budget.inflatedBytes],
      ['ratio', Math.max(BACKUP_RATIO_CHECK_MIN_BYTES, entry.compressedSize * BACKUP_MAX_COMPRESSION_RATIO)],
    ];
    if (isManifest) bounds.push(['manifest size', BACKUP_MAX_MANIFEST_BYTES]);
    const [bound, most] = bounds.reduce((tightest, candidate) => (candidate[1] < tightest[1] ? candidate : tightest));
    let overflow: boolean;
    try {
      content = inflateRawSync(data, { maxOutputLength: most + 1 });
      overflow = content.length > most;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') {
        throw corrupted('BACKUP-5', `${label}: the deflate data is invalid (${(error as Error).message})`);
      }
      content = new Uint8Array(0);
      overflow = true;
    }
    if (overflow) {
      budget.inflatedBytes += most;
      switch (bound) {
        case 'declared size':
          throw corrupted('BACKUP-5', `${label} inflates beyond its declared size`, `${entry.size} bytes`, `more than ${entry.size} bytes`);
        case 'inflated total':
          throw limitExceeded(`${where}: more than ${BACKUP_MAX_INFLATED_BYTES} bytes inflated in total`, `at most ${BACKUP_MAX_INFLATED_BYTES} bytes`, `more, stopped in ${JSON.stringify(entry.name)}`);
        case 'ratio':
          throw limitExceeded(
            `${label} inflates beyond ${BACKUP_RATIO_CHECK_MIN_BYTES} bytes at a ratio above ${BACKUP_MAX_COMPRESSION_RATIO}`,
            `at most ${BACKUP_MAX_COMPRESSION_RATIO}:1 (${most} bytes from ${entry.compressedSize})`,
            `more than ${most} bytes`,
          );
        case 'manifest size':
          throw limitExceeded(`${label} is larger than the manifest limit`, `at most ${BACKUP_MAX_MANIFEST_BYTES} bytes`, `more than ${BACKUP_MAX_MANIFEST_BYTES} bytes`);
      }
    }
    budget.inflatedBytes += content.length;
    if (content.length > BACKUP_RATIO_CHECK_MIN_BYTES) {
      budget.highestLargeRatio = Math.max(budget.highestLargeRatio, content.length / Math.max(1, entry.compressedSize));
    }
  }
  if (content.length !== entry.size) throw corrupted('BACKUP-5', `${label}: the size differs from the declared one`, `${entry.size} bytes`, `${content.length} bytes`);
  const actual = crc32(content);
  if (actual !== entry.crc32) throw corrupted('BACKUP-5', `${label}: CRC-32 mismatch`, hex32(entry.crc32), hex32(actual));
  return content;
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
