// A strict ZIP reader for `.mana` archives (BACKUP-1, BACKUP-2, BACKUP-5, BACKUP-13). The central
// directory is parsed here so that every entry is checked against its local header before a byte is
// inflated; fflate's streaming Inflate does the inflating, chunk by chunk, so that a limit stops it
// early. fflate's own unzip checks no CRC and trusts declared sizes, hence this module.
import { Inflate } from 'fflate';
import { BackupCorruptedError, BackupError } from './backup-errors.js';
import { Crc32 } from './crc32.js';
import type { InflateBudget } from './reader-limits.js';

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: 0 | 8;
  readonly crc32: number;
  readonly compressedSize: number;
  /** The declared uncompressed size, verified against the bytes produced (BACKUP-5). */
  readonly size: number;
  readonly dataOffset: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_MASKED_HEADERS = 0x2000;
const ZIP64_MARKER = 0xffffffff;
// Small input chunks bound how far one push can overshoot a limit: deflate inflates at most ~1032:1,
// so one 4 KiB chunk yields at most ~4 MiB.
const INFLATE_CHUNK_BYTES = 4096;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function corrupted(where: string, detail: string, requirement = 'BACKUP-1', cause?: unknown): BackupCorruptedError {
  return new BackupCorruptedError(`${where}: ${detail}`, { requirement, cause });
}

/** BACKUP-2: names that could escape an extraction folder or hide another name are refused. */
function checkEntryName(where: string, name: string): void {
  const unsafe =
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.includes('\\') ||
    name.includes('\u0000') ||
    name.split('/').includes('..');
  if (unsafe) throw corrupted(where, `unsafe entry name ${JSON.stringify(name)}`, 'BACKUP-2');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * The entries of a ZIP, after checking its whole structure: one end record whose comment ends the
 * file, a central directory that ends where the end record starts and holds exactly the declared
 * records, local headers that repeat their central record, data inside the file, no two entries
 * sharing bytes, no duplicate or unsafe name (BACKUP-2), no ZIP encryption (BACKUP-1). The entry
 * count is refused before any record is parsed when it is over the limit (BACKUP-13).
 */
export function listZipEntries(zip: Uint8Array<ArrayBuffer>, budget: InflateBudget, where: string): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);

  let end = -1;
  for (let at = zip.length - END_BYTES; at >= Math.max(0, zip.length - END_BYTES - MAX_COMMENT_BYTES); at -= 1) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY && at + END_BYTES + u16(at + 20) === zip.length) {
      end = at;
      break;
    }
  }
  if (end < 0) throw corrupted(where, 'not a ZIP file (no end of central directory record)');

  const count = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryOffset = u32(end + 16);
  if (directorySize === ZIP64_MARKER || directoryOffset === ZIP64_MARKER) {
    throw budget.exceeded('zip64', `${where} is a ZIP64 archive, beyond the limits of a .mana reader`);
  }
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count) {
    throw corrupted(where, 'a multi-part ZIP or an inconsistent entry count');
  }
  if (directoryOffset + directorySize !== end) {
    throw corrupted(where, 'the central directory does not end where the end record starts');
  }
  // A count its directory cannot hold is damage, not a large archive: checked before the limit.
  if (count * CENTRAL_HEADER_BYTES > directorySize) throw corrupted(where, `${count} entries declared in ${directorySize} bytes of directory`);
  if (count > budget.limits.maxEntries) {
    throw budget.exceeded('maxEntries', `${where} declares ${count} entries, more than ${budget.limits.maxEntries}`);
  }

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  const spans: [number, number][] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (at + CENTRAL_HEADER_BYTES > end || u32(at) !== CENTRAL_HEADER) throw corrupted(where, `central directory record ${index} is missing`);
    const versionNeeded = u16(at + 6);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const time = u16(at + 12);
    const date = u16(at + 14);
    const crc32 = u32(at + 16);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const recordEnd = at + CENTRAL_HEADER_BYTES + nameLength + u16(at + 30) + u16(at + 32);
    const localOffset = u32(at + 42);
    if (recordEnd > end) throw corrupted(where, `central directory record ${index} runs past the directory`);
    if (compressedSize === ZIP64_MARKER || size === ZIP64_MARKER || localOffset === ZIP64_MARKER) {
      throw budget.exceeded('zip64', `${where} has a ZIP64 entry, beyond the limits of a .mana reader`);
    }
    const nameBytes = zip.subarray(at + CENTRAL_HEADER_BYTES, at + CENTRAL_HEADER_BYTES + nameLength);
    let name: string;
    try {
      name = strictUtf8.decode(nameBytes);
    } catch (error) {
      throw corrupted(where, `entry name ${index} is not UTF-8`, 'BACKUP-1', error);
    }
    const entryWhere = `${where}, entry ${JSON.stringify(name)}`;
    checkEntryName(where, name);
    if (names.has(name)) throw corrupted(where, `duplicate entry name ${JSON.stringify(name)}`, 'BACKUP-2');
    names.add(name);
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) throw corrupted(entryWhere, 'ZIP encryption is not allowed');
    if (method !== 0 && method !== 8) throw corrupted(entryWhere, `compression method ${method} is neither stored nor deflated`);
    if (method === 0 && compressedSize !== size) throw corrupted(entryWhere, 'a stored entry whose sizes differ', 'BACKUP-5');
    if (u16(at + 34) !== 0) throw corrupted(entryWhere, 'the entry lies on another disk');

    if (localOffset + LOCAL_HEADER_BYTES > directoryOffset || u32(localOffset) !== LOCAL_HEADER) {
      throw corrupted(entryWhere, 'no local header where the central directory points');
    }
    const localNameLength = u16(localOffset + 26);
    const dataOffset = localOffset + LOCAL_HEADER_BYTES + localNameLength + u16(localOffset + 28);
    const descriptor = (flags & FLAG_DATA_DESCRIPTOR) !== 0;
    // With a data descriptor the local header may leave CRC and sizes at zero (streaming writers).
    const localMatches = (offset: number, value: number): boolean => u32(offset) === value || (descriptor && u32(offset) === 0);
    const consistent =
      u16(localOffset + 4) === versionNeeded &&
      u16(localOffset + 6) === flags &&
      u16(localOffset + 8) === method &&
      u16(localOffset + 10) === time &&
      u16(localOffset + 12) === date &&
      localMatches(localOffset + 14, crc32) &&
      localMatches(localOffset + 18, compressedSize) &&
      localMatches(localOffset + 22, size) &&
      sameBytes(zip.subarray(localOffset + LOCAL_HEADER_BYTES, localOffset + LOCAL_HEADER_BYTES + localNameLength), nameBytes);
    if (!consistent) throw corrupted(entryWhere, 'the local header differs from the central directory');
    let spanEnd = dataOffset + compressedSize;
    if (spanEnd > directoryOffset) throw corrupted(entryWhere, 'the data runs past the central directory', 'BACKUP-5');
    if (descriptor) {
      let record = spanEnd;
      if (record + 4 <= directoryOffset && u32(record) === DATA_DESCRIPTOR) record += 4;
      if (record + 12 > directoryOffset || u32(record) !== crc32 || u32(record + 4) !== compressedSize || u32(record + 8) !== size) {
        throw corrupted(entryWhere, 'the data descriptor differs from the central directory', 'BACKUP-5');
      }
      spanEnd = record + 12;
    }
    spans.push([localOffset, spanEnd]);
    entries.push({ name, method, crc32, compressedSize, size, dataOffset });
    at = recordEnd;
  }
  if (at !== end) throw corrupted(where, 'the central directory holds more than its declared records');
  spans.sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < spans.length; index += 1) {
    if (spans[index]![0] < spans[index - 1]![1]) throw corrupted(where, 'two entries share bytes');
  }
  return entries;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** A limit that binds one entry, e.g. the manifest's size (BACKUP-13). */
export interface EntryCap {
  readonly limit: 'maxManifestBytes';
  readonly bytes: number;
}

/**
 * The content of an entry, inflated under the budget and checked against its declared size and
 * CRC-32 (BACKUP-5). Inflation stops at the first chunk that breaks a limit (BACKUP-13) or
 * outgrows the declared size.
 */
export function readZipEntry(zip: Uint8Array<ArrayBuffer>, entry: ZipEntry, budget: InflateBudget, where: string, cap?: EntryCap): Uint8Array<ArrayBuffer> {
  const entryWhere = `${where}, entry ${JSON.stringify(entry.name)}`;
  const data = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const checkCap = (produced: number): void => {
    if (cap !== undefined && produced > cap.bytes) throw budget.exceeded(cap.limit, `${entryWhere} holds more than ${cap.bytes} bytes`);
  };
  let content: Uint8Array<ArrayBuffer>;
  if (entry.method === 0) {
    checkCap(data.length);
    content = data;
  } else {
    const { maxCompressionRatio, ratioCheckMinBytes } = budget.limits;
    const chunks: Uint8Array[] = [];
    let produced = 0;
    let consumed = 0;
    const inflate = new Inflate((chunk) => {
      produced += chunk.length;
      // An entry that outgrows its own declaration is damaged whatever the limits (BACKUP-5).
      if (produced > entry.size) throw corrupted(entryWhere, `inflates beyond its declared size of ${entry.size} bytes`, 'BACKUP-5');
      budget.spend(chunk.length, entryWhere);
      checkCap(produced);
      if (produced > ratioCheckMinBytes && produced > consumed * maxCompressionRatio) {
        throw budget.exceeded('maxCompressionRatio', `${entryWhere} inflates at a ratio above ${maxCompressionRatio}`);
      }
      chunks.push(chunk);
    });
    try {
      for (let offset = 0; offset === 0 || offset < data.length; offset += INFLATE_CHUNK_BYTES) {
        const piece = data.subarray(offset, offset + INFLATE_CHUNK_BYTES);
        consumed += piece.length;
        inflate.push(piece, offset + INFLATE_CHUNK_BYTES >= data.length);
      }
    } catch (error) {
      if (error instanceof BackupError) throw error;
      throw corrupted(entryWhere, 'the deflate data is invalid', 'BACKUP-5', error);
    }
    content = concat(chunks, produced);
  }
  if (content.length !== entry.size) throw corrupted(entryWhere, `${content.length} bytes, ${entry.size} declared`, 'BACKUP-5');
  if (new Crc32().update(content).digest() !== entry.crc32) throw corrupted(entryWhere, 'CRC-32 mismatch', 'BACKUP-5');
  return content;
}
