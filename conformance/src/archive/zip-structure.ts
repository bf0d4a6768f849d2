// The structure of a ZIP file (PKWARE APPNOTE 4.3) read for the archive checker, independently of
// the reference client's reader: the end record, the central directory and every local header,
// before any byte is inflated (BACKUP-1, BACKUP-2, BACKUP-13).
import { BACKUP_MAX_ENTRIES } from '../../../spec/generated/constants.js';
import { corrupted, limitExceeded } from './archive-defect.js';

export interface ZipEntryRecord {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: 0 | 8;
  readonly crc32: number;
  readonly compressedSize: number;
  /** As declared: the inflated bytes are held to it (BACKUP-5), the limits are not (BACKUP-13). */
  readonly size: number;
  /** Where the entry's data starts. */
  readonly dataStart: number;
  /** Whether the general-purpose flag says the name is UTF-8 (bit 11). */
  readonly utf8Flag: boolean;
}

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, descriptor: 0x08074b50 } as const;
const FLAG = { encrypted: 0x0001, descriptor: 0x0008, strongEncryption: 0x0040, utf8: 0x0800, maskedHeaders: 0x2000 } as const;
const END_RECORD_BYTES = 22;
const CENTRAL_RECORD_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const ZIP64 = 0xffffffff;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** BACKUP-2: absolute, `..`, backslash and NUL names could escape a folder or hide another name. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is absolute';
  if (name.split('/').includes('..')) return 'has a ".." segment';
  if (name.includes('\\')) return 'holds a backslash';
  if (name.includes('\u0000')) return 'holds U+0000';
  return undefined;
}

/**
 * The entries of a ZIP after its structure is verified: exactly one end record ending the file, a
 * central directory right before it holding exactly the declared records, each pointing at a local
 * header that repeats it, data inside the file, no two entries sharing bytes, no duplicate or unsafe
 * name, no ZIP encryption, stored or deflated only. `where` names the ZIP in messages.
 */
export function readZipStructure(zip: Uint8Array, where: string): ZipEntryRecord[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const broken = (detail: string, requirement: 'BACKUP-1' | 'BACKUP-2' | 'BACKUP-5' = 'BACKUP-1') => corrupted(requirement, `${where}: ${detail}`);

  let end = -1;
  for (let at = zip.length - END_RECORD_BYTES; at >= 0 && at >= zip.length - END_RECORD_BYTES - 0xffff; at -= 1) {
    if (u32(at) === SIGNATURE.end && at + END_RECORD_BYTES + u16(at + 20) === zip.length) {
      end = at;
      break;
    }
  }
  if (end < 0) throw broken('no end of central directory record: not a ZIP file, or a truncated one');
  const count = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryStart = u32(end + 16);
  if (directoryStart === ZIP64 || directorySize === ZIP64 || count === 0xffff) {
    throw limitExceeded(`${where}: ZIP64 end record; an archive within the reader limits never needs ZIP64`);
  }
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count) throw broken('a split (multi-disk) ZIP or disagreeing entry counts');
  if (directoryStart + directorySize !== end) throw broken(`the central directory (${directoryStart}+${directorySize}) does not end where the end record starts (${end})`);
  if (count * CENTRAL_RECORD_BYTES > directorySize) throw broken(`${count} entries cannot fit in ${directorySize} bytes of central directory`);
  if (count > BACKUP_MAX_ENTRIES) throw limitExceeded(`${where}: ${count} entries`, `at most ${BACKUP_MAX_ENTRIES}`, String(count));

  const entries: ZipEntryRecord[] = [];
  const names = new Set<string>();
  const spans: (readonly [number, number])[] = [];
  let at = directoryStart;
  for (let index = 0; index < count; index += 1) {
    if (at + CENTRAL_RECORD_BYTES > end || u32(at) !== SIGNATURE.central) throw broken(`central directory record ${index} is missing`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc32 = u32(at + 16);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const next = at + CENTRAL_RECORD_BYTES + nameLength + u16(at + 30) + u16(at + 32);
    const localStart = u32(at + 42);
    if (next > end) throw broken(`central directory record ${index} runs past the directory`);
    if (compressedSize === ZIP64 || size === ZIP64 || localStart === ZIP64) throw limitExceeded(`${where}: entry ${index} uses ZIP64 sizes`);
    const nameBytes = zip.subarray(at + CENTRAL_RECORD_BYTES, at + CENTRAL_RECORD_BYTES + nameLength);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      throw broken(`the name of entry ${index} is not UTF-8`);
    }
    const label = JSON.stringify(name);
    const unsafe = unsafeNameReason(name);
    if (unsafe !== undefined) throw broken(`entry name ${label} ${unsafe}`, 'BACKUP-2');
    if (names.has(name)) throw broken(`two entries are named ${label}`, 'BACKUP-2');
    names.add(name);
    if ((flags & (FLAG.encrypted | FLAG.strongEncryption | FLAG.maskedHeaders)) !== 0) throw broken(`entry ${label} uses ZIP encryption`);
    if (method !== 0 && method !== 8) throw broken(`entry ${label} uses compression method ${method}, neither stored (0) nor deflated (8)`);
    if (method === 0 && compressedSize !== size) throw broken(`stored entry ${label} declares ${compressedSize} stored and ${size} uncompressed bytes`, 'BACKUP-5');
    if (u16(at + 34) !== 0) throw broken(`entry ${label} lies on another disk`);

    if (localStart + LOCAL_HEADER_BYTES > directoryStart || u32(localStart) !== SIGNATURE.local) throw broken(`entry ${label}: no local header at offset ${localStart}`);
    const localNameLength = u16(localStart + 26);
    const dataStart = localStart + LOCAL_HEADER_BYTES + localNameLength + u16(localStart + 28);
    const descriptor = (flags & FLAG.descriptor) !== 0;
    // A streaming writer leaves CRC and sizes of the local header at zero and writes a data descriptor.
    const repeats = (offset: number, value: number) => u32(offset) === value || (descriptor && u32(offset) === 0);
    const localName = zip.subarray(localStart + LOCAL_HEADER_BYTES, localStart + LOCAL_HEADER_BYTES + localNameLength);
    // Every field the local header shares with the central record must repeat it: a difference is damage.
    const agrees =
      u16(localStart + 4) === u16(at + 6) &&
      u16(localStart + 6) === flags &&
      u16(localStart + 8) === method &&
      u16(localStart + 10) === u16(at + 12) &&
      u16(localStart + 12) === u16(at + 14) &&
      repeats(localStart + 14, crc32) &&
      repeats(localStart + 18, compressedSize) &&
      repeats(localStart + 22, size) &&
      localName.length === nameBytes.length &&
      localName.every((byte, offset) => byte === nameBytes[offset]);
    if (!agrees) throw broken(`entry ${label}: the local header disagrees with the central directory`);
    let spanEnd = dataStart + compressedSize;
    if (spanEnd > directoryStart) throw broken(`entry ${label}: its ${compressedSize} bytes of data run past the central directory`, 'BACKUP-5');
    if (descriptor) {
      let record = spanEnd;
      if (record + 4 <= directoryStart && u32(record) === SIGNATURE.descriptor) record += 4;
      if (record + 12 > directoryStart || u32(record) !== crc32 || u32(record + 4) !== compressedSize || u32(record + 8) !== size) {
        throw broken(`entry ${label}: the data descriptor disagrees with the central directory`, 'BACKUP-5');
      }
      spanEnd = record + 12;
    }
    spans.push([localStart, spanEnd]);
    entries.push({ name, method, crc32, compressedSize, size, dataStart, utf8Flag: (flags & FLAG.utf8) !== 0 });
    at = next;
  }
  if (at !== end) throw broken('the central directory holds bytes beyond its declared records');
  // Overlapping entries are how some zip bombs multiply one compressed stream (BACKUP-13 counts actual bytes).
  const ordered = [...spans].sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < ordered.length; index += 1) {
    if (ordered[index]![0] < ordered[index - 1]![1]) throw broken('two entries share bytes');
  }
  return entries;
}
