// A ZIP writer written by hand, as the first web client's was, and independent of the code under
// test: Node's zlib deflates and computes CRCs. Tests build archives with it that fflate cannot
// (duplicate or unsafe names, stored entries, first-client layouts) and rebuild tampered archives.
import { crc32, deflateRawSync } from 'node:zlib';

export interface HandZipEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
  readonly method?: 'stored' | 'deflated';
  /** `data` is already a raw deflate stream that inflates to `size` bytes with this CRC (a zip bomb, a liar). */
  readonly predeflated?: { readonly size: number; readonly crc32: number };
}

// 2024-05-01 12:00:00 in MS-DOS form.
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2024 - 1980) << 9) | (5 << 5) | 1;

export function handZip(entries: readonly HandZipEntry[]): Uint8Array<ArrayBuffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
    const deflated = entry.predeflated !== undefined || (entry.method ?? 'deflated') === 'deflated';
    const body = entry.predeflated !== undefined || !deflated ? data : deflateRawSync(data);
    const size = entry.predeflated?.size ?? data.length;
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : 0x0800;
    const crc = entry.predeflated?.crc32 ?? crc32(data);
    // Local header and central record share these 26 bytes, in the same order (APPNOTE 4.3.7, 4.3.12).
    const shared = Buffer.alloc(26);
    shared.writeUInt16LE(20, 0);
    shared.writeUInt16LE(flags, 2);
    shared.writeUInt16LE(deflated ? 8 : 0, 4);
    shared.writeUInt16LE(DOS_TIME, 6);
    shared.writeUInt16LE(DOS_DATE, 8);
    shared.writeUInt32LE(crc, 10);
    shared.writeUInt32LE(body.length, 14);
    shared.writeUInt32LE(size, 18);
    shared.writeUInt16LE(name.length, 22);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared.copy(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    shared.copy(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
